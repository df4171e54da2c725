/**
 * Reading notes: the patient's clinical notes, newest first, page by page, and the content of a note stored
 * at a URL (usually a Binary). US Core clinical notes search:
 * https://hl7.org/fhir/us/core/StructureDefinition-us-core-documentreference.html (patient + category).
 */
import { infiniteQueryOptions, queryOptions, skipToken } from '@tanstack/react-query';
import type { Bundle } from 'fhir/r4';
import { FhirError } from '../../../lib/fhir/errors.ts';
import type { Session } from '../../../session/session.ts';
import { US_CORE_DOCUMENT_CATEGORY } from '../model/documentReference.ts';
import { fetchedContent, toNoteViews, type NoteContent, type NoteView } from '../model/noteView.ts';
import { resolveOnFhirServer } from '../../../lib/fhir/urls.ts';
import { fhirRequest } from '../../../lib/fhir/request.ts';
import { noteKeys } from './noteKeys.ts';

export const NOTES_PAGE_SIZE = 50;
/** A server whose `next` links never end must not keep MOVO-X fetching: 20 pages of 50 is a long history. */
export const MAX_NOTE_PAGES = 20;

export interface NotesPage {
  readonly notes: readonly NoteView[];
  /** The next page's URL, already checked to lie on the FHIR server; undefined on the last page. */
  readonly next: string | undefined;
}

type NotesSession = Pick<Session, 'client' | 'identity' | 'capabilities'>;

export function notesSearchPath(patientId: string): string {
  const query = new URLSearchParams({
    patient: patientId,
    category: `${US_CORE_DOCUMENT_CATEGORY}|clinical-note`,
    _sort: '-date',
    _count: String(NOTES_PAGE_SIZE),
  });
  return `DocumentReference?${query.toString()}`;
}

export async function fetchNotesPage(
  session: NotesSession,
  url: string,
  signal?: AbortSignal,
): Promise<NotesPage> {
  const serverUrl = session.identity.serverUrl;
  const bundle = await fhirRequest<Bundle | undefined>(session.client, { url, signal });
  if (bundle?.resourceType !== 'Bundle') {
    throw new FhirError(
      'unreadable',
      'The EHR answered the notes search with something other than a Bundle.',
    );
  }
  const resources = (bundle.entry ?? []).map((entry) => entry.resource);
  const nextLink = bundle.link?.find((link) => link.relation === 'next')?.url;
  // A `next` link on another server would receive our token: stop there instead (SMART: tokens go to `iss` only).
  const next = nextLink ? resolveOnFhirServer(nextLink, serverUrl) : undefined;
  if (nextLink && !next) console.warn('MOVO-X: ignored a next link outside the FHIR server', nextLink);
  return { notes: toNoteViews(resources, serverUrl), next };
}

/** The notes list, one page per "Load older notes". Disabled (skipToken) when the grant cannot search notes. */
export function notesListOptions(session: NotesSession) {
  // The key holds the launch identity; the client belongs to that launch and is not part of a key.
  // eslint-disable-next-line @tanstack/query/exhaustive-deps
  return infiniteQueryOptions({
    queryKey: noteKeys.list(session.identity),
    queryFn:
      session.capabilities.readNotes === 'none'
        ? skipToken
        : ({ pageParam, signal }) => fetchNotesPage(session, pageParam, signal),
    initialPageParam: notesSearchPath(session.identity.patientId),
    // Loop guard: a page whose `next` we have already fetched, or too many pages, ends the list.
    getNextPageParam: (lastPage, _pages, _lastParam, allParams) =>
      lastPage.next && !allParams.includes(lastPage.next) && allParams.length < MAX_NOTE_PAGES
        ? lastPage.next
        : undefined,
    // A note filed from MOVO-X invalidates the list; other writers are the EHR's: refresh when asked.
    staleTime: 60_000,
  });
}

async function fetchNoteContent(
  session: NotesSession,
  content: Extract<NoteContent, { kind: 'fetch' }>,
  signal: AbortSignal,
): Promise<NoteContent> {
  // Checked again here: only a URL on the FHIR server ever gets the token.
  const url = resolveOnFhirServer(content.url, session.identity.serverUrl);
  if (!url) return { kind: 'elsewhere', contentType: content.contentType };
  let body = await fhirRequest<unknown>(session.client, {
    url,
    signal,
    headers: { accept: content.contentType },
  });
  // fhirclient returns text for text/* and JSON for JSON; anything else (application/xhtml+xml) as a Response.
  if (body instanceof Response) body = await body.text();
  return fetchedContent(body, content);
}

/** The content of a note: fetched only for attachments on the FHIR server; inline content as is. */
export function noteContentOptions(session: NotesSession, note: NoteView) {
  const content = note.content;
  // A note's id names its content within the launch identity; the client belongs to that launch.
  // eslint-disable-next-line @tanstack/query/exhaustive-deps
  return queryOptions({
    queryKey: noteKeys.content(session.identity, note.id),
    queryFn:
      content.kind === 'fetch' ? ({ signal }) => fetchNoteContent(session, content, signal) : skipToken,
    // A filed note's content does not change under the same id within a launch.
    staleTime: Infinity,
  });
}
