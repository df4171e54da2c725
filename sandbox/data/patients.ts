/**
 * The sample patients: who they are, how their values trend, and the edge shapes each one carries
 * (documented for tests in sandbox/data/README.md; keep the two in step).
 */
import {
  DATA_ABSENT_REASON,
  GLUCOSE_MMOL,
  LABS,
  LOCAL_OBSERVATION_CODES,
  SNOMED,
  UCUM,
  VITALS,
} from './codes.ts';
import type { EncounterSpec } from './factory.ts';
import { DAY, HOUR, MINUTE, isoDate, isoDateTime, loincConcept } from './factory.ts';
import type { OutpatientProfile, PatientHistory } from './history.ts';
import { outpatientHistory, patientId, practitionerName, steady, valueAt } from './history.ts';
import { PRACTITIONERS } from './practitioners.ts';
import type { SeededRandom } from './random.ts';

const adultVitals = {
  respiratoryRate: steady(15, 1.5),
  temperature: steady(36.8, 0.2),
  oxygenSaturation: steady(97.5, 0.8),
};

export const OUTPATIENT_PROFILES = {
  /** Type 2 diabetes and hypertension, improving on treatment. */
  'adult-1': {
    patient: {
      key: 'adult-1',
      given: ['Alice', 'Marie'],
      family: 'Rivera',
      gender: 'female',
      ageYears: 57,
      birthday: '03-14',
      mrn: 'MRN-100001',
      city: 'Springfield',
    },
    practitioner: PRACTITIONERS.internist,
    historyYears: 6,
    visitEveryDays: 91,
    visitKind: 'office',
    vitals: {
      ...adultVitals,
      systolic: { start: 148, end: 128, noise: 6 },
      diastolic: { start: 92, end: 80, noise: 4 },
      heartRate: { start: 82, end: 74, noise: 5 },
      weight: { start: 94, end: 86, noise: 0.8 },
      height: steady(165, 0.3),
    },
    labs: {
      glucose: { start: 165, end: 118, noise: 15 },
      hba1c: { start: 8.6, end: 6.8, noise: 0.2 },
      cholesterol: { start: 220, end: 180, noise: 10 },
      ldl: { start: 135, end: 95, noise: 8 },
      hdl: steady(42, 4),
      triglycerides: { start: 210, end: 150, noise: 20 },
      creatinine: steady(0.9, 0.08),
      egfr: steady(78, 5),
    },
    panels: { bmp: 1, hba1c: 1, cbc: 2, cmpExtra: 4, lipids: 4 },
    smoking: 'never',
    bloodPressurePanel: 'current',
  },
  /** Hyperlipidaemia; his results come through an older interface (55284-4 BP panels, lipids without category). */
  'adult-2': {
    patient: {
      key: 'adult-2',
      given: ['Robert', 'James'],
      family: 'Chen',
      gender: 'male',
      ageYears: 68,
      birthday: '07-02',
      mrn: 'MRN-100002',
      city: 'Riverside',
    },
    practitioner: PRACTITIONERS.internist,
    historyYears: 5,
    visitEveryDays: 120,
    visitKind: 'office',
    vitals: {
      ...adultVitals,
      systolic: steady(138, 8),
      diastolic: steady(84, 5),
      heartRate: steady(68, 5),
      weight: steady(81, 1),
      height: steady(176, 0.3),
    },
    labs: {
      cholesterol: { start: 245, end: 190, noise: 10 },
      ldl: { start: 165, end: 105, noise: 8 },
      hdl: { start: 38, end: 45, noise: 3 },
      triglycerides: { start: 180, end: 140, noise: 15 },
    },
    panels: { lipids: 1, bmp: 2, cbc: 3 },
    smoking: 'former',
    bloodPressurePanel: 'old',
    lipidsWithoutCategory: true,
  },
  /** Iron-deficiency anaemia; carries most of the odd value shapes and statuses. */
  'adult-3': {
    patient: {
      key: 'adult-3',
      given: ['Fatima', 'Amina'],
      family: 'Okafor',
      gender: 'female',
      ageYears: 34,
      birthday: '11-23',
      mrn: 'MRN-100003',
      city: 'Lowell',
    },
    practitioner: PRACTITIONERS.internist,
    historyYears: 4,
    visitEveryDays: 150,
    visitKind: 'office',
    vitals: {
      ...adultVitals,
      systolic: steady(112, 6),
      diastolic: steady(70, 4),
      heartRate: { start: 88, end: 76, noise: 5 },
      weight: steady(61, 0.8),
      height: steady(168, 0.3),
    },
    labs: {
      hemoglobin: { start: 10.8, end: 12.4, noise: 0.3 },
      hematocrit: { start: 33, end: 37.5, noise: 0.8 },
      mcv: { start: 74, end: 84, noise: 1.5 },
    },
    panels: { cbc: 1, bmp: 2 },
    smoking: 'current',
    bloodPressurePanel: 'current',
  },
  /** Chronic kidney disease stage 3b-4 in an 84-year-old; critical electrolytes and rare value types. */
  'adult-4': {
    patient: {
      key: 'adult-4',
      given: ['James', 'Patrick'],
      family: "O'Brien",
      gender: 'male',
      ageYears: 84,
      birthday: '01-30',
      mrn: 'MRN-100004',
      city: 'Worcester',
    },
    practitioner: PRACTITIONERS.internist,
    historyYears: 8,
    visitEveryDays: 90,
    visitKind: 'office',
    vitals: {
      ...adultVitals,
      systolic: steady(150, 8),
      diastolic: steady(78, 5),
      heartRate: steady(64, 4),
      weight: { start: 78, end: 72, noise: 0.8 },
      height: steady(172, 0.3),
    },
    labs: {
      creatinine: { start: 1.6, end: 2.4, noise: 0.1 },
      egfr: { start: 45, end: 28, noise: 2 },
      bun: { start: 28, end: 42, noise: 3 },
      potassium: { start: 4.9, end: 5.4, noise: 0.2 },
      hemoglobin: { start: 12.5, end: 10.9, noise: 0.3 },
      carbonDioxide: { start: 23, end: 20, noise: 1 },
    },
    panels: { bmp: 1, cbc: 1, cmpExtra: 2, lipids: 4 },
    smoking: 'former',
    bloodPressurePanel: 'current',
  },
  /** A healthy 8-year-old followed from age 2: growth, child vital ranges, no labs. */
  'child-1': {
    patient: {
      key: 'child-1',
      given: ['Lily', 'Sora'],
      family: 'Nakamura',
      gender: 'female',
      ageYears: 8,
      birthday: '05-09',
      mrn: 'MRN-100005',
      city: 'Cambridge',
    },
    practitioner: PRACTITIONERS.pediatrician,
    historyYears: 6,
    visitEveryDays: 182,
    visitKind: 'well-child',
    vitals: {
      systolic: { start: 92, end: 104, noise: 4 },
      diastolic: { start: 54, end: 64, noise: 3 },
      heartRate: { start: 112, end: 84, noise: 6 },
      respiratoryRate: { start: 26, end: 19, noise: 1.5 },
      temperature: steady(36.9, 0.2),
      oxygenSaturation: steady(98.5, 0.6),
      weight: { start: 12.4, end: 25.6, noise: 0.2 },
      height: { start: 86, end: 128, noise: 0.4 },
    },
    labs: {},
    panels: {},
    smoking: 'never',
    bloodPressurePanel: 'current',
  },
} as const satisfies Record<string, OutpatientProfile>;

export type OutpatientKey = keyof typeof OUTPATIENT_PROFILES;

/** Where an edge observation sits on the patient's trend line (0 = first visit, 1 = last). */
function fractionAt(encounters: readonly EncounterSpec[], at: number): number {
  const first = encounters[0]?.start ?? at;
  const last = encounters[encounters.length - 1]?.start ?? at;
  return last > first ? Math.min(1, Math.max(0, (at - first) / (last - first))) : 1;
}

function lastEncounter(history: PatientHistory): EncounterSpec {
  const last = history.encounters[history.encounters.length - 1];
  if (!last) throw new Error(`${history.patient.id ?? 'patient'} has no visits`);
  return last;
}

/** A short emergency visit added to a history (for the critical values). */
function emergencyVisit(history: PatientHistory, key: string, start: number): EncounterSpec {
  const spec: EncounterSpec = {
    id: `enc-${key}-ed`,
    patientId: patientId(key),
    practitionerId: PRACTITIONERS.internist.id,
    practitionerName: practitionerName(PRACTITIONERS.internist),
    start,
    end: start + 5 * HOUR,
    kind: 'emergency',
  };
  history.encounters.push(spec);
  history.encounters.sort((a, b) => a.start - b.start);
  return spec;
}

/** Rounds a time to 10:00 UTC of its day, so edge observations do not carry odd seconds. */
const atTen = (ms: number): number => Math.floor(ms / DAY) * DAY + 10 * HOUR;

type EdgeWriter = (history: PatientHistory, now: number, random: SeededRandom) => void;

const localCode = (code: string, display: string) => ({
  coding: [{ system: LOCAL_OBSERVATION_CODES, code, display }],
  text: display,
});

/** A synthetic ECG lead II strip: 2.5 s at 250 Hz, P-QRS-T at 72/min, in units of 0.01 mV. */
function ecgStrip(): string {
  const samples: number[] = [];
  for (let index = 0; index < 625; index++) {
    const t = ((index * 4) % 833) / 833; // position within one beat
    const bump = (centre: number, width: number, height: number) =>
      height * Math.exp(-(((t - centre) / width) ** 2));
    const value =
      bump(0.15, 0.03, 15) -
      bump(0.28, 0.008, 12) +
      bump(0.3, 0.012, 110) -
      bump(0.32, 0.01, 25) +
      bump(0.55, 0.05, 30);
    samples.push(Math.round(value));
  }
  return samples.join(' ');
}

export const EDGE_WRITERS: Record<OutpatientKey, EdgeWriter> = {
  'adult-1': (history, now, random) => {
    const { writer, encounters } = history;
    const glucose = OUTPATIENT_PROFILES['adult-1'].labs.glucose;
    // An outside lab reports the same analyte (LOINC 2345-7) in SI units.
    [400, 200, 45].forEach((daysAgo, index) => {
      const at = atTen(now - daysAgo * DAY);
      const mgPerDl = valueAt(glucose, fractionAt(encounters, at), random);
      writer.lab(GLUCOSE_MMOL, mgPerDl / 18.016, isoDateTime(at), {
        id: `obs-adult-1-glucose-mmol-${index + 1}`,
      });
    });
    const emergency = emergencyVisit(history, 'adult-1', atTen(now - 3 * 365 * DAY) + 4 * HOUR);
    writer.lab(LABS.glucose, 412, isoDateTime(emergency.start + 30 * MINUTE), {
      id: 'obs-adult-1-glucose-hh',
      encounterId: emergency.id,
    });
    const amended = writer.lab(LABS.hba1c, 7.4, isoDateTime(atTen(now - 100 * DAY)), {
      id: 'obs-adult-1-hba1c-amended',
      status: 'amended',
    });
    amended.note = [{ text: 'Amended: first report was filed against the wrong specimen (7.9 %).' }];
  },
  'adult-2': (history, now) => {
    const start = atTen(now - 300 * DAY) - HOUR;
    history.writer.push(
      {
        ...loincConcept(VITALS.heartRate.code, VITALS.heartRate.display),
        text: 'Heart rate (24-hour Holter mean)',
      },
      { start: isoDateTime(start), end: isoDateTime(start + DAY) },
      { id: 'obs-adult-2-holter-heart-rate', category: 'vital-signs' },
      { valueQuantity: { value: 71, unit: '/min', system: UCUM, code: '/min' } },
    );
  },
  'adult-3': (history, now) => {
    const { writer } = history;
    const last = lastEncounter(history);
    const visit = { encounterId: last.id };
    writer.push(
      loincConcept('5778-6', 'Color of Urine'),
      isoDateTime(last.start + 25 * MINUTE),
      {
        ...visit,
        id: 'obs-adult-3-urine-color',
        category: 'laboratory',
        issuedAfterMinutes: 120,
      },
      { valueString: 'Dark yellow' },
    );
    writer.push(
      loincConcept('882-1', 'ABO and Rh group [Type] in Blood'),
      isoDateTime(last.start + 25 * MINUTE),
      {
        ...visit,
        id: 'obs-adult-3-blood-group',
        category: 'laboratory',
        issuedAfterMinutes: 120,
      },
      {
        valueCodeableConcept: {
          coding: [{ system: SNOMED, code: '278149003', display: 'Blood group A Rh(D) positive' }],
          text: 'A positive',
        },
      },
    );
    writer.push(
      loincConcept(VITALS.temperature.code, VITALS.temperature.display),
      isoDateTime(last.start + 15 * MINUTE),
      {
        ...visit,
        id: 'obs-adult-3-temperature-absent',
        category: 'vital-signs',
      },
      { dataAbsentReason: { coding: [{ system: DATA_ABSENT_REASON, code: 'error', display: 'Error' }] } },
    );
    // A mistyped heart rate, retracted: an app must never show it (the value is absurd on purpose).
    writer.vital(VITALS.heartRate, 300, isoDateTime(last.start + 6 * MINUTE), {
      ...visit,
      id: 'obs-adult-3-heart-rate-entered-in-error',
      status: 'entered-in-error',
    });
    writer.lab(LABS.potassium, 4.1, isoDateTime(atTen(now - 2 * DAY)), {
      id: 'obs-adult-3-potassium-preliminary',
      status: 'preliminary',
      issuedAfterMinutes: 60,
    });
    const emergency = emergencyVisit(history, 'adult-3', atTen(now - 2 * 365 * DAY) + 8 * HOUR);
    writer.lab(LABS.hemoglobin, 6.8, isoDateTime(emergency.start + 40 * MINUTE), {
      id: 'obs-adult-3-hemoglobin-ll',
      encounterId: emergency.id,
      issuedAfterMinutes: 45,
    });
  },
  'adult-4': (history, now) => {
    const { writer } = history;
    const emergency = emergencyVisit(history, 'adult-4', atTen(now - 60 * DAY) + 9 * HOUR);
    const inEmergency = { encounterId: emergency.id, issuedAfterMinutes: 50 };
    const drawn = isoDateTime(emergency.start + 30 * MINUTE);
    writer.lab(LABS.potassium, 6.6, drawn, { ...inEmergency, id: 'obs-adult-4-potassium-hh' });
    writer.lab(LABS.sodium, 118, drawn, { ...inEmergency, id: 'obs-adult-4-sodium-ll' });

    const last = lastEncounter(history);
    const visit = { encounterId: last.id };
    const at = isoDateTime(last.start + 20 * MINUTE);
    writer.push(
      loincConcept('13945-1', 'Erythrocytes [#/area] in Urine sediment by Microscopy high power field'),
      at,
      { ...visit, id: 'obs-adult-4-urine-rbc-range', category: 'laboratory', issuedAfterMinutes: 240 },
      {
        valueRange: {
          low: { value: 3, unit: '/[HPF]', system: UCUM, code: '/[HPF]' },
          high: { value: 5, unit: '/[HPF]', system: UCUM, code: '/[HPF]' },
        },
      },
    );
    writer.push(
      loincConcept('5048-4', 'Nuclear Ab [Titer] in Serum by Immunofluorescence'),
      at,
      {
        ...visit,
        id: 'obs-adult-4-ana-titer-ratio',
        category: 'laboratory',
        issuedAfterMinutes: 2 * 24 * 60,
      },
      { valueRatio: { numerator: { value: 1 }, denominator: { value: 160 } } },
    );
    writer.push(
      localCode('fall-past-year', 'Fell in the past 12 months'),
      at,
      { ...visit, id: 'obs-adult-4-fall-boolean', category: 'survey' },
      { valueBoolean: true },
    );
    writer.push(
      loincConcept('72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported'),
      at,
      { ...visit, id: 'obs-adult-4-pain-integer', category: 'survey' },
      { valueInteger: 4 },
    );
    writer.push(
      localCode('ecg-lead-ii-strip', 'ECG lead II rhythm strip'),
      at,
      { ...visit, id: 'obs-adult-4-ecg-sampled-data', category: 'procedure' },
      {
        valueSampledData: {
          origin: { value: 0, unit: 'mV', system: UCUM, code: 'mV' },
          period: 4,
          factor: 0.01,
          dimensions: 1,
          data: ecgStrip(),
        },
      },
    );
    writer.push(
      localCode('last-meal-time', 'Time of last meal before blood draw'),
      at,
      { ...visit, id: 'obs-adult-4-last-meal-time', category: 'survey' },
      { valueTime: '19:30:00' },
    );
    const night = Math.floor((now - 20 * DAY) / DAY) * DAY;
    writer.push(
      localCode('sleep-period', 'Sleep period during overnight oximetry'),
      isoDateTime(night + 7 * HOUR),
      { id: 'obs-adult-4-sleep-period', category: 'procedure' },
      {
        valuePeriod: {
          start: isoDateTime(night - 2 * HOUR + 15 * MINUTE),
          end: isoDateTime(night + 6 * HOUR + 40 * MINUTE),
        },
      },
    );
    // Narrative that must never run when an app renders it (sanitising test).
    const weight = writer.vital(VITALS.weight, 71.2, isoDateTime(last.start + 8 * MINUTE), {
      ...visit,
      id: 'obs-adult-4-narrative-script',
    });
    // `additional`: narrative with content beyond the data, which apps show (after sanitising).
    weight.text = {
      status: 'additional',
      div:
        '<div xmlns="http://www.w3.org/1999/xhtml"><p>Body weight 71.2 kg, weighed after dialysis</p>' +
        '<script>window.__sandboxNarrativeScriptRan = true;</script>' +
        '<img src="x" onerror="window.__sandboxNarrativeOnerrorRan = true"/></div>',
    };
  },
  'child-1': (history, now, random) => {
    const profile = OUTPATIENT_PROFILES['child-1'];
    // School nurse measurements are recorded with a date only.
    [830, 465, 100].forEach((daysAgo, index) => {
      const at = now - daysAgo * DAY;
      const fraction = fractionAt(history.encounters, at);
      history.writer.vital(VITALS.weight, valueAt(profile.vitals.weight, fraction, random), isoDate(at), {
        id: `obs-child-1-school-weight-${index + 1}`,
      });
      history.writer.vital(VITALS.height, valueAt(profile.vitals.height, fraction, random), isoDate(at), {
        id: `obs-child-1-school-height-${index + 1}`,
      });
    });
  },
};

export function outpatientPatient(key: OutpatientKey, now: number, random: SeededRandom): PatientHistory {
  const history = outpatientHistory(OUTPATIENT_PROFILES[key], now, random);
  EDGE_WRITERS[key](history, now, random);
  return history;
}
