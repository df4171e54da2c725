/**
 * A patient's outpatient history: visits every few months up to a few weeks before "now", each with a full set of
 * vital signs and, on a schedule, lab panels. Values follow per-patient trends (a treated hypertensive's blood
 * pressure falls over the years) with seeded noise, so charts look like real follow-up rather than static noise.
 */
import type { Patient, Practitioner } from '@medplum/fhirtypes';
import type { LabKey, QuantityDefinition, VitalKey } from './codes.ts';
import { IDENTIFIER_TYPE, LABS, MRN_SYSTEM, PANELS, SMOKING_ANSWERS, VITALS } from './codes.ts';
import type { EncounterSpec } from './factory.ts';
import { DAY, HOUR, MINUTE, ObservationWriter, isoDateTime } from './factory.ts';
import type { SeededRandom } from './random.ts';

/** A value that moves linearly from `start` (first visit) to `end` (last visit), plus normal noise. */
export interface Trend {
  readonly start: number;
  readonly end: number;
  readonly noise: number;
}

export const steady = (value: number, noise: number): Trend => ({ start: value, end: value, noise });

export function valueAt(trend: Trend, fraction: number, random: SeededRandom): number {
  return trend.start + (trend.end - trend.start) * fraction + trend.noise * random.normal();
}

export interface PatientSpec {
  /** Short key used in ids: `patient-<key>`, `obs-<key>-00001`, `enc-<key>-01`. */
  readonly key: string;
  readonly given: readonly [string, ...string[]];
  readonly family: string;
  readonly gender: 'female' | 'male';
  readonly ageYears: number;
  /** `MM-DD` */
  readonly birthday: string;
  readonly mrn: string;
  readonly city: string;
}

export type PanelName = keyof typeof PANELS;

export interface OutpatientProfile {
  readonly patient: PatientSpec;
  readonly practitioner: Practitioner;
  readonly historyYears: number;
  readonly visitEveryDays: number;
  readonly visitKind: 'office' | 'well-child';
  readonly vitals: Record<Exclude<VitalKey, 'systolic' | 'diastolic' | 'bmi'>, Trend> & {
    readonly systolic: Trend;
    readonly diastolic: Trend;
  };
  /** Trends for labs that differ from the middle of the normal range. */
  readonly labs: Partial<Record<LabKey, Trend>>;
  /** Every how many visits each panel is drawn (absent: never). The first visit draws them all. */
  readonly panels: Partial<Record<PanelName, number>>;
  readonly smoking: keyof typeof SMOKING_ANSWERS;
  readonly bloodPressurePanel: 'current' | 'old';
  /** Lipid results that arrive from an outside lab interface without any category (an edge shape). */
  readonly lipidsWithoutCategory?: boolean;
  /** How long before now the last visit was, in days (default 7 to 28). */
  readonly lastVisitDaysAgo?: readonly [number, number];
}

export interface PatientHistory {
  readonly patient: Patient;
  readonly encounters: EncounterSpec[];
  readonly writer: ObservationWriter;
}

export const patientId = (key: string): string => `patient-${key}`;

export function practitionerName(practitioner: Practitioner): string {
  const name = practitioner.name?.[0];
  return [name?.prefix?.join(' '), name?.given?.join(' '), name?.family].filter(Boolean).join(' ');
}

export function patientResource(spec: PatientSpec, now: number): Patient {
  const year = new Date(now).getUTCFullYear() - spec.ageYears;
  // Born later this year than today: one year younger than ageYears, so shift the year back.
  const birthThisYear = Date.parse(`${new Date(now).getUTCFullYear()}-${spec.birthday}T00:00:00Z`);
  const birthYear = birthThisYear > now ? year - 1 : year;
  return {
    resourceType: 'Patient',
    id: patientId(spec.key),
    meta: { lastUpdated: isoDateTime(now - 365 * DAY) },
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [{ system: IDENTIFIER_TYPE, code: 'MR', display: 'Medical record number' }],
          text: 'MRN',
        },
        system: MRN_SYSTEM,
        value: spec.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: spec.family, given: [...spec.given] }],
    gender: spec.gender,
    birthDate: `${birthYear}-${spec.birthday}`,
    address: [{ use: 'home', city: spec.city, state: 'MA', country: 'US' }],
  };
}

/**
 * Visit times from `historyYears` ago up to a few weeks before now, every `visitEveryDays` (±15 %), on weekdays
 * between 08:00 and 16:00 UTC at a quarter hour.
 */
export function visitTimes(profile: OutpatientProfile, now: number, random: SeededRandom): number[] {
  const start = now - profile.historyYears * 365 * DAY;
  const times: number[] = [];
  const [nearest, farthest] = profile.lastVisitDaysAgo ?? [7, 28];
  let day = now - random.int(nearest, farthest) * DAY;
  while (day > start) {
    const midnight = Math.floor(day / DAY) * DAY;
    const weekday = new Date(midnight).getUTCDay();
    const shift = weekday === 0 ? -2 : weekday === 6 ? -1 : 0;
    times.push(midnight + shift * DAY + 8 * HOUR + random.int(0, 32) * 15 * MINUTE);
    day -= profile.visitEveryDays * (0.85 + 0.3 * random.next()) * DAY;
  }
  return times.reverse();
}

function labTrend(key: LabKey, profile: OutpatientProfile): Trend {
  const given = profile.labs[key];
  if (given) return given;
  const definition: QuantityDefinition = LABS[key];
  const low = definition.low ?? (definition.high ?? 1) * 0.6;
  const high = definition.high ?? low * 1.6;
  return steady((low + high) / 2, (high - low) / 10);
}

export function outpatientHistory(
  profile: OutpatientProfile,
  now: number,
  random: SeededRandom,
): PatientHistory {
  const key = profile.patient.key;
  const patient = patientResource(profile.patient, now);
  const id = patientId(key);
  const writer = new ObservationWriter(id, `obs-${key}`, now);
  const visits = visitTimes(profile, now, random);
  const encounters: EncounterSpec[] = [];
  const practitionerId = profile.practitioner.id ?? 'practitioner-1';
  const doctor = practitionerName(profile.practitioner);

  visits.forEach((visitStart, visitIndex) => {
    const fraction = visits.length > 1 ? visitIndex / (visits.length - 1) : 1;
    const encounterSpec: EncounterSpec = {
      id: `enc-${key}-${String(visitIndex + 1).padStart(2, '0')}`,
      patientId: id,
      practitionerId,
      practitionerName: doctor,
      start: visitStart,
      end: visitStart + 30 * MINUTE,
      kind: profile.visitKind,
    };
    encounters.push(encounterSpec);
    const options = { encounterId: encounterSpec.id };
    const at = isoDateTime(visitStart + 5 * MINUTE);
    const vital = (name: keyof OutpatientProfile['vitals']): number =>
      valueAt(profile.vitals[name], fraction, random);

    writer.bloodPressure(vital('systolic'), vital('diastolic'), at, {
      ...options,
      panel: profile.bloodPressurePanel,
    });
    writer.vital(VITALS.heartRate, vital('heartRate'), at, options);
    writer.vital(VITALS.respiratoryRate, vital('respiratoryRate'), at, options);
    writer.vital(VITALS.temperature, vital('temperature'), at, options);
    writer.vital(VITALS.oxygenSaturation, Math.min(100, vital('oxygenSaturation')), at, options);
    const weight = vital('weight');
    const height = vital('height');
    writer.vital(VITALS.weight, weight, at, options);
    writer.vital(VITALS.height, height, at, options);
    writer.vital(VITALS.bmi, weight / (height / 100) ** 2, at, options);

    const drawnAt = isoDateTime(visitStart + 20 * MINUTE);
    for (const [panel, every] of Object.entries(profile.panels) as [PanelName, number][]) {
      if (visitIndex % every !== 0) continue;
      for (const lab of PANELS[panel]) {
        const withoutCategory = panel === 'lipids' && profile.lipidsWithoutCategory === true;
        writer.lab(LABS[lab], Math.max(0, valueAt(labTrend(lab, profile), fraction, random)), drawnAt, {
          ...options,
          ...(withoutCategory ? { category: null } : {}),
        });
      }
    }
    if (visitIndex === 0 || visitIndex === visits.length - 1) {
      writer.smokingStatus(SMOKING_ANSWERS[profile.smoking], at, options);
    }
  });

  return { patient, encounters, writer };
}
