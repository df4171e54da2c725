import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import type { Observation } from 'fhir/r4';
import { mapObservation } from '../model/mapObservation.ts';
import { buildSeries } from '../model/series.ts';
import type { ObservationView } from '../model/types.ts';
import { bloodPressure, glucose } from '../testing/fixtures.ts';
import TrendChart, { niceAxis, TrendTooltip, type DrawnPoint } from './TrendChart.tsx';

const views = (...resources: Observation[]) =>
  resources.map((r) => mapObservation(r)).filter((v): v is ObservationView => v !== undefined);
const day = (d: number) => `2026-12-${String(d).padStart(2, '0')}T08:00:00Z`;
const drawn = (points: readonly { time: number | undefined }[]) =>
  points.filter((p): p is DrawnPoint => p.time !== undefined);

describe('TrendChart', () => {
  const [series] = buildSeries(
    views(
      glucose(90, 'mg/dL', { effectiveDateTime: day(1) }),
      glucose(150, 'mg/dL', { effectiveDateTime: day(2) }),
      glucose(60, 'mg/dL', { effectiveDateTime: day(3) }),
      glucose(95, 'mg/dL', { effectiveDateTime: day(4), status: 'preliminary' }),
    ),
  );
  if (!series) throw new Error('no series');

  it('draws the reference range as a band and marks abnormal points with their own shape', () => {
    const { container } = render(
      <TrendChart series={series} points={drawn(series.points)} width={600} height={240} />,
    );
    expect(container.querySelectorAll('.recharts-reference-area')).toHaveLength(1);
    // 150 (high) and 60 (low), derived from 70–99 mg/dL
    expect(container.querySelectorAll('.obs-abnormal-point')).toHaveLength(2);
    expect(container.querySelectorAll('.recharts-line')).toHaveLength(1);
  });

  it('blood pressure: systolic and diastolic lines together', () => {
    const [bp] = buildSeries(
      views(
        bloodPressure(120, 80, { effectiveDateTime: day(1) }),
        bloodPressure(130, 85, { effectiveDateTime: day(2) }),
      ),
    );
    if (!bp) throw new Error('no series');
    const { container } = render(
      <TrendChart series={bp} points={drawn(bp.points)} width={600} height={240} />,
    );
    expect(container.querySelectorAll('.recharts-line')).toHaveLength(2);
  });

  it('tooltip: value with unit, date, flag and status', () => {
    const point = series.points[3];
    if (!point?.time) throw new Error('no point');
    const datum = { time: point.time, v0: point.values[0], v1: undefined, point };
    render(
      <TrendTooltip
        active
        payload={[{ payload: datum, value: 95, name: 'Glucose', dataKey: 'v0', graphicalItemId: 'x' }]}
        label={point.time}
        coordinate={{ x: 0, y: 0 }}
        accessibilityLayer={false}
        activeIndex="3"
        series={series}
      />,
    );
    expect(screen.getByText('95 mg/dL')).toBeInTheDocument();
    expect(screen.getByText('2026-12-04 08:00')).toBeInTheDocument();
    expect(screen.getByText('Preliminary')).toBeInTheDocument();
  });
});

describe('niceAxis', () => {
  it('rounds bounds and ticks to steps a clinician reads at a glance', () => {
    expect(niceAxis(64.1, 141.9)).toEqual({
      min: 60,
      max: 160,
      ticks: [60, 80, 100, 120, 140, 160],
      decimals: 0,
    });
    expect(niceAxis(36.2, 38.9)).toEqual({ min: 36, max: 39, ticks: [36, 37, 38, 39], decimals: 0 });
    expect(niceAxis(36.2, 37.9)).toEqual({ min: 36, max: 38, ticks: [36, 36.5, 37, 37.5, 38], decimals: 1 });
    expect(niceAxis(5, 5).ticks.length).toBeGreaterThan(1);
  });
});
