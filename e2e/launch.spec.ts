/**
 * The SMART App Launch as a clinician and an EHR meet it (issue 3), through the sandbox EHR's real OAuth server.
 */
import { createServer } from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures.ts';
import { freePort } from './ports.ts';
import { SANDBOX_HIGHLIGHT_COLOR } from '../sandbox/ehr/style.ts';

test('EHR launch in a cross-site iframe shows the right patient and clinician', async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-1', practitioner: 'practitioner-2' });
  await expect(app.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(app.getByTestId('clinician-name')).toHaveText('Omar Haddad');
  await expect(app.getByText('MRN-100001')).toBeVisible();
});

test('EHR launch in a new tab shows the patient, the clinician and the encounter', async ({ page, ehr }) => {
  const encounters = (await (
    await fetch(`${ehr.env.sandboxOrigin}/ehr/encounters?patient=patient-adult-4`)
  ).json()) as {
    id: string;
  }[];
  const encounter = encounters[0]?.id;
  expect(encounter).toBeDefined();
  await page.goto(ehr.launchUrl({ patient: 'patient-adult-4', encounter }));
  await expect(page.getByRole('heading', { name: "James Patrick O'Brien" })).toBeVisible();
  await expect(page.getByTestId('clinician-name')).toHaveText('Sarah Whitfield');
  await expect(page.getByTestId('encounter')).not.toHaveText(/Loading|Not readable/);
  // Nothing secret is left in the address bar once the code is exchanged.
  expect(new URL(page.url()).searchParams.has('code')).toBe(false);
});

test('the authorize request carries S256 PKCE and a 122-bit state', async ({ page, ehr }) => {
  const authorize = page
    .context()
    .waitForEvent('request', (request) => request.url().includes('/auth/authorize'));
  await page.goto(ehr.launchUrl({ patient: 'patient-adult-1' }));
  const url = new URL((await authorize).url());
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  // base64url of a SHA-256 digest: 43 characters.
  expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // crypto.randomUUID(): a version-4 UUID carries 122 random bits.
  expect(url.searchParams.get('state')).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  expect(url.searchParams.get('aud')).toBe(ehr.env.fhirBaseUrl);
  expect(url.searchParams.get('scope')?.split(' ')).toEqual(
    expect.arrayContaining(['launch', 'openid', 'fhirUser']),
  );
  expect(url.searchParams.get('redirect_uri')).toBe(`${ehr.env.appOrigin}/index.html`);
  await expect(page.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
});

test('standalone launch: the clinician picks the EHR, then the patient', async ({ page, ehr }) => {
  await page.goto(`${ehr.env.appOrigin}/launch.html`);
  await page.getByRole('link', { name: 'MOVO-X sandbox EHR (local)' }).click();
  await page.getByLabel('Signed in as').selectOption('practitioner-3');
  await page.getByLabel('Patient').selectOption('patient-child-1');
  await page.getByRole('button', { name: 'Allow and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Lily Sora Nakamura' })).toBeVisible();
  await expect(page.getByTestId('clinician-name')).toHaveText('Mei-Lin Tan');
});

test('no patient banner when the EHR shows its own (need_patient_banner: false)', async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-1', banner: false });
  await expect(app.getByTestId('clinician-name')).toHaveText('Sarah Whitfield');
  await expect(
    app.getByRole('region', { name: 'Observations' }).or(app.getByRole('tabpanel')).first(),
  ).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Alice Marie Rivera' })).toHaveCount(0);
  await expect(app.getByText('MRN-100001')).toHaveCount(0);
});

test("the EHR's style is applied (smart_style_url)", async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-1' });
  await expect(app.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  const frame = page.frames().find((f) => f.url().startsWith(ehr.env.appOrigin));
  if (!frame) throw new Error('app frame not found');
  await expect
    .poll(() =>
      frame.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--ehr-color-highlight').trim(),
      ),
    )
    .toBe(SANDBOX_HIGHLIGHT_COLOR);
  // …and it reaches what the clinician sees: the selected tab's underline.
  const underline = await frame.evaluate(() => {
    const tab = document.querySelector('[role="tab"][aria-selected="true"]');
    return tab ? getComputedStyle(tab).borderBottomColor : '';
  });
  expect(underline).toBe('rgb(122, 31, 92)');
});

test('an unknown iss is refused and no request reaches it', async ({ page, ehr }) => {
  let hits = 0;
  const port = await freePort();
  const forged = createServer((_request, response) => {
    hits += 1;
    response.end('{}');
  }).listen(port, '127.0.0.1');
  try {
    const iss = `http://127.0.0.1:${port}/fhir`;
    await page.goto(`${ehr.env.appOrigin}/launch.html?iss=${encodeURIComponent(iss)}&launch=forged`);
    await expect(page.getByRole('heading', { name: 'MOVO-X cannot open from this EHR' })).toBeVisible();
    await expect(page.getByTestId('received-iss')).toHaveText(iss);
    await expect(page.getByText('/config/registrations.json')).toBeVisible();
    // A look-alike of the registered issuer is refused too (parsed URLs, never a substring).
    await page.goto(
      `${ehr.env.appOrigin}/launch.html?iss=${encodeURIComponent(`${ehr.env.fhirBaseUrl}x`)}&launch=x`,
    );
    await expect(page.getByRole('heading', { name: 'MOVO-X cannot open from this EHR' })).toBeVisible();
    expect(hits).toBe(0);
  } finally {
    forged.close();
  }
});

test("fhirclient's URL overrides are refused in production", async ({ page, ehr }) => {
  await page.goto(
    `${ehr.env.appOrigin}/launch.html?iss=${encodeURIComponent(ehr.env.fhirBaseUrl)}&launch=x&fhirServiceUrl=${encodeURIComponent(ehr.env.fhirBaseUrl)}`,
  );
  await expect(page.getByRole('heading', { name: 'MOVO-X cannot open this link' })).toBeVisible();
});

test('index.html opened directly says to open MOVO-X from the EHR', async ({ page, ehr }) => {
  await page.goto(`${ehr.env.appOrigin}/index.html`);
  await expect(page.getByRole('heading', { name: 'Open MOVO-X from the patient’s chart' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'open MOVO-X’s sign-in page' })).toBeVisible();
});

test('a 20-second access token is refreshed without the clinician noticing', async ({ page, ehr }) => {
  test.setTimeout(90_000);
  const refreshes: string[] = [];
  page.context().on('request', (request) => {
    if (request.url().endsWith('/auth/token') && request.postData()?.includes('grant_type=refresh_token')) {
      refreshes.push(request.url());
    }
  });
  const app = await ehr.openChart(page, { patient: 'patient-adult-2', tokenLifetime: 20 });
  await expect(app.getByRole('heading', { name: 'Robert James Chen' })).toBeVisible();
  // Past the first token's expiry: the app refreshed ahead of it, silently.
  await page.waitForTimeout(23_000);
  expect(refreshes.length).toBeGreaterThanOrEqual(1);
  await expect(app.getByRole('dialog')).toHaveCount(0);
  // The refreshed token works: reloading the app reads everything again with it.
  const frame = page.frames().find((f) => f.url().startsWith(ehr.env.appOrigin));
  if (!frame) throw new Error('app frame not found');
  await frame.evaluate(() => {
    window.location.reload();
  });
  await expect(app.getByRole('heading', { name: 'Robert James Chen' })).toBeVisible();
  await expect(app.getByText('Session ended')).toHaveCount(0);
});

test('a refused refresh shows the relaunch screen', async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-2', tokenLifetime: 16, refresh: 'deny' });
  await expect(app.getByRole('heading', { name: 'Robert James Chen' })).toBeVisible();
  await expect(
    app.getByRole('dialog', { name: /Session ended: reopen MOVO-X from the patient’s chart/ }),
  ).toBeVisible({
    timeout: 20_000,
  });
});

test('a read-only grant says so in the shell', async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-1', grant: 'read-only' });
  await expect(app.getByText('This EHR granted MOVO-X read-only access.', { exact: true })).toBeVisible();
});

test('two launches for two patients in two tabs never show each other’s data', async ({
  context,
  page,
  ehr,
}) => {
  const first = await ehr.openChart(page, { patient: 'patient-adult-1' });
  const secondPage = await context.newPage();
  const second = await ehr.openChart(secondPage, { patient: 'patient-adult-2' });
  await expect(first.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(second.getByRole('heading', { name: 'Robert James Chen' })).toBeVisible();
  // Reload the first tab's app: it must still be the first patient's session.
  const frame = page.frames().find((f) => f.url().startsWith(ehr.env.appOrigin));
  if (!frame) throw new Error('app frame not found');
  await frame.evaluate(() => {
    window.location.reload();
  });
  await expect(first.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(first.getByText('MRN-100002')).toHaveCount(0);
  await expect(second.getByText('MRN-100001')).toHaveCount(0);
});

test('where the browser blocks storage in the EHR frame, "Open in a new window" completes the launch', async ({
  browser,
  ehr,
}) => {
  // A fresh Playwright context is incognito-like: sessionStorage in a cross-site frame throws SecurityError.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const app = await ehr.openChart(page, { patient: 'patient-adult-3' });
    const open = app.getByRole('button', { name: 'Open MOVO-X in a new window' });
    await expect(open).toBeVisible();
    const [popup] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await expect(popup.getByRole('heading', { name: 'Fatima Amina Okafor' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('the shell has no accessibility violations (axe)', async ({ page, ehr }) => {
  await page.goto(ehr.launchUrl({ patient: 'patient-adult-1' }));
  await expect(page.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Vital signs' })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});

test('a SMART v1 server registered like an Epic customer: v1 scopes, observations searched by category', async ({
  page,
  ehr,
}) => {
  const requests: string[] = [];
  page.context().on('request', (request) => {
    if (request.method() === 'GET') requests.push(request.url());
  });
  const app = await ehr.openChart(page, { patient: 'patient-adult-1', v1: true });
  await expect(app.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(app.getByRole('button', { name: /Blood pressure/ })).toContainText('mmHg');
  const authorize = new URL(requests.find((url) => url.includes('/auth/authorize')) ?? 'http://missing');
  expect(authorize.searchParams.get('aud')).toBe(`${ehr.env.sandboxOrigin}/v1/fhir`);
  expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
    expect.arrayContaining(['launch', 'user/Observation.read', 'user/DocumentReference.write']),
  );
  const searches = requests.filter((url) => url.includes('/v1/fhir/Observation?'));
  expect(searches.length).toBeGreaterThan(0);
  expect(searches.every((url) => new URL(url).searchParams.has('category'))).toBe(true);
  expect(new URL(searches[0] ?? 'http://missing').searchParams.get('category')).toBe('vital-signs');
});
