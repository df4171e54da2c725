import { describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { mapObservation } from './mapObservation.ts';
import type { ObservationView } from './types.ts';
import {
  bloodPressure,
  category,
  glucose,
  heartRate,
  interpretation,
  loinc,
  observation,
  potassium,
  ucum,
  valueShapes,
} from '../testing/fixtures.ts';

function map(resource: unknown): ObservationView {
  const view = mapObservation(resource);
  if (!view) throw new Error('expected a view');
  return view;
}

describe('mapObservation: value[x]', () => {
  it.each([
    ['quantity', valueShapes.quantity(), 'quantity', '95 mg/dL'],
    ['quantity with comparator', valueShapes.quantityWithComparator(), 'quantity', '<5 mmol/L'],
    ['CodeableConcept (display)', valueShapes.codeableConcept(), 'coded', 'Former smoker'],
    ['CodeableConcept (code only)', valueShapes.codeableConceptCodeOnly(), 'coded', 'yellow'],
    ['string', valueShapes.string(), 'string', 'Hemolysed specimen'],
    ['boolean true', valueShapes.booleanTrue(), 'boolean', 'Yes'],
    ['boolean false', valueShapes.booleanFalse(), 'boolean', 'No'],
    ['integer', valueShapes.integer(), 'integer', '7'],
    ['Range', valueShapes.range(), 'range', '150–155 cm'],
    ['Ratio (titre)', valueShapes.ratio(), 'ratio', '1:128'],
    ['SampledData', valueShapes.sampledData(), 'sampled-data', 'Sampled data (not shown)'],
    ['time', valueShapes.time(), 'time', '07:30'],
    ['dateTime', valueShapes.dateTime(), 'date-time', '2026-11-20'],
    ['Period', valueShapes.period(), 'period', '2026-12-02 22:00 – 2026-12-03 06:30'],
    ['blood pressure components', valueShapes.bloodPressure(), 'blood-pressure', '128/82 mmHg'],
    ['dataAbsentReason', valueShapes.dataAbsent(), 'absent', 'Not recorded: Asked but declined'],
  ])('%s', (_name, resource, kind, text) => {
    const view = map(resource);
    expect(view.value.kind).toBe(kind);
    expect(view.value.text).toBe(text);
  });

  it('keeps the quantity, its UCUM code and comparator for trends', () => {
    const view = map(valueShapes.quantityWithComparator());
    expect(view.value.kind === 'quantity' && view.value.quantity).toEqual({
      value: 5,
      comparator: '<',
      unit: 'mmol/L',
      ucum: 'mmol/L',
    });
  });

  it('keeps a unit code outside UCUM for display but not as UCUM', () => {
    const view = map(
      glucose(95, 'mg/dL', {
        valueQuantity: { value: 95, unit: 'mg/dl', system: 'urn:local', code: 'MGDL' },
      }),
    );
    expect(view.value.text).toBe('95 mg/dl');
    expect(view.value.kind === 'quantity' && view.value.quantity.ucum).toBeUndefined();
  });

  it('shows a unit given only as a UCUM code in a readable form', () => {
    const view = map(
      heartRate(72, {
        valueQuantity: { value: 72, system: 'http://unitsofmeasure.org', code: '{beats}/min' },
      }),
    );
    expect(view.value.text).toBe('72 /min');
  });

  it('rounds generator noise (more than three decimals) to four significant digits, keeps lab precision', () => {
    expect(
      map(
        bloodPressure(180.545131228, 100.45047954, {
          component: [
            {
              code: loinc('8480-6', 'Systolic'),
              valueQuantity: {
                value: 180.545131228,
                unit: 'mm[Hg]',
                system: 'http://unitsofmeasure.org',
                code: 'mm[Hg]',
              },
            },
            {
              code: loinc('8462-4', 'Diastolic'),
              valueQuantity: {
                value: 100.45047954,
                unit: 'mm[Hg]',
                system: 'http://unitsofmeasure.org',
                code: 'mm[Hg]',
              },
            },
          ],
        }),
      ).value.text,
    ).toBe('180.5/100.5 mmHg');
    expect(map(glucose(0.125, 'mmol/L')).value.text).toBe('0.125 mmol/L');
  });

  it('writes percentages without a space', () => {
    const view = map(observation({ code: loinc('59408-5', 'SpO2'), valueQuantity: ucum(97, '%') }));
    expect(view.value.text).toBe('97%');
  });

  it('blood pressure coded 55284-4 (SMART sandbox, Synthea) is recognised', () => {
    const view = map(bloodPressure(140, 90, {}, '55284-4'));
    expect(view.concept.known?.id).toBe('blood-pressure');
    expect(view.value.text).toBe('140/90 mmHg');
  });

  it('blood pressure with a local panel code is recognised by its LOINC components', () => {
    const view = map(
      bloodPressure(120, 80, { code: { coding: [{ system: 'urn:local', code: 'BP' }], text: 'BP' } }),
    );
    expect(view.concept.key).toBe('blood-pressure');
    expect(view.value.text).toBe('120/80 mmHg');
  });

  it('a blood pressure with one component missing lists what it has', () => {
    const view = map(
      observation({
        code: loinc('85354-9', 'Blood pressure panel'),
        component: [
          { code: loinc('8480-6', 'Systolic blood pressure'), valueQuantity: ucum(128, 'mm[Hg]', 'mmHg') },
          {
            code: loinc('8462-4', 'Diastolic blood pressure'),
            dataAbsentReason: { coding: [{ code: 'error' }] },
          },
        ],
      }),
    );
    expect(view.value.kind).toBe('components');
    expect(view.value.text).toBe(
      'Systolic blood pressure: 128 mmHg; Diastolic blood pressure: Not recorded: Error',
    );
  });

  it('other component observations are listed by component', () => {
    const view = map(
      observation({
        code: { text: 'Visual acuity' },
        component: [
          { code: { text: 'Left eye' }, valueString: '20/20' },
          { code: { text: 'Right eye' }, valueString: '20/40' },
        ],
      }),
    );
    expect(view.value.text).toBe('Left eye: 20/20; Right eye: 20/40');
  });

  it('dataAbsentReason uses its text, then display, then the code', () => {
    expect(map(observation({ dataAbsentReason: { text: 'Patient refused' } })).value.text).toBe(
      'Not recorded: Patient refused',
    );
    expect(
      map(observation({ dataAbsentReason: { coding: [{ code: 'masked', display: 'Masked by policy' }] } }))
        .value.text,
    ).toBe('Not recorded: Masked by policy');
    expect(map(observation({ dataAbsentReason: { coding: [{ code: 'local-x' }] } })).value.text).toBe(
      'Not recorded: local-x',
    );
  });

  it('an observation without any value says so', () => {
    expect(map(observation()).value).toEqual({ kind: 'none', text: 'No value recorded' });
  });

  it('a grouping panel (hasMember, no value) is marked as such', () => {
    const view = map(
      observation({ code: loinc('58410-2', 'CBC panel'), hasMember: [{ reference: 'Observation/1' }] }),
    );
    expect(view.isPanel).toBe(true);
  });
});

describe('mapObservation: malformed input never throws and is never dropped', () => {
  it.each([
    [
      'valueQuantity without value',
      observation({ valueQuantity: { unit: 'mg/dL' } }),
      'Quantity has no value',
    ],
    [
      'valueQuantity.value as a string',
      { ...observation(), valueQuantity: { value: '95', unit: 'mg/dL' } },
      'Quantity.value is not a number',
    ],
    ['valueQuantity not an object', { ...observation(), valueQuantity: 95 }, 'Quantity is not an object'],
    [
      'unknown comparator',
      { ...observation(), valueQuantity: { value: 1, comparator: '~' } },
      'unknown comparator "~"',
    ],
    ['valueBoolean as a string', { ...observation(), valueBoolean: 'true' }, 'valueBoolean is not a boolean'],
    ['valueInteger with decimals', { ...observation(), valueInteger: 2.5 }, 'valueInteger is not an integer'],
    ['valueString empty', { ...observation(), valueString: '' }, 'valueString is not a string'],
    [
      'valueCodeableConcept empty',
      { ...observation(), valueCodeableConcept: {} },
      'valueCodeableConcept has no text or coding',
    ],
    [
      'valueRatio without denominator',
      { ...observation(), valueRatio: { numerator: { value: 1 } } },
      'valueRatio needs a numerator and a denominator',
    ],
    ['valueTime malformed', { ...observation(), valueTime: '25:99' }, 'valueTime is not a time'],
    [
      'valueDateTime malformed',
      { ...observation(), valueDateTime: 'yesterday' },
      'valueDateTime is not a date',
    ],
    [
      'two values',
      { ...observation(), valueString: 'a', valueBoolean: true },
      'several values: valueString, valueBoolean',
    ],
    [
      'STU3 valueAttachment',
      { ...observation(), valueAttachment: { url: 'x' } },
      'unsupported valueAttachment',
    ],
  ])('%s → "value not readable" with its code label', (_name, resource, problem) => {
    const view = map(resource);
    expect(view.value).toEqual({ kind: 'unreadable', problems: [problem], text: 'value not readable' });
    expect(view.concept.label).toBe('Glucose');
  });

  it('a missing code makes the value unreadable: a number without a name is not shown', () => {
    const view = map({ ...observation({ valueQuantity: ucum(95, 'mg/dL') }), code: undefined });
    expect(view.concept.label).toBe('Unnamed observation');
    expect(view.value).toMatchObject({ kind: 'unreadable', problems: ['code missing'] });
  });

  it('wrong types everywhere degrade field by field', () => {
    const view = map({
      resourceType: 'Observation',
      id: 7,
      status: 12,
      code: { text: 'Odd one' },
      category: 'laboratory',
      effectiveDateTime: 20261203,
      valueQuantity: ucum(1, 'mg/dL'),
      interpretation: { coding: 'H' },
      referenceRange: 'normal',
      component: 'none',
      text: { status: 'additional', div: 42 },
    });
    expect(view.value.text).toBe('1 mg/dL');
    expect(view.id).toBe('observation-without-id');
    expect(view.statusMark).toBe('No status');
    expect(view.effective.label).toBe('date unknown');
    expect(view.category.code).toBe('uncategorized');
    expect(view.flag).toBeUndefined();
    expect(view.referenceRange).toBeUndefined();
    expect(view.narrativeHtml).toBeUndefined();
  });

  it.each([null, undefined, 42, 'Observation', [], {}, { resourceType: 'Patient' }])(
    'non-observations (%j) map to undefined',
    (input) => {
      expect(mapObservation(input)).toBeUndefined();
    },
  );

  it('random garbage never throws', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const atoms = [
      null,
      0,
      -1,
      1.5,
      '',
      'x',
      '2026-13-45',
      true,
      [],
      {},
      [{}],
      { value: 'a' },
      { coding: [null] },
    ];
    const keys = [
      'status',
      'code',
      'category',
      'effectiveDateTime',
      'effectivePeriod',
      'effectiveInstant',
      'valueQuantity',
      'valueCodeableConcept',
      'valueRange',
      'valueRatio',
      'valuePeriod',
      'component',
      'interpretation',
      'referenceRange',
      'dataAbsentReason',
      'hasMember',
      'text',
      'id',
    ];
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const nested = (depth: number): unknown => {
      if (depth === 0 || random() < 0.4) return pick(atoms);
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < 3; i++)
        obj[pick([...keys, 'value', 'unit', 'coding', 'low', 'high', 'start', 'end'])] = nested(depth - 1);
      return random() < 0.3 ? [obj] : obj;
    };
    for (let i = 0; i < 2000; i++) {
      const resource: Record<string, unknown> = { resourceType: 'Observation' };
      for (const key of keys) if (random() < 0.5) resource[key] = nested(3);
      expect(() => mapObservation(resource)).not.toThrow();
    }
  });
});

describe('mapObservation: status', () => {
  it('excludes entered-in-error', () => {
    expect(mapObservation(glucose(400, 'mg/dL', { status: 'entered-in-error' }))).toBeUndefined();
  });

  it.each([
    ['final', undefined],
    ['preliminary', 'Preliminary'],
    ['amended', 'Amended'],
    ['corrected', 'Corrected'],
    ['registered', 'Registered'],
    ['cancelled', 'Cancelled'],
    ['unknown', 'Status unknown'],
    ['draft', 'Status: draft'],
  ] as const)('%s → %s', (status, mark) => {
    const view = map({ ...glucose(95), status });
    expect(view.statusMark).toBe(mark);
    expect(view.status).toBe(status);
  });
});

describe('mapObservation: effective[x]', () => {
  it('dateTime with a zone, shown in local time (TZ=UTC in tests)', () => {
    const view = map(glucose(95, 'mg/dL', { effectiveDateTime: '2026-12-03T09:14:00+01:00' }));
    expect(view.effective).toMatchObject({
      kind: 'date-time',
      label: '2026-12-03 08:14',
      sortTime: Date.UTC(2026, 11, 3, 8, 14),
    });
  });

  it.each([
    ['2026-12-03', '2026-12-03', Date.UTC(2026, 11, 3)],
    ['2026-12', '2026-12', Date.UTC(2026, 11, 1)],
    ['2026', '2026', Date.UTC(2026, 0, 1)],
  ])('reduced precision %s is shown as such', (value, label, time) => {
    expect(map(glucose(95, 'mg/dL', { effectiveDateTime: value })).effective).toMatchObject({
      label,
      sortTime: time,
    });
  });

  it('instant', () => {
    expect(
      map(
        glucose(95, 'mg/dL', { effectiveDateTime: undefined, effectiveInstant: '2026-12-03T08:14:05.123Z' }),
      ).effective,
    ).toMatchObject({
      kind: 'instant',
      label: '2026-12-03 08:14',
    });
  });

  it('Period: labelled start–end, sorted by its end', () => {
    const view = map(
      glucose(95, 'mg/dL', {
        effectiveDateTime: undefined,
        effectivePeriod: { start: '2026-12-01T08:00:00Z', end: '2026-12-02T08:00:00Z' },
      }),
    );
    expect(view.effective).toMatchObject({
      kind: 'period',
      label: '2026-12-01 08:00 – 2026-12-02 08:00',
      sortTime: Date.UTC(2026, 11, 2, 8),
    });
  });

  it('open Period: sorted by its start', () => {
    const view = map(
      glucose(95, 'mg/dL', { effectiveDateTime: undefined, effectivePeriod: { start: '2026-12-01' } }),
    );
    expect(view.effective).toMatchObject({ label: 'from 2026-12-01', sortTime: Date.UTC(2026, 11, 1) });
  });

  it.each([
    ['missing', { effectiveDateTime: undefined }],
    ['impossible date', { effectiveDateTime: '2026-02-30' }],
    ['not a date', { effectiveDateTime: 'last Tuesday' }],
    ['Timing', { effectiveDateTime: undefined, effectiveTiming: { event: ['2026-12-03'] } }],
  ])('%s → "date unknown", sorted last', (_name, overrides) => {
    expect(map(glucose(95, 'mg/dL', overrides as Partial<Observation>)).effective).toMatchObject({
      kind: 'missing',
      label: 'date unknown',
      sortTime: undefined,
    });
  });
});

describe('mapObservation: interpretation and reference range', () => {
  it.each([
    ['H', 'high'],
    ['L', 'low'],
    ['HH', 'critical-high'],
    ['LL', 'critical-low'],
    ['A', 'abnormal'],
    ['AA', 'critical'],
    ['N', 'normal'],
    ['HU', 'high'],
    ['LU', 'low'],
  ])('%s → %s', (code, flag) => {
    const view = map(potassium(4, { interpretation: interpretation(code) }));
    expect(view.flag).toBe(flag);
    expect(view.flagSource).toBe('interpretation');
  });

  it('the STU3 system http://hl7.org/fhir/v2/0078 is read too', () => {
    const view = map(
      potassium(6, { interpretation: [{ coding: [{ system: 'http://hl7.org/fhir/v2/0078', code: 'H' }] }] }),
    );
    expect(view.flag).toBe('high');
  });

  it('text-only interpretation', () => {
    expect(map(potassium(2.9, { interpretation: [{ text: 'Critical low' }] })).flag).toBe('critical-low');
  });

  it('the most severe of several interpretations wins', () => {
    const view = map(potassium(7, { interpretation: [...interpretation('H'), ...interpretation('HH')] }));
    expect(view.flag).toBe('critical-high');
  });

  it('an interpretation without a severity is kept as text', () => {
    const view = map(
      observation({
        code: loinc('2106-3', 'HCG Preg Ur Ql'),
        valueString: 'Positive',
        interpretation: interpretation('POS'),
      }),
    );
    expect(view.flag).toBeUndefined();
    expect(view.interpretationText).toBe('Positive');
  });

  it('interpretation wins over the range', () => {
    const view = map(potassium(6, { interpretation: interpretation('N') }));
    expect(view.flag).toBe('normal');
  });

  it.each([
    [6.2, 'high'],
    [3.1, 'low'],
    [4.2, 'normal'],
  ])('no interpretation: %s mmol/L against 3.5–5.1 is %s (derived)', (value, flag) => {
    const view = map(potassium(value));
    expect(view.flag).toBe(flag);
    expect(view.flagSource).toBe('reference-range');
    expect(view.referenceRange?.text).toBe('3.5–5.1 mmol/L');
  });

  it('no derived flag when the range is in another unit', () => {
    const view = map(
      glucose(6, 'mmol/L', { referenceRange: [{ low: ucum(70, 'mg/dL'), high: ucum(99, 'mg/dL') }] }),
    );
    expect(view.flag).toBeUndefined();
  });

  it.each([
    ['<', 2, 'low'],
    ['<', 4, undefined],
    ['>', 6, 'high'],
    ['>', 4, undefined],
  ] as const)('comparator %s%s against 3.5–5.1 → %s', (comparator, value, flag) => {
    expect(map(potassium(value, { valueQuantity: { ...ucum(value, 'mmol/L'), comparator } })).flag).toBe(
      flag,
    );
  });

  it.each([
    [[{ low: ucum(3.5, 'mmol/L') }], '≥ 3.5 mmol/L'],
    [[{ high: ucum(200, 'mg/dL') }], '≤ 200 mg/dL'],
    [[{ text: 'Negative' }], 'Negative'],
    [
      [
        { type: { coding: [{ code: 'treatment' }] }, high: ucum(7, 'mmol/L') },
        { type: { coding: [{ code: 'normal' }] }, low: ucum(3.5, 'mmol/L'), high: ucum(5.1, 'mmol/L') },
      ],
      '3.5–5.1 mmol/L',
    ],
  ])('reference range %j → %s', (referenceRange, text) => {
    expect(map(potassium(4, { referenceRange })).referenceRange?.text).toBe(text);
  });

  it('blood pressure is flagged from its components', () => {
    const view = map(
      bloodPressure(170, 85, {
        component: [
          {
            code: loinc('8480-6', 'Systolic'),
            valueQuantity: ucum(170, 'mm[Hg]', 'mmHg'),
            interpretation: interpretation('H'),
          },
          { code: loinc('8462-4', 'Diastolic'), valueQuantity: ucum(85, 'mm[Hg]', 'mmHg') },
        ],
      }),
    );
    expect(view.flag).toBe('high');
  });
});

describe('mapObservation: concepts and categories', () => {
  it('groups glucose codes into one concept', () => {
    const keys = ['2345-7', '2339-0', '15074-8'].map(
      (code) => map(glucose(5, 'mg/dL', { code: loinc(code, code) })).concept.key,
    );
    expect(new Set(keys)).toEqual(new Set(['glucose']));
  });

  it("keeps the observation's own wording beside the concept label", () => {
    const view = map(glucose(95));
    expect(view.concept.label).toBe('Glucose');
    expect(view.concept.codeLabel).toBe('Glucose [Mass/volume] in Serum or Plasma');
  });

  it('unknown codes group by system|code, uncoded ones by text', () => {
    expect(
      map(observation({ code: loinc('99999-9', 'Novel marker'), valueString: 'x' })).concept,
    ).toMatchObject({
      key: 'http://loinc.org|99999-9',
      label: 'Novel marker',
    });
    expect(map(observation({ code: { text: 'Nurse note score' }, valueString: 'x' })).concept.key).toBe(
      'text:nurse note score',
    );
  });

  it.each([
    [category('vital-signs'), 'vital-signs'],
    [category('vital-sign'), 'vital-signs'],
    [category('laboratory', 'http://hl7.org/fhir/observation-category'), 'laboratory'],
    [[{ text: 'Vital Signs' }], 'vital-signs'],
    [[{ coding: [{ code: 'social-history' }] }], 'social-history'],
    [undefined, 'uncategorized'],
  ])('category %j → %s', (value, code) => {
    expect(map(heartRate(70, { category: value })).category.code).toBe(code);
  });

  it('a local category is kept with its label', () => {
    const view = map(
      heartRate(70, {
        category: [{ coding: [{ system: 'urn:local', code: 'nursing', display: 'Nursing' }] }],
      }),
    );
    expect(view.category).toEqual({ code: 'other', label: 'Nursing' });
  });

  it('vital signs win over other categories on the same observation', () => {
    const view = map(heartRate(70, { category: [...category('survey'), ...category('vital-signs')] }));
    expect(view.category.code).toBe('vital-signs');
  });
});

describe('mapObservation: narrative', () => {
  it('keeps additional narrative as raw text (sanitised at render)', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Haemolysed; <b>repeat</b></p></div>';
    expect(map(glucose(95, 'mg/dL', { text: { status: 'additional', div } })).narrativeHtml).toBe(div);
  });

  it('drops generated narrative (it only restates the data)', () => {
    expect(
      map(glucose(95, 'mg/dL', { text: { status: 'generated', div: '<div>95 mg/dL</div>' } })).narrativeHtml,
    ).toBeUndefined();
  });
});
