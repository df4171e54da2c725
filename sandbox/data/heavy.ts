/**
 * The heavy patient for performance work: ten years of quarterly outpatient visits and labs, then a current ICU
 * stay (septic shock, improving) with vital signs every 2 minutes for 9 days and labs every 6 hours:
 * about 28,000 observations in all.
 */
import type { QuantityDefinition } from './codes.ts';
import { LABS, PANELS, VITALS } from './codes.ts';
import type { EncounterSpec } from './factory.ts';
import { DAY, HOUR, MINUTE, isoDateTime } from './factory.ts';
import type { OutpatientProfile, PatientHistory, Trend } from './history.ts';
import { outpatientHistory, patientId, practitionerName, steady, valueAt } from './history.ts';
import { PRACTITIONERS } from './practitioners.ts';
import type { SeededRandom } from './random.ts';

export const HEAVY_PATIENT_ID = 'patient-heavy';
export const ICU_ENCOUNTER_ID = 'enc-heavy-icu';
export const ICU_DAYS = 9;
export const ICU_VITALS_EVERY_MINUTES = 2;

const HEAVY_PROFILE: OutpatientProfile = {
  patient: {
    key: 'heavy',
    given: ['Samuel', 'Lee'],
    family: 'Heavy',
    gender: 'male',
    ageYears: 67,
    birthday: '09-17',
    mrn: 'MRN-100006',
    city: 'Boston',
  },
  practitioner: PRACTITIONERS.internist,
  historyYears: 10,
  visitEveryDays: 91,
  visitKind: 'office',
  lastVisitDaysAgo: [30, 60],
  vitals: {
    systolic: steady(136, 7),
    diastolic: steady(82, 5),
    heartRate: steady(74, 5),
    respiratoryRate: steady(15, 1.5),
    temperature: steady(36.8, 0.2),
    oxygenSaturation: steady(97, 0.8),
    weight: { start: 96, end: 101, noise: 0.8 },
    height: steady(181, 0.3),
  },
  labs: {
    glucose: { start: 118, end: 142, noise: 12 },
    hba1c: { start: 6.1, end: 7.2, noise: 0.15 },
    creatinine: steady(1.1, 0.08),
  },
  panels: { cbc: 1, bmp: 1, cmpExtra: 1, hba1c: 1, lipids: 4 },
  smoking: 'former',
  bloodPressurePanel: 'current',
};

/** A vital that drifts towards a target that moves as the patient recovers (mean-reverting random walk). */
interface Drift {
  readonly from: number;
  readonly to: number;
  /** Noise per 2-minute step. */
  readonly step: number;
  readonly min: number;
  readonly max: number;
}

const ICU_VITALS = {
  heartRate: { from: 124, to: 84, step: 1.6, min: 45, max: 170 },
  systolic: { from: 88, to: 124, step: 2.2, min: 60, max: 190 },
  diastolic: { from: 48, to: 72, step: 1.6, min: 30, max: 110 },
  respiratoryRate: { from: 28, to: 17, step: 0.7, min: 8, max: 40 },
  oxygenSaturation: { from: 90, to: 97, step: 0.45, min: 78, max: 100 },
} as const satisfies Record<string, Drift>;

const ICU_LABS: Partial<Record<keyof typeof LABS, Trend>> = {
  wbc: { start: 19.5, end: 9.2, noise: 0.8 },
  hemoglobin: { start: 11.2, end: 9.6, noise: 0.3 },
  platelets: { start: 110, end: 210, noise: 10 },
  creatinine: { start: 2.3, end: 1.2, noise: 0.08 },
  egfr: { start: 29, end: 61, noise: 2 },
  bun: { start: 44, end: 22, noise: 2 },
  potassium: { start: 5.3, end: 4.2, noise: 0.2 },
  sodium: { start: 133, end: 139, noise: 1 },
  carbonDioxide: { start: 17, end: 24, noise: 1 },
  glucose: { start: 210, end: 140, noise: 20 },
  lactate: { start: 4.6, end: 1.1, noise: 0.2 },
};

export function heavyPatient(now: number, random: SeededRandom): PatientHistory {
  const history = outpatientHistory(HEAVY_PROFILE, now, random.derive('outpatient'));
  const icuRandom = random.derive('icu');
  // The ICU stay started ICU_DAYS ago on the hour and is still going on.
  const admitted = Math.floor((now - ICU_DAYS * DAY) / HOUR) * HOUR;
  const stay: EncounterSpec = {
    id: ICU_ENCOUNTER_ID,
    patientId: patientId('heavy'),
    practitionerId: PRACTITIONERS.intensivist.id,
    practitionerName: practitionerName(PRACTITIONERS.intensivist),
    start: admitted,
    end: undefined,
    kind: 'icu',
  };
  history.encounters.push(stay);
  const { writer } = history;
  const inIcu = { encounterId: stay.id };
  const span = now - admitted;
  const state: Record<keyof typeof ICU_VITALS, number> = {
    heartRate: ICU_VITALS.heartRate.from,
    systolic: ICU_VITALS.systolic.from,
    diastolic: ICU_VITALS.diastolic.from,
    respiratoryRate: ICU_VITALS.respiratoryRate.from,
    oxygenSaturation: ICU_VITALS.oxygenSaturation.from,
  };
  const advance = (name: keyof typeof ICU_VITALS, fraction: number): number => {
    const drift = ICU_VITALS[name];
    const target = drift.from + (drift.to - drift.from) * fraction;
    const next = state[name] + 0.08 * (target - state[name]) + drift.step * icuRandom.normal();
    state[name] = Math.min(drift.max, Math.max(drift.min, next));
    return state[name];
  };

  const stepMs = ICU_VITALS_EVERY_MINUTES * MINUTE;
  for (let at = admitted + stepMs; at < now; at += stepMs) {
    const fraction = (at - admitted) / span;
    const when = isoDateTime(at);
    const heartRate = advance('heartRate', fraction);
    const systolic = advance('systolic', fraction);
    const diastolic = Math.min(advance('diastolic', fraction), systolic - 20);
    writer.bloodPressure(systolic, diastolic, when, inIcu);
    writer.vital(VITALS.heartRate, heartRate, when, inIcu);
    writer.vital(VITALS.respiratoryRate, advance('respiratoryRate', fraction), when, inIcu);
    writer.vital(VITALS.oxygenSaturation, advance('oxygenSaturation', fraction), when, inIcu);
    const sinceAdmission = at - admitted;
    if (sinceAdmission % HOUR === 0) {
      const fever = 38.9 - 2 * fraction + 0.25 * icuRandom.normal();
      writer.vital(VITALS.temperature, fever, when, inIcu);
    }
    if (sinceAdmission % DAY === 6 * HOUR) {
      writer.vital(VITALS.weight, 104 - 3 * fraction + 0.4 * icuRandom.normal(), when, inIcu);
    }
    if (sinceAdmission % (6 * HOUR) === 0) {
      for (const lab of [...PANELS.cbc, ...PANELS.bmp, 'lactate'] as const) {
        const definition: QuantityDefinition = LABS[lab];
        const low = definition.low ?? 0;
        const high = definition.high ?? low * 2;
        const trend = ICU_LABS[lab] ?? steady((low + high) / 2, (high - low) / 10);
        writer.lab(LABS[lab], Math.max(0, valueAt(trend, fraction, icuRandom)), when, {
          ...inIcu,
          issuedAfterMinutes: 45,
        });
      }
    }
  }
  return history;
}
