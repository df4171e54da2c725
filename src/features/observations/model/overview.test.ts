import { describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { mapObservation } from './mapObservation.ts';
import { buildOverview } from './overview.ts';
import { clinicalSnippets } from './snippets.ts';
import { EMPTY_STORE, mergeViews, storeOf } from './store.ts';
import type { ObservationView } from './types.ts';
import {
  bloodPressure,
  category,
  glucose,
  heartRate,
  hemoglobin,
  interpretation,
  loinc,
  observation,
  potassium,
  smokingStatus,
  ucum,
} from '../testing/fixtures.ts';

const views = (...resources: Observation[]): ObservationView[] =>
  resources.map((r) => mapObservation(r)).filter((v): v is ObservationView => v !== undefined);
const at = (day: number, hour = 8) =>
  `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

describe('store', () => {
  it('merges pages incrementally, newest first, without duplicates', () => {
    const page1 = views(
      heartRate(80, { id: 'a', effectiveDateTime: at(5) }),
      heartRate(75, { id: 'b', effectiveDateTime: at(4) }),
    );
    const page2 = views(
      heartRate(75, { id: 'b', effectiveDateTime: at(4) }),
      heartRate(70, { id: 'c', effectiveDateTime: at(6) }),
    );
    const first = mergeViews(EMPTY_STORE, page1).store;
    const { store, duplicates } = mergeViews(first, page2);
    expect(duplicates).toBe(1);
    expect(store.count).toBe(3);
    expect(store.groups.get('heart-rate')?.views.map((v) => v.id)).toEqual(['c', 'a', 'b']);
    // the earlier store is untouched (React keeps showing it until the new one renders)
    expect(first.groups.get('heart-rate')?.views.map((v) => v.id)).toEqual(['a', 'b']);
    expect(mergeViews(first, page2).duplicates).toBe(1);
  });

  it('standalone systolic/diastolic join the blood-pressure group', () => {
    const store = storeOf(
      views(
        observation({ code: loinc('8480-6', 'Systolic'), valueQuantity: ucum(120, 'mm[Hg]') }),
        bloodPressure(128, 82),
      ),
    );
    expect([...store.groups.keys()]).toEqual(['blood-pressure']);
    expect(store.groups.get('blood-pressure')?.concept.label).toBe('Blood pressure');
  });

  it('counts unreadable values', () => {
    expect(storeOf(views(observation({ valueQuantity: { unit: 'mg/dL' } }))).unreadable).toBe(1);
  });
});

describe('buildOverview', () => {
  const store = storeOf(
    views(
      bloodPressure(128, 82, { effectiveDateTime: at(3), status: 'amended' }),
      bloodPressure(150, 95, { effectiveDateTime: at(2) }),
      bloodPressure(160, 100, { effectiveDateTime: at(4), status: 'entered-in-error' }),
      heartRate(72, { effectiveDateTime: at(3) }),
      heartRate(140, { effectiveDateTime: at(4), status: 'cancelled' }),
      glucose(180, 'mg/dL', { effectiveDateTime: at(3), interpretation: interpretation('H') }),
      glucose(95, 'mg/dL', { effectiveDateTime: at(1) }),
      potassium(6.8, { effectiveDateTime: at(3), interpretation: interpretation('HH') }),
      hemoglobin(14, { effectiveDateTime: at(3) }),
      observation({
        code: loinc('11580-8', 'TSH'),
        valueQuantity: ucum(2.1, 'm[IU]/L'),
        effectiveDateTime: at(3),
      }),
      smokingStatus('Never smoker'),
      observation({ category: category('survey'), code: loinc('72514-3', 'Pain score'), valueInteger: 3 }),
      observation({ category: undefined, code: { text: 'Ward note score' }, valueString: 'ok' }),
      observation({ code: loinc('58410-2', 'CBC panel'), hasMember: [{ reference: 'Observation/x' }] }),
    ),
  );
  const overview = buildOverview(store);

  it('latest vital signs in clinical order, entered-in-error never, cancelled not as latest', () => {
    expect(overview.vitals.map((v) => [v.concept.short, v.latest.value.text, v.latest.statusMark])).toEqual([
      ['BP', '128/82 mmHg', 'Amended'],
      ['HR', '72 /min', undefined],
    ]);
  });

  it('vital sparklines hold the recent values (two lines for BP)', () => {
    expect(overview.vitals[0]?.sparkline).toEqual({
      lines: 2,
      points: [
        { time: Date.UTC(2026, 11, 2, 8), values: [150, 95] },
        { time: Date.UTC(2026, 11, 3, 8), values: [128, 82] },
      ],
    });
    expect(overview.vitals[1]?.sparkline).toBeUndefined(); // one trendable value only
  });

  it('labs grouped by panel with the latest value, flag and range; unknown analytes under Other labs', () => {
    expect(
      overview.labPanels.map((p) => [
        p.label,
        p.items.map((i) => [i.label, i.latest.value.text, i.latest.flag, i.latest.referenceRange?.text]),
      ]),
    ).toEqual([
      ['Complete blood count', [['Hemoglobin', '14 g/dL', 'normal', '13.2–16.6 g/dL']]],
      ['Metabolic panel (BMP/CMP)', [['Potassium', '6.8 mmol/L', 'critical-high', '3.5–5.1 mmol/L']]],
      ['Glucose and HbA1c', [['Glucose', '180 mg/dL', 'high', '70–99 mg/dL']]],
      ['Other labs', [['TSH', '2.1 m[IU]/L', undefined, undefined]]],
    ]);
  });

  it('social history, other categories and uncategorized observations are shown; panels are not', () => {
    expect(overview.socialHistory.map((i) => [i.label, i.latest.value.text])).toEqual([
      ['Tobacco smoking status', 'Never smoker'],
    ]);
    expect(overview.otherCategories.map((c) => [c.label, c.items.map((i) => i.label)])).toEqual([
      ['Survey', ['Pain score']],
    ]);
    expect(overview.uncategorized.map((i) => i.label)).toEqual(['Ward note score']);
  });

  it('is memoised per store', () => {
    expect(buildOverview(store)).toBe(overview);
  });

  it('clinical snippets for the note editor', () => {
    expect(clinicalSnippets(overview).map((s) => s.text)).toEqual([
      'BP 128/82 mmHg, Amended (2026-12-03 08:00)',
      'HR 72 /min (2026-12-03 08:00)',
      'Hemoglobin 14 g/dL (2026-12-03 08:00)',
      'Potassium 6.8 mmol/L, Critical high (2026-12-03 08:00)',
      'Glucose 180 mg/dL, High (2026-12-03 08:00)',
    ]);
  });

  it('an empty store is empty', () => {
    expect(buildOverview(EMPTY_STORE).isEmpty).toBe(true);
  });
});
