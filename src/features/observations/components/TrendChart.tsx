/**
 * The detail chart (recharts, loaded lazily: ~115 KB gzip, never on the first-paint path). Draws at most ~1,000
 * downsampled points; the reference range is a band; abnormal points are triangles in the alert colour (shape as
 * well as colour); blood pressure draws systolic and diastolic together. The values table beside it lists every
 * value: the chart is hidden from assistive technology in favour of the table.
 */
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
  type TooltipContentProps,
} from 'recharts';
import { isAbnormal } from '../model/interpretation.ts';
import type { Series, SeriesPoint } from '../model/series.ts';
import { formatLocalDate } from '../model/time.ts';
import { FlagMark, StatusBadge } from './parts.tsx';

export type DrawnPoint = SeriesPoint & { readonly time: number };

export interface TrendChartProps {
  readonly series: Series;
  readonly points: readonly DrawnPoint[];
  /** Fixed size (tests, print); otherwise the chart fills its container's width. */
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

interface ChartDatum {
  readonly time: number;
  readonly v0: number | undefined;
  readonly v1: number | undefined;
  readonly point: DrawnPoint;
}

const LINE_COLOURS = ['var(--color-highlight, #0b5cad)', 'var(--obs-second-line, #6f42c1)'];
const ALERT = 'var(--color-error, #b42318)';

function makeDot(showAll: boolean, colour: string) {
  return function TrendDot(props: DotItemDotProps) {
    const { cx, cy, index } = props;
    const datum = props.payload as ChartDatum | undefined;
    if (typeof cx !== 'number' || typeof cy !== 'number' || !datum) return <g key={`dot-${index}`} />;
    if (isAbnormal(datum.point.flag)) {
      // A triangle: abnormal is told by shape, not only by colour (WCAG 1.4.1).
      return (
        <path
          key={`dot-${index}`}
          d={`M${cx},${cy - 6}L${cx + 5.5},${cy + 4}L${cx - 5.5},${cy + 4}Z`}
          fill={ALERT}
          stroke="#fff"
          strokeWidth={1}
          className="obs-abnormal-point"
        />
      );
    }
    return showAll ? (
      <circle key={`dot-${index}`} cx={cx} cy={cy} r={2.5} fill={colour} />
    ) : (
      <g key={`dot-${index}`} />
    );
  };
}

export function TrendTooltip({ active, payload, series }: TooltipContentProps & { series: Series }) {
  const datum = (payload[0]?.payload as ChartDatum | undefined) ?? undefined;
  if (!active || !datum) return null;
  const { point } = datum;
  return (
    <div className="obs-tooltip">
      <div>
        <strong>{point.text}</strong>
      </div>
      {point.originalText !== undefined && <div className="obs-muted">sent as {point.originalText}</div>}
      <div>{point.timeLabel}</div>
      <div>
        <FlagMark flag={point.flag} source={point.flagSource} />{' '}
        <StatusBadge mark={point.statusMark ?? undefined} />
        {point.statusMark === undefined && <span className="obs-muted">Final</span>}
      </div>
      <div className="obs-muted">{series.label}</div>
    </div>
  );
}

/**
 * Round axis bounds and ticks (steps of 1, 2 or 5 × 10^n, about five ticks), so that a clinician reads
 * "80, 100, 120" rather than "88.2, 108.2, 128.2".
 */
export function niceAxis(
  lowest: number,
  highest: number,
): { min: number; max: number; ticks: number[]; decimals: number } {
  // A single value still gets an axis around it.
  const half = highest > lowest ? 0 : Math.abs(highest) / 10 || 1;
  const min = lowest - half;
  const max = highest + half;
  const rough = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let tick = low; tick <= high + step / 2; tick += step) ticks.push(Number(tick.toFixed(decimals)));
  return { min: Number(low.toFixed(decimals)), max: Number(high.toFixed(decimals)), ticks, decimals };
}

export default function TrendChart({ series, points, width, height = 260 }: TrendChartProps) {
  const data: ChartDatum[] = points.map((p) => ({
    time: p.time,
    v0: p.values[0],
    v1: p.values[1],
    point: p,
  }));
  const showAllDots = points.length <= 60;
  const range = series.referenceRange;
  const values = points.flatMap((p) => p.values);
  const lo = Math.min(...values, range?.low ?? Infinity);
  const hi = Math.max(...values, range?.high ?? -Infinity);
  const pad = (hi - lo) * 0.08 || 1;
  const axis = niceAxis(lo - pad, hi + pad);
  const chart = (
    <ComposedChart
      data={data}
      width={width}
      height={height}
      margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
      // Hidden from assistive technology (the table is the alternative): it must not take keyboard focus.
      accessibilityLayer={false}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        dataKey="time"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={(t: number) => formatLocalDate(t)}
        minTickGap={24}
      />
      <YAxis
        domain={[axis.min, axis.max]}
        ticks={axis.ticks}
        tickFormatter={(value: number) => value.toFixed(axis.decimals)}
        width={48}
        // The unit once, as the axis's name, rather than on every tick.
        label={
          series.unit === undefined ? undefined : { value: series.unit, angle: -90, position: 'insideLeft' }
        }
        allowDataOverflow
      />
      {range && (
        <ReferenceArea
          y1={range.low ?? lo - pad}
          y2={range.high ?? hi + pad}
          fill="var(--obs-range-band, #2da44e)"
          fillOpacity={0.12}
          ifOverflow="extendDomain"
        />
      )}
      <Tooltip content={(props) => <TrendTooltip {...props} series={series} />} />
      {series.lines.length > 1 && <Legend position="top" height={24} />}
      {series.lines.map((line, i) => (
        <Line
          key={line.key}
          dataKey={i === 0 ? 'v0' : 'v1'}
          name={line.label}
          type="linear"
          stroke={LINE_COLOURS[i] ?? LINE_COLOURS[0]}
          strokeWidth={1.5}
          dot={makeDot(showAllDots, LINE_COLOURS[i] ?? '#000')}
          activeDot={{ r: 4 }}
          isAnimationActive={false}
          connectNulls
        />
      ))}
    </ComposedChart>
  );
  return (
    <figure className="obs-chart" aria-hidden="true">
      {width === undefined ? (
        <ResponsiveContainer width="100%" height={height}>
          {chart}
        </ResponsiveContainer>
      ) : (
        chart
      )}
    </figure>
  );
}
