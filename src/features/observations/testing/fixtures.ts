/**
 * Typed FHIR R4 fixtures for the observations feature: one builder per value shape, each taking overrides
 * (in the manner of medplum's simpsons.ts mocks). Malformed inputs are built as `unknown` in the tests themselves.
 */
import type { Bundle, CodeableConcept, Observation, Quantity } from 'fhir/r4';
import { TEST_FHIR_BASE } from '../../../testing/msw.ts';
import { TEST_PATIENT_ID } from '../../../testing/render.tsx';

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

export function loinc(code: string, display: string): CodeableConcept {
  return { coding: [{ system: 'http://loinc.org', code, display }], text: display };
}

export function category(code: string, system = CATEGORY_SYSTEM): CodeableConcept[] {
  return [{ coding: [{ system, code }] }];
}

export function ucum(value: number, code: string, unit = code): Quantity {
  return { value, unit, system: UCUM_SYSTEM, code };
}

export function interpretation(code: string): CodeableConcept[] {
  return [{ coding: [{ system: INTERPRETATION_SYSTEM, code }] }];
}

let sequence = 0;

/** Resets generated ids (call in beforeEach when ids are asserted). */
export function resetFixtureIds(): void {
  sequence = 0;
}

type ValueKeys = Extract<keyof Observation, `value${string}`>;
type WithoutValue = Omit<Observation, ValueKeys>;

/**
 * A final observation at 2026-12-03T08:14:00Z with no value; `overrides` add the value[x] and anything else.
 * Base fields can be removed by overriding them with `undefined`.
 */
export function observation(overrides: Partial<Observation> = {}): Observation {
  const base: WithoutValue = {
    resourceType: 'Observation',
    id: `obs-${++sequence}`,
    status: 'final',
    category: category('laboratory'),
    code: loinc('2345-7', 'Glucose'),
    subject: { reference: `Patient/${TEST_PATIENT_ID}` },
    effectiveDateTime: '2026-12-03T08:14:00Z',
  };
  const merged = Object.entries({ ...base, ...overrides } as Record<string, unknown>).filter(
    ([, value]) => value !== undefined,
  );
  return Object.fromEntries(merged) as unknown as Observation;
}

// Vital signs ------------------------------------------------------------------------------------------------------

export function heartRate(value: number, overrides: Partial<Observation> = {}): Observation {
  return observation({
    category: category('vital-signs'),
    code: loinc('8867-4', 'Heart rate'),
    valueQuantity: ucum(value, '/min', '/min'),
    ...overrides,
  });
}

export function bloodPressure(
  systolic: number,
  diastolic: number,
  overrides: Partial<Observation> = {},
  panelCode = '85354-9',
): Observation {
  return observation({
    category: category('vital-signs'),
    code: loinc(panelCode, 'Blood pressure panel'),
    component: [
      { code: loinc('8480-6', 'Systolic blood pressure'), valueQuantity: ucum(systolic, 'mm[Hg]', 'mmHg') },
      { code: loinc('8462-4', 'Diastolic blood pressure'), valueQuantity: ucum(diastolic, 'mm[Hg]', 'mmHg') },
    ],
    ...overrides,
  });
}

export function weight(
  value: number,
  code: 'kg' | '[lb_av]' = 'kg',
  overrides: Partial<Observation> = {},
): Observation {
  return observation({
    category: category('vital-signs'),
    code: loinc('29463-7', 'Body weight'),
    valueQuantity: ucum(value, code, code === 'kg' ? 'kg' : 'lb'),
    ...overrides,
  });
}

export function temperature(
  value: number,
  code: 'Cel' | '[degF]' = 'Cel',
  overrides: Partial<Observation> = {},
): Observation {
  return observation({
    category: category('vital-signs'),
    code: loinc('8310-5', 'Body temperature'),
    valueQuantity: ucum(value, code, code === 'Cel' ? '°C' : '°F'),
    ...overrides,
  });
}

// Labs -------------------------------------------------------------------------------------------------------------

const GLUCOSE_RANGES = {
  'mg/dL': { low: 70, high: 99 },
  'mmol/L': { low: 3.9, high: 5.5 },
} as const;

export function glucose(
  value: number,
  unit: 'mg/dL' | 'mmol/L' = 'mg/dL',
  overrides: Partial<Observation> = {},
): Observation {
  const range = GLUCOSE_RANGES[unit];
  return observation({
    category: category('laboratory'),
    code:
      unit === 'mg/dL'
        ? loinc('2345-7', 'Glucose [Mass/volume] in Serum or Plasma')
        : loinc('15074-8', 'Glucose [Moles/volume] in Blood'),
    valueQuantity: ucum(value, unit),
    referenceRange: [{ low: ucum(range.low, unit), high: ucum(range.high, unit) }],
    ...overrides,
  });
}

export function potassium(value: number, overrides: Partial<Observation> = {}): Observation {
  return observation({
    category: category('laboratory'),
    code: loinc('2823-3', 'Potassium [Moles/volume] in Serum or Plasma'),
    valueQuantity: ucum(value, 'mmol/L'),
    referenceRange: [{ low: ucum(3.5, 'mmol/L'), high: ucum(5.1, 'mmol/L') }],
    ...overrides,
  });
}

export function hemoglobin(value: number, overrides: Partial<Observation> = {}): Observation {
  return observation({
    category: category('laboratory'),
    code: loinc('718-7', 'Hemoglobin [Mass/volume] in Blood'),
    valueQuantity: ucum(value, 'g/dL'),
    referenceRange: [{ low: ucum(13.2, 'g/dL'), high: ucum(16.6, 'g/dL') }],
    ...overrides,
  });
}

export function smokingStatus(display: string, overrides: Partial<Observation> = {}): Observation {
  return observation({
    category: category('social-history'),
    code: loinc('72166-2', 'Tobacco smoking status'),
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006', display }] },
    ...overrides,
  });
}

// One observation per value shape (R4 Observation.value[x]) ---------------------------------------------------------

export const valueShapes = {
  quantity: () => glucose(95),
  quantityWithComparator: () =>
    glucose(5, 'mmol/L', { valueQuantity: { ...ucum(5, 'mmol/L'), comparator: '<' } }),
  codeableConcept: () => smokingStatus('Former smoker'),
  codeableConceptCodeOnly: () =>
    observation({
      code: loinc('5778-6', 'Color of Urine'),
      valueCodeableConcept: { coding: [{ code: 'yellow' }] },
    }),
  string: () => observation({ code: loinc('8251-1', 'Service comment'), valueString: 'Hemolysed specimen' }),
  booleanTrue: () => observation({ code: loinc('11341-5', 'History of occupation'), valueBoolean: true }),
  booleanFalse: () => observation({ code: loinc('11341-5', 'History of occupation'), valueBoolean: false }),
  integer: () =>
    observation({
      category: category('survey'),
      code: loinc('72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported'),
      valueInteger: 7,
    }),
  range: () =>
    observation({
      code: loinc('8302-2', 'Body height'),
      valueRange: { low: ucum(150, 'cm'), high: ucum(155, 'cm') },
    }),
  ratio: () =>
    observation({
      code: loinc('5130-0', 'DNA double strand Ab [Titer] in Serum'),
      valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } },
    }),
  sampledData: () =>
    observation({
      code: loinc('131328', 'MDC_ECG_ELEC_POTL'),
      valueSampledData: { origin: { value: 0 }, period: 10, dimensions: 1, data: '1 2 3' },
    }),
  time: () => observation({ code: loinc('93832-4', 'Sleep duration'), valueTime: '07:30:00' }),
  dateTime: () =>
    observation({ code: loinc('8665-2', 'Last menstrual period start date'), valueDateTime: '2026-11-20' }),
  period: () =>
    observation({
      code: loinc('93832-4', 'Sleep duration'),
      valuePeriod: { start: '2026-12-02T22:00:00Z', end: '2026-12-03T06:30:00Z' },
    }),
  bloodPressure: () => bloodPressure(128, 82),
  dataAbsent: () =>
    observation({
      code: loinc('8867-4', 'Heart rate'),
      category: category('vital-signs'),
      dataAbsentReason: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'asked-declined' },
        ],
      },
    }),
} satisfies Record<string, () => Observation>;

// Search bundles ---------------------------------------------------------------------------------------------------

export function searchBundle(
  observations: readonly Observation[],
  options: { next?: string; total?: number; self?: string } = {},
): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(options.total === undefined ? {} : { total: options.total }),
    link: [
      { relation: 'self', url: options.self ?? `${TEST_FHIR_BASE}/Observation?patient=${TEST_PATIENT_ID}` },
      ...(options.next === undefined ? [] : [{ relation: 'next', url: options.next }]),
    ],
    entry: observations.map((resource) => ({
      fullUrl: `${TEST_FHIR_BASE}/Observation/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}
