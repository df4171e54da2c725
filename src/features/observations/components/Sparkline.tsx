/**
 * A tiny inline SVG trend for the overview cards. No chart library: recharts (~115 KB gzip) must not be on the
 * path to the first clinical value; the detail chart loads it lazily.
 */
import type { SparklineModel } from '../model/overview.ts';

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 2;

export function Sparkline({ model }: { model: SparklineModel }) {
  const { points, lines } = model;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const all = points.flatMap((p) => p.values);
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min || 1;
  const t0 = first.time;
  const tSpan = last.time - t0 || 1;
  const x = (t: number) => PAD + ((t - t0) / tSpan) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD);
  const paths = Array.from({ length: lines }, (_, line) =>
    points
      .map((p, i) => {
        const v = p.values[line];
        return v === undefined ? '' : `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(v).toFixed(1)}`;
      })
      .join(''),
  );
  return (
    <svg
      className="obs-sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      aria-hidden="true"
      focusable="false"
    >
      {paths.map((d, i) => (
        <path
          key={i}
          d={d}
          fill="none"
          strokeWidth={1.5}
          className={i === 0 ? 'obs-sparkline__line' : 'obs-sparkline__line2'}
        />
      ))}
    </svg>
  );
}
