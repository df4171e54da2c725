/**
 * The patient's whole observation history as ONE streamed react-query query: the first page is data at once
 * (status `success`), further pages keep arriving while `fetchStatus` stays `fetching`; the overview and the detail
 * read the same cache entry, so switching views sends no request.
 *
 * Built on TanStack Query's `experimental_streamedQuery` (pinned react-query 5.108.4) with refetchMode `append`:
 * the stream itself keeps the state (each page mapped once, merged incrementally) and yields snapshots, which
 * replace the cached data. "Try again" after a failed page resumes from that page instead of starting over.
 *
 * The stream does not consume the abort signal on purpose: leaving the panel must not revert the pages already
 * loaded (react-query reverts a cancelled query to its state before the fetch); loading continues in the
 * background and the next mount finds it in the cache.
 */
import {
  experimental_streamedQuery as streamedQuery,
  queryOptions,
  skipToken,
  useQuery,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import type Client from 'fhirclient/lib/Client';
import { fhirRequest } from '../../../lib/fhir/request.ts';
import { resolveFhirUrl } from '../../../lib/fhir/urls.ts';
import { useSession, type Session } from '../../../session/session.ts';
import { observationKeys } from './keys.ts';
import {
  applyPage,
  DEFAULT_PAGE_SIZE,
  EMPTY_HISTORY,
  mapInSlices,
  observationSearchUrls,
  readSearchBundle,
  type ObservationHistory,
  type ObservationSearchMode,
} from './paging.ts';

export type HistorySession = Pick<Session, 'client' | 'identity' | 'capabilities'> & {
  readonly registration: { readonly observationSearch: ObservationSearchMode };
};

async function* historyStream(
  client: Client,
  serverUrl: string,
  patientId: string,
  pageSize: number,
  mode: ObservationSearchMode,
  queryClient: QueryClient,
  queryKey: QueryKey,
): AsyncGenerator<ObservationHistory> {
  const starts = observationSearchUrls(mode, patientId, pageSize).map((url) =>
    resolveFhirUrl(url, serverUrl),
  );
  const firstPages = new Set(starts);
  const previous = queryClient.getQueryData<ObservationHistory>(queryKey);
  // Resume after a failed page; otherwise (first load, or a refetch of a finished history) start over.
  let history =
    previous && !previous.complete && previous.nextUrl !== undefined
      ? previous
      : { ...EMPTY_HISTORY, queuedSearches: starts.slice(1) };
  let url: string | undefined = history.nextUrl ?? starts[0];
  while (url !== undefined) {
    const requestUrl: string = url;
    const bundle = await fhirRequest<unknown>(client, requestUrl);
    const page = readSearchBundle(bundle);
    const views = await mapInSlices(page.resources, requestUrl);
    history = applyPage(
      history,
      {
        requestUrl,
        views,
        entries: page.resources.length,
        next: page.next,
        total: page.total,
        firstOfSearch: firstPages.has(requestUrl),
      },
      serverUrl,
    );
    // The cached snapshot's `nextUrl` is the page to load next: if that page fails, a retry resumes there.
    yield history;
    url = history.nextUrl;
  }
}

export function observationHistoryOptions(session: HistorySession, pageSize: number = DEFAULT_PAGE_SIZE) {
  const { client, identity, capabilities, registration } = session;
  const queryKey = observationKeys.history(identity, pageSize);
  return queryOptions({
    queryKey,
    queryFn:
      capabilities.readObservations === 'none'
        ? skipToken
        : streamedQuery<ObservationHistory, ObservationHistory, typeof queryKey>({
            streamFn: (context) =>
              historyStream(
                client,
                identity.serverUrl,
                identity.patientId,
                pageSize,
                registration.observationSearch,
                context.client,
                context.queryKey,
              ),
            refetchMode: 'append',
            reducer: (_previous, snapshot) => snapshot,
            initialValue: EMPTY_HISTORY,
          }),
    // Launch-scoped: the history is loaded once per launch; "Try again" refetches explicitly.
    staleTime: Infinity,
    gcTime: Infinity,
    // The data holds Maps and Sets: structural sharing would only waste time comparing 30,000 views.
    structuralSharing: false,
  });
}

/** The launched patient's observation history (shared by the overview, the detail and the note snippets). */
export function useObservationHistory(pageSize: number = DEFAULT_PAGE_SIZE) {
  const session = useSession();
  return useQuery(observationHistoryOptions(session, pageSize));
}
