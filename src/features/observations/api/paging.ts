/**
 * Reading FHIR search pages and deciding whether to follow `next`: pure functions, unit-tested.
 *
 * - Search: `Observation?patient=<id>&_sort=-date&_count=<n>`: one stream for the whole history, newest first
 *   (FHIR R4 search, http://hl7.org/fhir/R4/search.html#sort). It catches every category, including none.
 * - Paging: follow Bundle.link[relation=next] to the end (http://hl7.org/fhir/R4/http.html#paging), but only on the
 *   FHIR server's own origin: fhirclient sends the bearer token with every request, and a Bundle may name other
 *   servers (SMART "never send the token to a server other than the one it was issued for").
 * - Loop guard: a `next` URL already requested, or a page whose every entry was already seen, stops the stream with
 *   a warning; so do repeated empty pages.
 */
import { FhirError } from '../../../lib/fhir/errors.ts';
import { resolveOnFhirServer } from '../../../lib/fhir/urls.ts';
import { CATEGORY_PRIORITY } from '../model/codeSets.ts';
import { mapObservation } from '../model/mapObservation.ts';
import { readArray, readNumber, readRecord, readRecords, readString } from '../model/read.ts';
import { EMPTY_STORE, mergeViews, type ObservationStore } from '../model/store.ts';
import type { ObservationView } from '../model/types.ts';

export const DEFAULT_PAGE_SIZE = 1000;
/** Consecutive empty pages with a `next` link tolerated before giving up. */
export const MAX_EMPTY_PAGES = 3;

export interface ObservationSearchParams {
  readonly patientId: string;
  readonly pageSize: number;
  /** Some EHRs (Epic) require a category on Observation search: see `observationSearchUrls`. */
  readonly category?: string;
}

/**
 * The categories searched one after another when a registration says `observationSearch: 'by-category'`
 * (Epic refuses an Observation search without a category or code). Vital signs first: they are painted first.
 * http://terminology.hl7.org/CodeSystem/observation-category; `sdoh` is US Core's.
 */
export const SEARCHED_CATEGORIES: readonly string[] = [...CATEGORY_PRIORITY, 'sdoh'];

export type ObservationSearchMode = 'all' | 'by-category';

/**
 * The searches whose pages make up the history, in order: one unfiltered search (it also finds observations
 * without a category), or one per category where the EHR requires a category (those without one cannot be found
 * there at all).
 */
export function observationSearchUrls(
  mode: ObservationSearchMode,
  patientId: string,
  pageSize: number,
): string[] {
  if (mode === 'all') return [observationSearchUrl({ patientId, pageSize })];
  return SEARCHED_CATEGORIES.map((category) => observationSearchUrl({ patientId, pageSize, category }));
}

/** The first request of the stream, relative to the FHIR base (fhirclient resolves it). */
export function observationSearchUrl({ patientId, pageSize, category }: ObservationSearchParams): string {
  const params = new URLSearchParams({ patient: patientId, _sort: '-date', _count: String(pageSize) });
  if (category !== undefined) params.set('category', category);
  return `Observation?${params.toString()}`;
}

export type PagingWarning = 'repeated-page' | 'foreign-next-link' | 'empty-pages';

export const PAGING_WARNINGS: Readonly<Record<PagingWarning, string>> = {
  'repeated-page': 'The EHR repeated a page; history may be incomplete.',
  'foreign-next-link':
    "The EHR's next page is on another server; MOVO-X did not follow it. History may be incomplete.",
  'empty-pages': 'The EHR kept sending empty pages; history may be incomplete.',
};

export interface SearchPage {
  /** Absolute URL the page was requested with. */
  readonly requestUrl: string;
  /** Observations mapped from the page (entered-in-error excluded). */
  readonly views: readonly ObservationView[];
  /** Observation entries in the page, before exclusion. */
  readonly entries: number;
  /** Bundle.link[next].url as sent (may be relative or foreign: judged by `nextStep`). */
  readonly next: string | undefined;
  readonly total: number | undefined;
  /** The first page of one of the searches (its Bundle.total counts that search). */
  readonly firstOfSearch?: boolean;
}

/** Reads a searchset Bundle. Anything else is an "unreadable" FhirError: the EHR did not answer a search. */
export function readSearchBundle(bundle: unknown): {
  resources: { resource: unknown; fallbackId: string | undefined }[];
  next: string | undefined;
  total: number | undefined;
} {
  const b = readRecord(bundle);
  if (!b || b.resourceType !== 'Bundle') {
    throw new FhirError(
      'unreadable',
      'The EHR answered the observation search with something other than a Bundle.',
    );
  }
  const next = readRecords(b.link).find((l) => readString(l.relation) === 'next');
  const resources = readArray(b.entry)
    .map(readRecord)
    .filter((e) => readRecord(e?.resource)?.resourceType === 'Observation')
    .map((e) => ({ resource: e?.resource, fallbackId: readString(e?.fullUrl) }));
  return { resources, next: readString(next?.url), total: readNumber(b.total) };
}

/** Maps a page's resources in slices, yielding to the main thread between them (no task over ~50 ms). */
export async function mapInSlices(
  resources: readonly { resource: unknown; fallbackId: string | undefined }[],
  requestUrl: string,
  yieldToMain: () => Promise<void> = defaultYield,
  sliceSize = 250,
): Promise<ObservationView[]> {
  const views: ObservationView[] = [];
  for (let start = 0; start < resources.length; start += sliceSize) {
    if (start > 0) await yieldToMain();
    const end = Math.min(resources.length, start + sliceSize);
    for (let i = start; i < end; i++) {
      const item = resources[i];
      const view = mapObservation(item?.resource, item?.fallbackId ?? `${requestUrl}#${i}`);
      if (view) views.push(view);
    }
  }
  return views;
}

/**
 * Yields to the event loop so input and paint can run between slices. `scheduler.yield()` where available
 * (Chromium); otherwise a MessageChannel message, which, unlike setTimeout, background tabs do not throttle to
 * one per second.
 */
function defaultYield(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

export type NextStep =
  | { readonly kind: 'follow'; readonly url: string }
  | { readonly kind: 'done' }
  | { readonly kind: 'stop'; readonly warning: PagingWarning };

/**
 * Whether to follow a `next` link: only on the FHIR server itself (the token goes with it), and never a URL
 * already requested.
 */
export function nextStep(
  next: string | undefined,
  serverUrl: string,
  requested: ReadonlySet<string>,
): NextStep {
  if (next === undefined) return { kind: 'done' };
  const url = resolveOnFhirServer(next, serverUrl);
  if (url === undefined) return { kind: 'stop', warning: 'foreign-next-link' };
  if (requested.has(url)) return { kind: 'stop', warning: 'repeated-page' };
  return { kind: 'follow', url };
}

/** Everything loaded so far for the launched patient, and where the stream stands. */
export interface ObservationHistory {
  readonly store: ObservationStore;
  /** The sum of Bundle.total of each search's first page, when the EHR sent them. */
  readonly total: number | undefined;
  /** First-page URLs of the searches not started yet (by-category mode); `total` is final once this is empty. */
  readonly queuedSearches: readonly string[];
  /** Observation entries received, without repeats (entered-in-error included: Bundle.total counts them too). */
  readonly received: number;
  readonly pages: number;
  readonly requestedUrls: ReadonlySet<string>;
  /** The next page to request; undefined when the stream has ended (complete or stopped). */
  readonly nextUrl: string | undefined;
  readonly complete: boolean;
  readonly warning: PagingWarning | undefined;
  readonly emptyStreak: number;
}

export const EMPTY_HISTORY: ObservationHistory = {
  store: EMPTY_STORE,
  total: undefined,
  queuedSearches: [],
  received: 0,
  pages: 0,
  requestedUrls: new Set(),
  nextUrl: undefined,
  complete: false,
  warning: undefined,
  emptyStreak: 0,
};

/** Adds a page and decides what comes next. Pure: the stream calls it once per page. */
export function applyPage(
  history: ObservationHistory,
  page: SearchPage,
  serverUrl: string,
): ObservationHistory {
  const { store, duplicates } = mergeViews(history.store, page.views);
  const requestedUrls = new Set(history.requestedUrls).add(page.requestUrl);
  const excluded = page.entries - page.views.length;
  const base = {
    store,
    total: page.firstOfSearch && page.total !== undefined ? (history.total ?? 0) + page.total : history.total,
    received: history.received + page.entries - duplicates,
    pages: history.pages + 1,
    requestedUrls,
    queuedSearches: history.queuedSearches,
  };
  const stop = (warning: PagingWarning | undefined): ObservationHistory => ({
    ...base,
    nextUrl: undefined,
    complete: warning === undefined,
    warning,
    emptyStreak: 0,
  });
  // Every entry already seen: the server is repeating itself (offset paging gone wrong, a cursor loop).
  if (page.views.length > 0 && duplicates === page.views.length && excluded === 0)
    return stop('repeated-page');
  const emptyStreak = page.entries === 0 ? history.emptyStreak + 1 : 0;
  const step = nextStep(page.next, serverUrl, requestedUrls);
  if (step.kind === 'done') {
    // This search is finished; the next queued one (by-category mode) starts, else the history is complete.
    const [following, ...rest] = history.queuedSearches;
    if (following === undefined) return stop(undefined);
    return {
      ...base,
      queuedSearches: rest,
      nextUrl: following,
      complete: false,
      warning: undefined,
      emptyStreak: 0,
    };
  }
  if (step.kind === 'stop') return stop(step.warning);
  if (emptyStreak > MAX_EMPTY_PAGES) return stop('empty-pages');
  return { ...base, nextUrl: step.url, complete: false, warning: undefined, emptyStreak };
}
