/**
 * One concept in detail: time-range choice, a chart per series (lazy recharts chunk), and beside each chart the
 * table of every value in range. Values that cannot be trended (text, coded, absent, unreadable) get a table too.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { downsample, DEFAULT_MAX_POINTS } from '../model/downsample.ts';
import { buildSeries, type Series } from '../model/series.ts';
import type { ObservationGroup } from '../model/store.ts';
import type { ObservationView } from '../model/types.ts';
import { formatCount } from './labels.ts';
import type { DrawnPoint } from './TrendChart.tsx';
import { useUnitConverter } from './useUnitConverter.ts';
import { ValuesTable, type ValueRow } from './ValuesTable.tsx';

const TrendChart = lazy(() => import('./TrendChart.tsx'));
const Narrative = lazy(() => import('./Narrative.tsx'));

export type TimeRange = '24h' | '7d' | '1y' | 'all';

const HOUR = 3_600_000;
export const TIME_RANGES: readonly {
  readonly id: TimeRange;
  readonly label: string;
  readonly span: number;
}[] = [
  { id: '24h', label: '24 h', span: 24 * HOUR },
  { id: '7d', label: '7 days', span: 7 * 24 * HOUR },
  { id: '1y', label: '1 year', span: 365 * 24 * HOUR },
  { id: 'all', label: 'All', span: Infinity },
];

/** The smallest range that holds at least two values of the newest series (a trend needs two), else All. */
export function defaultRange(times: readonly (number | undefined)[], now: number): TimeRange {
  for (const range of TIME_RANGES) {
    if (range.id === 'all') break;
    const count = times.filter((t) => t !== undefined && t >= now - range.span && t <= now).length;
    if (count >= 2) return range.id;
  }
  return 'all';
}

function inRange(time: number | undefined, range: TimeRange, now: number): boolean {
  if (range === 'all') return true;
  const span = TIME_RANGES.find((r) => r.id === range)?.span ?? Infinity;
  return time !== undefined && time >= now - span;
}

interface Props {
  readonly group: ObservationGroup;
  readonly onBack: () => void;
  readonly chartSize?: { readonly width: number; readonly height: number } | undefined;
  /** The clock (tests pin it). */
  readonly now?: number;
}

const isTrendable = (v: ObservationView) =>
  v.status !== 'cancelled' &&
  (v.value.kind === 'quantity' || v.value.kind === 'integer' || v.value.kind === 'blood-pressure');

export function DetailView({ group, onBack, chartSize, now: fixedNow }: Props) {
  const converter = useUnitConverter();
  const [now] = useState(() => fixedNow ?? Date.now());
  const series = useMemo(() => buildSeries(group.views, converter), [group.views, converter]);
  const others = useMemo(() => group.views.filter((v) => !isTrendable(v)), [group.views]);
  const [range, setRange] = useState<TimeRange>(() =>
    defaultRange(series[0]?.points.map((p) => p.time) ?? group.views.map((v) => v.effective.sortTime), now),
  );
  const otherRows = useMemo(
    () => others.filter((v) => inRange(v.effective.sortTime, range, now)).map(viewRow),
    [others, range, now],
  );
  const narrative = group.views.find((v) => v.narrativeHtml !== undefined);

  return (
    <div className="obs-detail">
      <button type="button" className="obs-back" onClick={onBack}>
        ← Back to overview
      </button>
      <h3>{group.concept.label}</h3>
      <div role="group" aria-label="Time range" className="obs-ranges">
        {TIME_RANGES.map((r) => (
          <button
            key={r.id}
            type="button"
            aria-pressed={range === r.id}
            onClick={() => {
              setRange(r.id);
            }}
          >
            {r.label}
          </button>
        ))}
      </div>

      {series.map((s) => (
        <SeriesBlock
          key={s.key}
          series={s}
          range={range}
          now={now}
          several={series.length > 1}
          chartSize={chartSize}
        />
      ))}

      {others.length > 0 && (
        <ValuesTable
          caption={
            series.length > 0 ? `${group.concept.label}: other values` : `${group.concept.label}: all values`
          }
          rows={otherRows}
        />
      )}

      {narrative?.narrativeHtml !== undefined && (
        <Suspense fallback={null}>
          <Narrative html={narrative.narrativeHtml} label={`Report text (${narrative.effective.label})`} />
        </Suspense>
      )}
    </div>
  );
}

function SeriesBlock({
  series,
  range,
  now,
  several,
  chartSize,
}: {
  series: Series;
  range: TimeRange;
  now: number;
  several: boolean;
  chartSize: Props['chartSize'];
}) {
  const points = useMemo(
    () => series.points.filter((p) => inRange(p.time, range, now)),
    [series, range, now],
  );
  const drawn = useMemo(
    () =>
      downsample(
        points.filter((p): p is DrawnPoint => p.time !== undefined),
        DEFAULT_MAX_POINTS,
      ),
    [points],
  );
  const datedCount = useMemo(() => points.filter((p) => p.time !== undefined).length, [points]);
  const title = several && series.unit !== undefined ? `${series.label} (${series.unit})` : series.label;
  return (
    <section className="obs-series" aria-label={title}>
      {several && <h4>{title}</h4>}
      {series.converted.map((c) => (
        <p key={c.unit} className="obs-note">
          {formatCount(c.count)} {c.count === 1 ? 'value' : 'values'} converted from {c.unit} to{' '}
          {series.unit ?? ''}
        </p>
      ))}
      <div className="obs-series__body">
        {drawn.length >= 2 ? (
          <Suspense fallback={<p className="obs-muted">Loading chart…</p>}>
            <TrendChart series={series} points={drawn} width={chartSize?.width} height={chartSize?.height} />
          </Suspense>
        ) : (
          <p className="obs-muted">Too few values in this time range to draw a trend.</p>
        )}
        {drawn.length < datedCount && (
          <p className="obs-muted obs-small">
            Chart drawn from {formatCount(drawn.length)} of {formatCount(points.length)} values (extremes and
            abnormal values kept); the table lists every value.
          </p>
        )}
        <ValuesTable caption={`${title}: values`} rows={points} />
      </div>
    </section>
  );
}

function viewRow(view: ObservationView): ValueRow {
  return {
    id: view.id,
    time: view.effective.sortTime,
    timeLabel: view.effective.label,
    text: view.value.text,
    flag: view.flag,
    flagSource: view.flagSource,
    interpretationText: view.interpretationText,
    statusMark: view.statusMark,
    referenceRangeText: view.referenceRange?.text,
  };
}
