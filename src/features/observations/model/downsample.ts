/**
 * Downsampling for drawing only (tables and tooltips keep every value). Min/max per time bucket (the M4 idea: what
 * a pixel column can show is its extremes), plus the first and last points and, within budget, every abnormal
 * point, so that no spike and no flagged value disappears from the chart.
 */
import { isAbnormal, type Flag } from './interpretation.ts';

export interface DrawablePoint {
  readonly time: number;
  readonly values: readonly number[];
  readonly flag?: Flag | undefined;
}

export const DEFAULT_MAX_POINTS = 1000;

/** `points` must be sorted by time (ascending). Returns at most `max` of them, in order. */
export function downsample<P extends DrawablePoint>(
  points: readonly P[],
  max: number = DEFAULT_MAX_POINTS,
): P[] {
  const n = points.length;
  if (n <= max) return [...points];
  if (max < 2) return points.slice(n - Math.max(0, max));
  const keep = new Set<number>([0, n - 1]);

  // Abnormal points first, up to half the budget (evenly spread when there are more).
  const abnormal: number[] = [];
  points.forEach((p, i) => {
    if (isAbnormal(p.flag)) abnormal.push(i);
  });
  const abnormalBudget = Math.floor(max / 2);
  if (abnormal.length <= abnormalBudget) {
    for (const i of abnormal) keep.add(i);
  } else {
    for (let k = 0; k < abnormalBudget; k++) {
      const i = abnormal[Math.floor((k * abnormal.length) / abnormalBudget)];
      if (i !== undefined) keep.add(i);
    }
  }

  const lines = Math.max(1, points[0]?.values.length ?? 1);
  const buckets = Math.floor((max - keep.size) / (2 * lines));
  const first = points[0]?.time ?? 0;
  const last = points[n - 1]?.time ?? first;
  const width = (last - first) / Math.max(1, buckets) || 1;
  if (buckets > 0) {
    let start = 0;
    for (let b = 0; b < buckets && start < n; b++) {
      const end = b === buckets - 1 ? last + 1 : first + (b + 1) * width;
      const minIndex = new Array<number>(lines).fill(-1);
      const maxIndex = new Array<number>(lines).fill(-1);
      let i = start;
      for (; i < n; i++) {
        const p = points[i];
        if (!p || p.time >= end) break;
        for (let l = 0; l < lines; l++) {
          const v = p.values[l];
          if (v === undefined) continue;
          const lo = minIndex[l] ?? -1;
          const hi = maxIndex[l] ?? -1;
          if (lo < 0 || v < (points[lo]?.values[l] ?? Infinity)) minIndex[l] = i;
          if (hi < 0 || v > (points[hi]?.values[l] ?? -Infinity)) maxIndex[l] = i;
        }
      }
      for (const index of [...minIndex, ...maxIndex]) if (index >= 0) keep.add(index);
      start = i;
    }
  }
  const indices = [...keep].sort((a, b) => a - b).slice(0, max);
  return indices.map((i) => points[i]).filter((p): p is P => p !== undefined);
}
