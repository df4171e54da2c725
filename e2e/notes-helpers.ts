/**
 * Helpers for the notes end-to-end tests (e2e/notes.spec.ts): what the clinician does in the app's Notes tab, and
 * what the sandbox's FHIR server holds afterwards, read directly with the test's own token.
 */
import type { Bundle, DocumentReference } from 'fhir/r4';
import type { BrowserContext, Frame, FrameLocator, Page, Request } from '@playwright/test';
import { expect, type Ehr } from './fixtures.ts';
import type { E2eEnvironment } from './env.ts';

/** A text no other test (or earlier run against the same sandbox) can have typed. */
export function uniqueMarker(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The one URL a note is created on (`POST {base}/DocumentReference`); searches carry a query and do not match. */
export function documentReferenceEndpoint(env: E2eEnvironment): (url: URL) => boolean {
  const endpoint = `${env.fhirBaseUrl}/DocumentReference`;
  return (url) => url.href === endpoint;
}

/** True for a note creation sent by the app (or by anything else on that URL). */
export function isNotePost(env: E2eEnvironment, request: Request): boolean {
  return request.method() === 'POST' && documentReferenceEndpoint(env)(new URL(request.url()));
}

/** Counts every note creation the browser sends (all frames, the EHR's cross-site iframe included). */
export function countNotePosts(
  context: BrowserContext,
  env: E2eEnvironment,
): { readonly count: () => number } {
  let posts = 0;
  context.on('request', (request) => {
    if (isNotePost(env, request)) posts += 1;
  });
  return { count: () => posts };
}

/** Opens the Notes tab and waits for the editor. */
export async function openNotes(app: FrameLocator): Promise<void> {
  await app.getByRole('tab', { name: 'Notes' }).click();
  await expect(app.getByRole('form', { name: 'New note' })).toBeVisible();
}

/** The note editor's fields and buttons, by their labels. */
export function noteEditor(app: FrameLocator) {
  const form = app.getByRole('form', { name: 'New note' });
  return {
    form,
    title: form.getByLabel('Title'),
    text: form.getByLabel('Note text'),
    sign: form.getByRole('button', { name: 'Sign and file' }),
    filed: form.getByRole('status').getByText('Note filed', { exact: true }),
  };
}

/** Types a note's title and text (as a clinician would, through the editor's fields). */
export async function writeNote(app: FrameLocator, title: string, text: string): Promise<void> {
  const editor = noteEditor(app);
  await editor.title.fill(title);
  await editor.text.fill(text);
  await expect(editor.text).toHaveValue(text);
}

/** The new note in the list, read back from the server; opening it shows its text. */
export async function expectNoteListed(app: FrameLocator, title: string, text: string): Promise<void> {
  const list = app.getByRole('list', { name: 'Clinical notes' });
  const item = list.getByRole('button', { name: new RegExp(`^${escapeRegExp(title)}`) });
  await expect(item).toHaveCount(1);
  await item.click();
  await expect(list.getByText(text, { exact: true })).toBeVisible();
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The attachment's text as the server holds it: base64 of UTF-8 bytes, decoded as UTF-8. */
export function storedNoteText(note: DocumentReference): string | undefined {
  const data = note.content[0]?.attachment.data;
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

/** Every note of the patient on the FHIR server whose attachment text contains `marker`. */
export async function storedNotesContaining(
  ehr: Ehr,
  patientId: string,
  marker: string,
): Promise<DocumentReference[]> {
  const bundle = await ehr.fhir<Bundle<DocumentReference>>(
    `DocumentReference?patient=${encodeURIComponent(patientId)}&_count=1000`,
  );
  expect(bundle.link?.some((link) => link.relation === 'next') ?? false, 'all notes on one page').toBe(false);
  return (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter((note): note is DocumentReference => note?.resourceType === 'DocumentReference')
    .filter((note) => storedNoteText(note)?.includes(marker) ?? false);
}

/** Exactly one note with this text on the server; returns it. */
export async function expectOneStoredNote(
  ehr: Ehr,
  patientId: string,
  marker: string,
): Promise<DocumentReference> {
  const notes = await storedNotesContaining(ehr, patientId, marker);
  expect(notes, `notes of ${patientId} containing ${marker}`).toHaveLength(1);
  const [note] = notes;
  if (!note) throw new Error('unreachable');
  return note;
}

/** The patient's most recent encounter, from the sandbox EHR's own list. */
export async function latestEncounter(env: E2eEnvironment, patientId: string): Promise<string> {
  const response = await fetch(
    `${env.sandboxOrigin}/ehr/encounters?patient=${encodeURIComponent(patientId)}`,
  );
  expect(response.ok).toBe(true);
  const encounters = (await response.json()) as { id?: string }[];
  const id = encounters[0]?.id;
  if (!id) throw new Error(`no encounter for ${patientId}`);
  return id;
}

/** MOVO-X's frame inside the EHR page (to read its window and storage). */
export function appFrame(page: Page, env: E2eEnvironment): Frame {
  const frame = page.frames().find((candidate) => candidate.url().startsWith(env.appOrigin));
  if (!frame) throw new Error('MOVO-X frame not found');
  return frame;
}

/** Whether any of the app origin's localStorage values contains `text` (drafts live there: DRAFTS.md). */
export async function localStorageContains(page: Page, env: E2eEnvironment, text: string): Promise<boolean> {
  return appFrame(page, env).evaluate(
    (needle) => Object.keys(localStorage).some((key) => localStorage.getItem(key)?.includes(needle) ?? false),
    text,
  );
}
