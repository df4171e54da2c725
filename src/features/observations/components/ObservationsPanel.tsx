/**
 * The observations panel: overview ↔ detail (in-component navigation), with loading, error (retry), empty and
 * success states, load progress while the history streams in, and an error boundary per view.
 */
import { lazy, startTransition, Suspense, useEffect, useMemo, useState } from 'react';
import { describeFhirError, type FhirError } from '../../../lib/fhir/errors.ts';
import { useSession } from '../../../session/session.ts';
import { useObservationHistory } from '../api/history.ts';
import { PAGING_WARNINGS, type ObservationHistory } from '../api/paging.ts';
import { buildOverview } from '../model/overview.ts';
import { loadUcumConverter } from '../model/ucumConverter.ts';
import { formatCount } from './labels.ts';
import { OverviewView } from './OverviewView.tsx';
import { PanelErrorBoundary } from '../../../components/PanelErrorBoundary.tsx';
import { PanelMessage } from './parts.tsx';
import './observations.css';

// The detail (tables, series building, then recharts and DOMPurify in their own chunks) is not needed for the
// first clinical value: it loads when a clinician opens one.
const DetailView = lazy(() => import('./DetailView.tsx').then((m) => ({ default: m.DetailView })));

export const NO_ACCESS_MESSAGE = 'This EHR did not grant MOVO-X access to observations.';
export const PARTIAL_ACCESS_MESSAGE =
  'This EHR granted access to some observation categories only; others may be missing.';

type Screen = { readonly kind: 'overview' } | { readonly kind: 'detail'; readonly groupKey: string };

export interface ObservationsPanelProps {
  /** A fixed chart size (tests, print); by default charts fill their container. */
  readonly chartSize?: { readonly width: number; readonly height: number };
  /** The clock for time ranges (tests pin it). */
  readonly now?: number;
}

export function ObservationsPanel({ chartSize, now }: ObservationsPanelProps = {}) {
  const { capabilities } = useSession();
  return (
    <section className="obs-panel" aria-labelledby="obs-heading">
      <h2 id="obs-heading">Observations</h2>
      {capabilities.readObservations === 'none' ? (
        <PanelMessage>{NO_ACCESS_MESSAGE}</PanelMessage>
      ) : (
        <>
          {capabilities.readObservations === 'some' && (
            <p className="obs-note" role="note">
              {PARTIAL_ACCESS_MESSAGE}
            </p>
          )}
          <PanelErrorBoundary name="the observations">
            <HistoryPanel chartSize={chartSize} now={now} />
          </PanelErrorBoundary>
        </>
      )}
    </section>
  );
}

function errorMessage(error: FhirError): string {
  return error.kind === 'forbidden' ? NO_ACCESS_MESSAGE : describeFhirError(error);
}

function HistoryPanel({ chartSize, now }: ObservationsPanelProps) {
  const query = useObservationHistory();
  const [screen, setScreen] = useState<Screen>({ kind: 'overview' });
  const retry = () => void query.refetch();
  const loaded = query.data !== undefined && query.fetchStatus === 'idle';
  useEffect(() => {
    if (!loaded) return undefined;
    // Warm what opening a detail needs (UCUM, the detail view, recharts) while the clinician reads the overview,
    // so that the click pays for none of it.
    return prefetchWhenIdle(() => {
      void loadUcumConverter().catch(() => undefined);
      void import('./DetailView.tsx').catch(() => undefined);
      void import('./TrendChart.tsx').catch(() => undefined);
    });
  }, [loaded]);

  if (query.isPending) {
    return (
      <PanelMessage>
        <span className="obs-skeleton" aria-hidden="true" />
        Loading observations…
      </PanelMessage>
    );
  }
  if (query.isError && query.data === undefined) {
    return (
      <PanelMessage role="alert">
        <p>{errorMessage(query.error)}</p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </PanelMessage>
    );
  }
  const history = query.data;
  const loading = query.fetchStatus === 'fetching';
  return (
    <>
      <Progress history={history} loading={loading} />
      {query.isError && (
        <div className="obs-message" role="alert">
          <p>
            Loading stopped after {formatCount(history.received)} observations: {errorMessage(query.error)}
          </p>
          <button type="button" onClick={retry} disabled={loading}>
            Try again
          </button>
        </div>
      )}
      {history.warning !== undefined && (
        <p className="obs-warning" role="status">
          {PAGING_WARNINGS[history.warning]}
        </p>
      )}
      {history.store.count === 0 ? (
        loading ? (
          <PanelMessage>Loading observations…</PanelMessage>
        ) : (
          <PanelMessage>No observations recorded for this patient</PanelMessage>
        )
      ) : screen.kind === 'detail' ? (
        <PanelErrorBoundary name="this observation's detail" resetKeys={[screen.groupKey]}>
          <Detail
            history={history}
            groupKey={screen.groupKey}
            onBack={() => {
              startTransition(() => {
                setScreen({ kind: 'overview' });
              });
            }}
            chartSize={chartSize}
            now={now}
          />
        </PanelErrorBoundary>
      ) : (
        <PanelErrorBoundary name="the observation overview">
          <Overview
            history={history}
            onOpen={(groupKey) => {
              // A transition: React renders the detail (series of thousands of values, the chart) in slices that
              // yield to the browser, rather than in one long task (issue 4: no task over 200 ms).
              startTransition(() => {
                setScreen({ kind: 'detail', groupKey });
              });
            }}
          />
        </PanelErrorBoundary>
      )}
    </>
  );
}

/**
 * Unit conversion is only needed in the detail view: fetch its chunk once the history has loaded and the browser is
 * idle, so that opening a detail does not wait for it.
 */
function prefetchWhenIdle(task: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(task, { timeout: 5_000 });
    return () => {
      cancelIdleCallback(id);
    };
  }
  const id = setTimeout(task, 1_000);
  return () => {
    clearTimeout(id);
  };
}

function Progress({ history, loading }: { history: ObservationHistory; loading: boolean }) {
  if (!loading) return null;
  // By category, the total is known only once every category's search has started.
  const total = history.queuedSearches.length === 0 ? history.total : undefined;
  const of = total !== undefined ? ` of ${formatCount(total)}` : '';
  return (
    <p className="obs-progress" role="status">
      Loaded {formatCount(history.received)}
      {of} observations…
      {total !== undefined && total > 0 && (
        <progress value={Math.min(history.received, total)} max={total} aria-hidden="true" />
      )}
    </p>
  );
}

function Overview({ history, onOpen }: { history: ObservationHistory; onOpen: (groupKey: string) => void }) {
  const overview = useMemo(() => buildOverview(history.store), [history.store]);
  return <OverviewView overview={overview} onOpen={onOpen} />;
}

function Detail({
  history,
  groupKey,
  onBack,
  chartSize,
  now,
}: {
  history: ObservationHistory;
  groupKey: string;
  onBack: () => void;
  chartSize: ObservationsPanelProps['chartSize'];
  now: number | undefined;
}) {
  const group = history.store.groups.get(groupKey);
  if (!group) {
    return (
      <PanelMessage>
        <p>These observations are no longer available.</p>
        <button type="button" onClick={onBack}>
          Back to overview
        </button>
      </PanelMessage>
    );
  }
  return (
    <Suspense fallback={<PanelMessage>Loading…</PanelMessage>}>
      <DetailView
        group={group}
        onBack={onBack}
        chartSize={chartSize}
        {...(now === undefined ? {} : { now })}
      />
    </Suspense>
  );
}
