/**
 * The production build under its own security headers (issue 6): global-setup serves dist/ with the headers from
 * config/security-headers.ts, computed from the same registrations file the app reads.
 */
import { createServer } from 'node:http';
import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { freePort } from './ports.ts';

/** Collects CSP violations from every frame, including the EHR's cross-site iframe. */
async function recordCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

test('no CSP violation during a full launch, the overview, a detail view and a note save', async ({
  context,
  page,
  ehr,
}) => {
  const violations = await recordCspViolations(context);
  const app = await ehr.openChart(page, { patient: 'patient-adult-1' });
  await expect(app.getByRole('heading', { name: 'Alice Marie Rivera' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Vital signs' })).toBeVisible();
  // A detail view loads the chart library (a lazy chunk) and draws with inline style properties.
  await app
    .getByRole('button', { name: /Heart rate/ })
    .first()
    .click();
  await expect(app.getByRole('button', { name: 'Back to overview' })).toBeVisible();
  await expect(app.locator('.recharts-surface').first()).toBeVisible();
  await app.getByRole('button', { name: 'Back to overview' }).click();
  await app.getByRole('tab', { name: 'Notes' }).click();
  const marker = `CSP check ${Date.now()}`;
  await app.getByLabel('Note text').fill(marker);
  await app.getByRole('button', { name: 'Sign and file' }).click();
  await expect(app.getByText('Note filed', { exact: true })).toBeVisible();
  expect(violations).toEqual([]);
});

test('the app refuses to render inside a frame from an origin that is not configured', async ({
  page,
  ehr,
}) => {
  const port = await freePort();
  const framer = createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html><title>Not an EHR</title><iframe title="framed" src="${ehr.env.appOrigin}/launch.html"></iframe>`,
    );
  }).listen(port, '127.0.0.1');
  try {
    const blocked = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await blocked;
    const framed = page.frameLocator('iframe[title="framed"]');
    await expect(framed.getByText('Opening MOVO-X')).toHaveCount(0);
    await expect(framed.getByRole('heading')).toHaveCount(0);
  } finally {
    framer.close();
  }
});

test('the production headers are served with the app', async ({ ehr }) => {
  const response = await fetch(`${ehr.env.appOrigin}/index.html`);
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain(`frame-ancestors ${ehr.env.sandboxOrigin}`);
  expect(csp).toMatch(new RegExp(`connect-src 'self' ${ehr.env.sandboxOrigin.replace(/[.]/g, '\\.')}`));
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBeNull();
  expect(response.headers.get('cache-control')).toMatch(/no-cache|no-store/);
});
