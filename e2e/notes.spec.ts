/**
 * Clinical notes written back to the EHR (issue 5): never lost, never duplicated. Every test goes through the
 * sandbox's real OAuth flow with MOVO-X in the EHR's cross-site iframe, and checks both what the clinician sees
 * and what the FHIR server holds (read directly with the test's own token).
 *
 * Routes are used only for fault injection, on the one URL they break (`POST {fhir}/DocumentReference`), and on
 * the context: the app runs in an out-of-process iframe, whose requests a context route sees (each such test
 * asserts that its route fired). The sandbox honours If-None-Exist, Epic does not: where the test is about
 * MOVO-X's own de-duplication, the route strips that header from retries.
 *
 * Patients written to: adult-1, adult-2, adult-4, child-1 (never adult-3, whose seeded HTML note is read here,
 * nor patient-no-data, which other specs expect to have no notes). Each test types its own unique marker.
 */
import type { Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  appFrame,
  countNotePosts,
  documentReferenceEndpoint,
  expectNoteListed,
  expectOneStoredNote,
  latestEncounter,
  localStorageContains,
  noteEditor,
  openNotes,
  storedNotesContaining,
  storedNoteText,
  uniqueMarker,
  writeNote,
} from './notes-helpers.ts';

const NON_LATIN = 'Ödem — 37.5 °C — 患者';
/** The sentence the note editor shows for a grant without DocumentReference create (NoteEditor READ_ONLY_REASON). */
const READ_ONLY_SENTENCE = 'This EHR granted MOVO-X read-only access: notes cannot be filed from here.';
const SESSION_ENDED = /Session ended: reopen MOVO-X from the patient’s chart/;
const FILING_TIMEOUT = { timeout: 20_000 };

test('a signed note is filed once, as US Core asks, and read back into the list', async ({ page, ehr }) => {
  const patient = 'patient-adult-1';
  const encounter = await latestEncounter(ehr.env, patient);
  const marker = uniqueMarker('sign');
  const title = `Follow-up ${marker}`;
  const text = `${marker}\n${NON_LATIN}\nPlan: review in 2 weeks.`;

  const app = await ehr.openChart(page, { patient, practitioner: 'practitioner-2', encounter });
  await openNotes(app);
  await writeNote(app, title, text);
  const editor = noteEditor(app);
  await editor.sign.click();
  await expect(editor.filed).toBeVisible(FILING_TIMEOUT);
  await expect(editor.text).toHaveValue('');
  await expectNoteListed(app, title, text);

  const note = await expectOneStoredNote(ehr, patient, marker);
  expect(storedNoteText(note)).toBe(text);
  expect(note.status).toBe('current');
  expect(note.docStatus).toBe('final');
  expect(note.category?.flatMap((c) => c.coding ?? [])).toContainEqual(
    expect.objectContaining({
      system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
      code: 'clinical-note',
    }),
  );
  expect(note.type?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '11506-3' });
  expect(note.author?.map((a) => a.reference)).toEqual([
    expect.stringMatching(/(^|\/)Practitioner\/practitioner-2$/),
  ]);
  expect(note.subject?.reference).toBe(`Patient/${patient}`);
  expect(note.context?.encounter?.map((e) => e.reference)).toEqual([`Encounter/${encounter}`]);
  expect(note.context?.period?.end).toEqual(expect.any(String));
  expect(note.content).toHaveLength(1);
  expect(note.content[0]?.attachment.contentType).toBe('text/plain; charset=utf-8');
  const identifier = note.identifier?.find((id) => id.system === 'urn:ietf:rfc:3986')?.value;
  expect(identifier).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  // The identifier finds it, and only it.
  const byIdentifier = await ehr.fhir<{ total?: number }>(
    `DocumentReference?patient=${patient}&identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${identifier ?? ''}`)}`,
  );
  expect(byIdentifier.total).toBe(1);
  // Filed, so the draft is gone from this device.
  expect(await localStorageContains(page, ehr.env, marker)).toBe(false);
});

test('a first POST lost to the network is retried and files one note', async ({ page, context, ehr }) => {
  const patient = 'patient-adult-2';
  const marker = uniqueMarker('abort');
  let posts = 0;
  let aborted = 0;
  await context.route(documentReferenceEndpoint(ehr.env), async (route: Route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    posts += 1;
    if (posts === 1) {
      aborted += 1;
      return route.abort('connectionreset');
    }
    return route.fallback();
  });

  const app = await ehr.openChart(page, { patient });
  await openNotes(app);
  await writeNote(app, `Retry ${marker}`, `${marker} ${NON_LATIN}`);
  const editor = noteEditor(app);
  await editor.sign.click();
  await expect(editor.filed).toBeVisible(FILING_TIMEOUT);

  // The context route saw the out-of-process iframe's POST (else nothing would have been aborted).
  expect(aborted).toBe(1);
  expect(posts).toBe(2);
  await expectNoteListed(app, `Retry ${marker}`, `${marker} ${NON_LATIN}`);
  await expectOneStoredNote(ehr, patient, marker);
});

test('a POST that reached the EHR but whose answer was lost is found by its identifier, not sent again', async ({
  page,
  context,
  ehr,
}) => {
  const patient = 'patient-adult-2';
  const marker = uniqueMarker('lost');
  let posts = 0;
  let firstStatus = 0;
  const identifierSearches: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (
      request.method() === 'GET' &&
      url.href.startsWith(`${ehr.env.fhirBaseUrl}/DocumentReference?`) &&
      url.searchParams.has('identifier')
    ) {
      identifierSearches.push(url.searchParams.get('identifier') ?? '');
    }
  });
  await context.route(documentReferenceEndpoint(ehr.env), async (route: Route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    posts += 1;
    if (posts === 1) {
      // The EHR stores the note; the answer never reaches the browser.
      const response = await route.fetch();
      firstStatus = response.status();
      return route.abort('connectionreset');
    }
    // Epic ignores If-None-Exist: without it, only MOVO-X's search can keep a retry from filing a duplicate.
    const headers = { ...route.request().headers() };
    delete headers['if-none-exist'];
    return route.fallback({ headers });
  });

  const app = await ehr.openChart(page, { patient });
  await openNotes(app);
  const text = `${marker} ${NON_LATIN}`;
  await writeNote(app, `Lost answer ${marker}`, text);
  const editor = noteEditor(app);
  await editor.sign.click();
  await expect(editor.filed).toBeVisible(FILING_TIMEOUT);

  expect(firstStatus).toBe(201);
  expect(posts).toBe(1);
  expect(identifierSearches).toEqual([expect.stringMatching(/^urn:ietf:rfc:3986\|urn:uuid:/)]);
  await expectNoteListed(app, `Lost answer ${marker}`, text);
  const note = await expectOneStoredNote(ehr, patient, marker);
  expect(note.identifier?.map((id) => `${id.system ?? ''}|${id.value ?? ''}`)).toEqual(identifierSearches);
});

test('a double click on "Sign and file" files one note', async ({ page, context, ehr }) => {
  const patient = 'patient-adult-4';
  const marker = uniqueMarker('dblclick');
  const posts = countNotePosts(context, ehr.env);
  const app = await ehr.openChart(page, { patient });
  await openNotes(app);
  await writeNote(app, `Double click ${marker}`, `${marker} ${NON_LATIN}`);
  const editor = noteEditor(app);
  await editor.sign.dblclick();
  await expect(editor.filed).toBeVisible(FILING_TIMEOUT);
  await expectNoteListed(app, `Double click ${marker}`, `${marker} ${NON_LATIN}`);
  // One POST: on an EHR without conditional create a second one would be a second note.
  expect(posts.count()).toBe(1);
  await expectOneStoredNote(ehr, patient, marker);
});

test('the token expires while the clinician types: the note is filed after a silent refresh', async ({
  page,
  context,
  ehr,
}) => {
  test.setTimeout(90_000);
  const patient = 'patient-child-1';
  const marker = uniqueMarker('refresh');
  const refreshes: number[] = [];
  context.on('response', (response) => {
    const request = response.request();
    if (request.url().endsWith('/auth/token') && request.postData()?.includes('grant_type=refresh_token')) {
      refreshes.push(response.status());
    }
  });

  const app = await ehr.openChart(page, { patient, practitioner: 'practitioner-2', tokenLifetime: 20 });
  await openNotes(app);
  const text = `${marker} ${NON_LATIN}`;
  await writeNote(app, `Long visit ${marker}`, text);
  // Past the first access token's lifetime (20 s): the only sleep of this file's kind.
  await page.waitForTimeout(25_000);
  const editor = noteEditor(app);
  await editor.sign.click();
  await expect(editor.filed).toBeVisible(FILING_TIMEOUT);
  await expect(app.getByRole('dialog', { name: SESSION_ENDED })).toHaveCount(0);
  expect(refreshes.length).toBeGreaterThanOrEqual(1);
  expect(refreshes.every((status) => status === 200)).toBe(true);
  await expectNoteListed(app, `Long visit ${marker}`, text);
  await expectOneStoredNote(ehr, patient, marker);
});

test('a refused refresh ends the session; the draft survives and is filed after a relaunch', async ({
  page,
  ehr,
}) => {
  test.setTimeout(90_000);
  const patient = 'patient-adult-1';
  const practitioner = 'practitioner-3';
  const marker = uniqueMarker('relaunch');
  const title = `Before the session ended ${marker}`;
  const text = `${marker} ${NON_LATIN}`;

  // The app renews the token ahead of its expiry (src/session/refresh.ts); the EHR refuses, within 16 s.
  const app = await ehr.openChart(page, { patient, practitioner, tokenLifetime: 16, refresh: 'deny' });
  await openNotes(app);
  await writeNote(app, title, text);
  const dialog = app.getByRole('dialog', { name: SESSION_ENDED });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(dialog).toContainText('Anything you were writing is kept on this computer');
  await expect(noteEditor(app).text).toHaveValue(text);
  expect(await localStorageContains(page, ehr.env, marker)).toBe(true);
  expect(await storedNotesContaining(ehr, patient, marker)).toHaveLength(0);

  // Relaunch from the EHR: same patient, same clinician, same browser profile.
  const relaunched = await ehr.openChart(page, { patient, practitioner });
  await openNotes(relaunched);
  const editor = noteEditor(relaunched);
  await expect(editor.form.getByText(/^Draft restored from /)).toBeVisible();
  await expect(editor.title).toHaveValue(title);
  await expect(editor.text).toHaveValue(text);
  await editor.sign.click();
  await expect(editor.filed).toBeVisible(FILING_TIMEOUT);
  await expectNoteListed(relaunched, title, text);
  await expectOneStoredNote(ehr, patient, marker);
  expect(await localStorageContains(page, ehr.env, marker)).toBe(false);
});

test('a read-only grant disables the editor and says why', async ({ page, ehr }) => {
  const app = await ehr.openChart(page, { patient: 'patient-adult-2', grant: 'read-only' });
  await openNotes(app);
  const editor = noteEditor(app);
  await expect(editor.form.getByText(READ_ONLY_SENTENCE, { exact: true })).toBeVisible();
  await expect(editor.text).toBeDisabled();
  await expect(editor.title).toBeDisabled();
  await expect(editor.sign).toBeDisabled();
  // Reading still works: the patient's notes are listed.
  await expect(app.getByRole('list', { name: 'Clinical notes' }).getByRole('button').first()).toBeVisible();
});

test('a note the EHR refuses (400) shows its reasons next to the editor and keeps the draft', async ({
  page,
  context,
  ehr,
}) => {
  const patient = 'patient-adult-4';
  const marker = uniqueMarker('refused');
  const diagnostics = `Note type not accepted for this department (${marker})`;
  let posts = 0;
  await context.route(documentReferenceEndpoint(ehr.env), async (route: Route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    posts += 1;
    return route.fulfill({
      status: 400,
      contentType: 'application/fhir+json',
      headers: { 'access-control-allow-origin': ehr.env.appOrigin, vary: 'Origin' },
      body: JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', diagnostics }],
      }),
    });
  });

  const app = await ehr.openChart(page, { patient });
  await openNotes(app);
  const title = `Refused ${marker}`;
  const text = `${marker} ${NON_LATIN}`;
  await writeNote(app, title, text);
  const editor = noteEditor(app);
  await editor.sign.click();

  const alert = editor.form.getByRole('alert');
  await expect(alert).toContainText('The EHR refused the note. Your draft is kept.');
  await expect(alert.getByRole('list', { name: 'Reasons given by the EHR' })).toHaveText(diagnostics);
  await expect(editor.text).toHaveValue(text);
  await expect(editor.title).toHaveValue(title);
  await expect(editor.text).toBeEditable();
  expect(posts).toBe(1);
  expect(await localStorageContains(page, ehr.env, marker)).toBe(true);
  expect(await storedNotesContaining(ehr, patient, marker)).toHaveLength(0);
});

test('a stored HTML note with script and onerror opens sanitised', async ({ page, ehr }) => {
  // The seeded note really carries both (sandbox/data/notes.ts), so the checks below are not vacuous.
  const seeded = await ehr.fhir<Parameters<typeof storedNoteText>[0]>('DocumentReference/doc-adult-3-html');
  expect(storedNoteText(seeded)).toContain('<script>window.__sandboxNoteScriptRan = true;</script>');
  expect(storedNoteText(seeded)).toContain('onerror="window.__sandboxNoteOnerrorRan = true"');

  const app = await ehr.openChart(page, { patient: 'patient-adult-3' });
  await openNotes(app);
  const list = app.getByRole('list', { name: 'Clinical notes' });
  await list.getByRole('button', { name: /^Consult note/ }).click();
  await expect(list.getByRole('heading', { name: 'Haematology consultation' })).toBeVisible();
  await expect(list.getByText('Iron studies consistent with iron deficiency.')).toBeVisible();

  const rendered = list.locator('.note-html');
  await expect(rendered).toHaveCount(1);
  await expect(rendered.locator('script')).toHaveCount(0);
  await expect(rendered.locator('[onerror]')).toHaveCount(0);
  await expect(rendered.locator('img')).toHaveCount(0);
  const ran = await appFrame(page, ehr.env).evaluate(() => {
    const globals = window as unknown as Record<string, unknown>;
    return { script: globals.__sandboxNoteScriptRan, onerror: globals.__sandboxNoteOnerrorRan };
  });
  expect(ran).toEqual({ script: undefined, onerror: undefined });
});
