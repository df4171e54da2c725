/**
 * DocumentReference → what the notes list and reader show. Pure and total: a FHIR server's JSON is untrusted
 * input, so every field is checked and nothing here throws.
 *
 * Content choice follows US Core clinical notes (https://hl7.org/fhir/us/core/clinical-notes.html): a note may
 * carry inline `data` or a `url` (often a Binary on the same server), in several formats. MOVO-X shows plain
 * text and (sanitised) HTML; anything else (PDF, images, CDA) is left to the EHR's own viewer.
 */
import type { Attachment } from 'fhir/r4';
import { base64ToBytes, decodeBytes, parseContentType } from './base64.ts';
import { resolveOnFhirServer } from '../../../lib/fhir/urls.ts';

export type NoteStatus = 'signed' | 'for-review' | 'amended' | 'superseded' | 'unstated';

/** Formats MOVO-X renders itself. */
export type DisplayFormat = 'text' | 'html';

export type NoteContent =
  /** Plain text, decoded in its declared charset: render as preformatted text, never as markup. */
  | { readonly kind: 'text'; readonly text: string }
  /** Untrusted markup from the EHR: it MUST go through DOMPurify before it reaches the DOM. */
  | { readonly kind: 'html'; readonly html: string }
  /** A text or HTML document at a URL on the FHIR server: fetch it with the same client. */
  | {
      readonly kind: 'fetch';
      readonly url: string;
      readonly contentType: string;
      readonly format: DisplayFormat;
    }
  /** A document on another server: the token must not go there, so the EHR has to show it. */
  | { readonly kind: 'elsewhere'; readonly contentType: string }
  | { readonly kind: 'unsupported'; readonly contentType: string }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'none' };

export interface NoteView {
  readonly id: string;
  readonly typeDisplay: string;
  readonly title: string;
  readonly author: string;
  /** As the server sent it (ISO 8601, possibly date-only); undefined when absent. */
  readonly date: string | undefined;
  readonly status: NoteStatus;
  readonly statusLabel: string;
  readonly content: NoteContent;
}

export const UNKNOWN_AUTHOR = 'Unknown author';

const STATUS_LABELS: Record<NoteStatus, string> = {
  signed: 'Signed',
  'for-review': 'For review',
  amended: 'Amended',
  superseded: 'Superseded',
  unstated: 'Status not stated',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function array(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function displayFormat(mediaType: string): DisplayFormat | undefined {
  if (mediaType === 'text/plain') return 'text';
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  return undefined;
}

function conceptDisplay(concept: unknown): string | undefined {
  const value = record(concept);
  const first = record(array(value.coding)[0]);
  return text(value.text) ?? text(first.display) ?? text(first.code);
}

/**
 * Signed / for review from `docStatus` (http://hl7.org/fhir/R4/valueset-composition-status.html):
 * preliminary is an unsigned note awaiting review (Epic), final and amended are signed.
 */
function noteStatus(resource: Record<string, unknown>): NoteStatus {
  if (resource.status === 'superseded') return 'superseded';
  switch (resource.docStatus) {
    case 'final':
      return 'signed';
    case 'amended':
      return 'amended';
    case 'preliminary':
      return 'for-review';
    default:
      return 'unstated';
  }
}

/** A note retracted by its author is not part of the record a clinician should read (FHIR R4 DocumentReference.status). */
export function isEnteredInError(resource: unknown): boolean {
  const value = record(resource);
  return value.status === 'entered-in-error' || value.docStatus === 'entered-in-error';
}

function authorDisplay(authors: unknown): string {
  const names = array(authors)
    .map((author) => text(record(author).display))
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? names.join(', ') : UNKNOWN_AUTHOR;
}

/** Inline attachment data → text or markup in the declared charset. */
function decodeInline(data: string, contentType: string, format: DisplayFormat): NoteContent {
  const bytes = base64ToBytes(data);
  if (!bytes) return { kind: 'unreadable', reason: 'The note text is not valid base64.' };
  const decoded = decodeBytes(bytes, parseContentType(contentType).charset);
  if (decoded === undefined) {
    return { kind: 'unreadable', reason: `The note's character set (${contentType}) is not supported.` };
  }
  return format === 'text' ? { kind: 'text', text: decoded } : { kind: 'html', html: decoded };
}

/** Lower is better: inline text, inline HTML, text/HTML on the FHIR server, text/HTML elsewhere, the rest. */
function attachmentRank(attachment: Attachment, serverUrl: string): number {
  const format = displayFormat(parseContentType(attachment.contentType).mediaType);
  if (!format) return 5;
  const offset = format === 'text' ? 0 : 1;
  if (text(attachment.data)) return offset;
  const url = text(attachment.url);
  if (url && resolveOnFhirServer(url, serverUrl)) return 2 + offset;
  return 4;
}

export function attachmentContent(attachment: Attachment, serverUrl: string): NoteContent {
  const contentType = text(attachment.contentType) ?? 'application/octet-stream';
  const format = displayFormat(parseContentType(contentType).mediaType);
  if (!format)
    return { kind: 'unsupported', contentType: parseContentType(contentType).mediaType || contentType };
  const data = text(attachment.data);
  if (data) return decodeInline(data, contentType, format);
  const url = text(attachment.url);
  if (!url) return { kind: 'none' };
  const onServer = resolveOnFhirServer(url, serverUrl);
  return onServer
    ? { kind: 'fetch', url: onServer, contentType, format }
    : { kind: 'elsewhere', contentType };
}

function chooseContent(contents: unknown, serverUrl: string): NoteContent {
  const attachments = array(contents)
    .map((content) => record(content).attachment)
    .filter((attachment): attachment is Attachment => typeof attachment === 'object' && attachment !== null);
  let best: Attachment | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const attachment of attachments) {
    const rank = attachmentRank(attachment, serverUrl);
    if (rank < bestRank) {
      best = attachment;
      bestRank = rank;
    }
  }
  return best ? attachmentContent(best, serverUrl) : { kind: 'none' };
}

/**
 * One DocumentReference → NoteView; undefined for anything that is not a DocumentReference or was entered in
 * error. `serverUrl` decides which attachment URLs may be fetched with the token.
 */
export function toNoteView(resource: unknown, serverUrl: string, fallbackId = ''): NoteView | undefined {
  const value = record(resource);
  if (value.resourceType !== 'DocumentReference' || isEnteredInError(value)) return undefined;
  const typeDisplay = conceptDisplay(value.type) ?? 'Clinical note';
  const firstAttachment = record(record(array(value.content)[0]).attachment);
  const status = noteStatus(value);
  const contextPeriod = record(record(value.context).period);
  return {
    id: text(value.id) ?? fallbackId,
    typeDisplay,
    title: text(value.description) ?? text(firstAttachment.title) ?? typeDisplay,
    author: authorDisplay(value.author),
    date: text(value.date) ?? text(contextPeriod.start),
    status,
    statusLabel: STATUS_LABELS[status],
    content: chooseContent(value.content, serverUrl),
  };
}

/** A page of search results → views, newest first (servers may ignore `_sort`); undated notes last. */
export function toNoteViews(resources: readonly unknown[], serverUrl: string): NoteView[] {
  return sortNewestFirst(
    resources
      .map((resource, index) => toNoteView(resource, serverUrl, `note-${index}`))
      .filter((view): view is NoteView => view !== undefined),
  );
}

function timeOf(date: string | undefined): number {
  const time = date ? Date.parse(date) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

export function sortNewestFirst(views: readonly NoteView[]): NoteView[] {
  return [...views].sort((a, b) => timeOf(b.date) - timeOf(a.date));
}

/**
 * What a Binary read returned → content. fhirclient returns text for `text/*` answers and parsed JSON for
 * JSON; a server that ignores `Accept` answers with a Binary resource (http://hl7.org/fhir/R4/binary.html).
 */
export function fetchedContent(
  body: unknown,
  requested: { contentType: string; format: DisplayFormat },
): NoteContent {
  if (typeof body === 'string') {
    return requested.format === 'text' ? { kind: 'text', text: body } : { kind: 'html', html: body };
  }
  const value = record(body);
  if (value.resourceType === 'Binary') {
    const contentType = text(value.contentType) ?? requested.contentType;
    const format = displayFormat(parseContentType(contentType).mediaType);
    if (!format) return { kind: 'unsupported', contentType: parseContentType(contentType).mediaType };
    const data = text(value.data);
    return data ? decodeInline(data, contentType, format) : { kind: 'none' };
  }
  return { kind: 'unreadable', reason: 'The EHR answered with something other than the note.' };
}

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * `2026-12-03T08:14:00Z` → `2026-12-03 08:14` in the browser's time zone (the clinician's); a date-only value
 * stays a date; anything unparsable is shown as sent rather than hidden.
 */
export function formatNoteDate(date: string | undefined): string {
  if (!date) return 'Date not stated';
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(date)) return date;
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime())) return date;
  return `${parsed.getFullYear()}-${pad(parsed.getMonth() + 1)}-${pad(parsed.getDate())} ${pad(parsed.getHours())}:${pad(parsed.getMinutes())}`;
}
