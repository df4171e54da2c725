import { beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { mapObservation } from './mapObservation.ts';
import { buildSeries } from './series.ts';
import { downsample } from './downsample.ts';
import type { ObservationView } from './types.ts';
import { loadUcumConverter } from './ucumConverter.ts';
import type { UnitConverter } from './units.ts';
import {
  bloodPressure,
  glucose,
  heartRate,
  loinc,
  observation,
  temperature,
  ucum,
  weight,
} from '../testing/fixtures.ts';

const views = (...resources: Observation[]): ObservationView[] =>
  resources.map((r) => mapObservation(r)).filter((v): v is ObservationView => v !== undefined);

const at = (day: number, hour = 8) =>
  `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

let ucumConverter: UnitConverter;
beforeAll(async () => {
  ucumConverter = await loadUcumConverter();
});

describe('buildSeries', () => {
  it('one series per concept, oldest first, every value kept', () => {
    const [series, ...rest] = buildSeries(
      views(
        heartRate(80, { effectiveDateTime: at(3) }),
        heartRate(70, { effectiveDateTime: at(1) }),
        heartRate(75, { effectiveDateTime: at(2) }),
      ),
    );
    expect(rest).toHaveLength(0);
    expect(series?.points.map((p) => p.text)).toEqual(['70 /min', '75 /min', '80 /min']);
    expect(series?.unit).toBe('/min');
  });

  it('mixed glucose units: converted into the newest unit, and counted', () => {
    const [series, ...rest] = buildSeries(
      views(
        glucose(5.5, 'mmol/L', { effectiveDateTime: at(1) }),
        glucose(7.0, 'mmol/L', { effectiveDateTime: at(2) }),
        glucose(100, 'mg/dL', { effectiveDateTime: at(3) }),
      ),
      ucumConverter,
    );
    expect(rest).toHaveLength(0);
    expect(series?.unit).toBe('mg/dL');
    expect(series?.points.map((p) => p.text)).toEqual(['99.09 mg/dL', '126.1 mg/dL', '100 mg/dL']);
    expect(series?.points.map((p) => p.originalText)).toEqual(['5.5 mmol/L', '7 mmol/L', undefined]);
    expect(series?.converted).toEqual([{ unit: 'mmol/L', count: 2 }]);
    // The band uses the newest range expressible in the series unit.
    expect(series?.referenceRange).toEqual({ low: 70, high: 99 });
  });

  it('before UCUM is loaded, units are never mixed: one series per unit', () => {
    const series = buildSeries(
      views(
        glucose(5.5, 'mmol/L', { effectiveDateTime: at(1) }),
        glucose(100, 'mg/dL', { effectiveDateTime: at(3) }),
      ),
    );
    expect(series.map((s) => s.unit)).toEqual(['mg/dL', 'mmol/L']);
    expect(series.every((s) => s.converted.length === 0)).toBe(true);
  });

  it('incompatible units stay separate series even with UCUM', () => {
    const series = buildSeries(
      views(
        observation({
          code: loinc('4548-4', 'HbA1c'),
          valueQuantity: ucum(6.5, '%'),
          effectiveDateTime: at(1),
        }),
        observation({
          code: loinc('59261-8', 'HbA1c IFCC'),
          valueQuantity: ucum(48, 'mmol/mol'),
          effectiveDateTime: at(2),
        }),
      ),
      ucumConverter,
    );
    expect(series.map((s) => s.unit).sort()).toEqual(['%', 'mmol/mol']);
  });

  it('units outside UCUM are only grouped by identical text', () => {
    const local = (value: number, unit: string, day: number) =>
      glucose(value, 'mg/dL', {
        valueQuantity: { value, unit },
        referenceRange: undefined,
        effectiveDateTime: at(day),
      });
    const series = buildSeries(
      views(local(5, 'mmol/l', 1), local(90, 'mg/dl', 2), local(6, 'mmol/l', 3)),
      ucumConverter,
    );
    expect(series.map((s) => [s.unit, s.points.length])).toEqual([
      ['mmol/l', 2],
      ['mg/dl', 1],
    ]);
  });

  it('weight in kg and lb, temperature in °C and °F', () => {
    const [w] = buildSeries(
      views(
        weight(154.3, '[lb_av]', { effectiveDateTime: at(1) }),
        weight(70, 'kg', { effectiveDateTime: at(2) }),
      ),
      ucumConverter,
    );
    expect(w?.points.map((p) => p.text)).toEqual(['69.99 kg', '70 kg']);
    const [t] = buildSeries(
      views(
        temperature(98.6, '[degF]', { effectiveDateTime: at(1) }),
        temperature(37.2, 'Cel', { effectiveDateTime: at(2) }),
      ),
      ucumConverter,
    );
    expect(t?.points.map((p) => p.text)).toEqual(['37 °C', '37.2 °C']);
  });

  it('blood pressure: one two-line series; standalone systolic/diastolic at the same time are paired into it', () => {
    const systolic = observation({
      code: loinc('8480-6', 'Systolic'),
      valueQuantity: ucum(150, 'mm[Hg]', 'mmHg'),
      effectiveDateTime: at(2),
    });
    const diastolic = observation({
      code: loinc('8462-4', 'Diastolic'),
      valueQuantity: ucum(95, 'mm[Hg]', 'mmHg'),
      effectiveDateTime: at(2),
    });
    const lonely = observation({
      code: loinc('8480-6', 'Systolic'),
      valueQuantity: ucum(118, 'mm[Hg]', 'mmHg'),
      effectiveDateTime: at(4),
    });
    const series = buildSeries(
      views(
        bloodPressure(128, 82, { effectiveDateTime: at(1) }),
        systolic,
        diastolic,
        lonely,
        bloodPressure(130, 85, { effectiveDateTime: at(3) }),
      ),
    );
    const bp = series.find((s) => s.conceptKey === 'blood-pressure');
    expect(bp?.lines.map((l) => l.key)).toEqual(['systolic', 'diastolic']);
    expect(bp?.points.map((p) => p.values)).toEqual([
      [128, 82],
      [150, 95],
      [130, 85],
    ]);
    expect(bp?.points.map((p) => p.text)).toEqual(['128/82 mmHg', '150/95 mmHg', '130/85 mmHg']);
    expect(series.find((s) => s.conceptKey === 'systolic')?.points.map((p) => p.text)).toEqual(['118 mmHg']);
  });

  it('undated values are listed last; cancelled and non-numeric values are not trended', () => {
    const series = buildSeries(
      views(
        heartRate(60, { effectiveDateTime: undefined }),
        heartRate(70, { effectiveDateTime: at(1) }),
        heartRate(99, { effectiveDateTime: at(2), status: 'cancelled' }),
        heartRate(0, { valueQuantity: undefined, valueString: 'irregular', effectiveDateTime: at(3) }),
      ),
    );
    expect(series[0]?.points.map((p) => [p.text, p.timeLabel])).toEqual([
      ['70 /min', '2026-12-01 08:00'],
      ['60 /min', 'date unknown'],
    ]);
  });

  it('keeps flags and status marks on points', () => {
    const [s] = buildSeries(views(glucose(180, 'mg/dL', { status: 'amended' })));
    expect(s?.points[0]).toMatchObject({
      flag: 'high',
      flagSource: 'reference-range',
      statusMark: 'Amended',
      referenceRangeText: '70–99 mg/dL',
    });
  });
});

describe('downsample', () => {
  const points = (n: number, value: (i: number) => number, flag?: (i: number) => 'high' | undefined) =>
    Array.from({ length: n }, (_, i) => ({ time: i * 60_000, values: [value(i)], flag: flag?.(i) }));

  it('returns short series unchanged', () => {
    const input = points(10, (i) => i);
    expect(downsample(input, 1000)).toEqual(input);
  });

  it('at most max points, first and last kept, extremes kept', () => {
    const input = points(
      30_000,
      (i) => Math.sin(i / 50) * 10 + (i === 12_345 ? 500 : 0) - (i === 23_456 ? 500 : 0),
    );
    const output = downsample(input, 1000);
    expect(output.length).toBeLessThanOrEqual(1000);
    expect(output.length).toBeGreaterThan(900);
    expect(output[0]).toBe(input[0]);
    expect(output[output.length - 1]).toBe(input[input.length - 1]);
    const values = output.map((p) => p.values[0]);
    expect(Math.max(...values.map(Number))).toBeCloseTo(500 + Math.sin(12_345 / 50) * 10);
    expect(Math.min(...values.map(Number))).toBeCloseTo(-500 + Math.sin(23_456 / 50) * 10);
    // still in time order
    expect(output.every((p, i) => i === 0 || p.time > (output[i - 1]?.time ?? 0))).toBe(true);
  });

  it('keeps every abnormal point within budget', () => {
    const input = points(
      20_000,
      () => 5,
      (i) => (i % 100 === 0 ? 'high' : undefined),
    );
    const output = downsample(input, 1000);
    expect(output.filter((p) => p.flag === 'high')).toHaveLength(200);
  });

  it('two lines (blood pressure) keep the extremes of both', () => {
    const input = Array.from({ length: 5000 }, (_, i) => ({
      time: i,
      values: [120 + (i === 4000 ? 80 : 0), 80 - (i === 1000 ? 40 : 0)],
    }));
    const output = downsample(input, 500);
    expect(output.length).toBeLessThanOrEqual(500);
    expect(output.some((p) => p.values[0] === 200)).toBe(true);
    expect(output.some((p) => p.values[1] === 40)).toBe(true);
  });
});
