/**
 * The sandbox's sample data: a deterministic, seeded generator (no downloaded data).
 * Same seed and same `now` give the same resources, byte for byte (sandbox/data/generate.test.ts); `now` is the
 * time the sandbox starts, so histories always reach the present. Ids are stable: see sandbox/data/README.md.
 */
import type {
  DocumentReference,
  Encounter,
  Observation,
  Patient,
  Practitioner,
  Resource,
} from '@medplum/fhirtypes';
import { ENCOUNTER_ID_SYSTEM } from './codes.ts';
import { DAY, HOUR, MINUTE, encounter } from './factory.ts';
import { heavyPatient } from './heavy.ts';
import type { PatientHistory } from './history.ts';
import { patientResource, practitionerName } from './history.ts';
import { notesFor } from './notes.ts';
import type { OutpatientKey } from './patients.ts';
import { OUTPATIENT_PROFILES, outpatientPatient } from './patients.ts';
import { PRACTITIONERS } from './practitioners.ts';
import { SeededRandom } from './random.ts';

export const DEFAULT_SEED = 20_261_204;

export interface GeneratorOptions {
  readonly seed?: number;
  /** The present of the histories; rounded down to the minute. Default: the current time. */
  readonly now?: Date | number;
  /** Include the ~28,000-observation ICU patient (default true). */
  readonly heavyPatient?: boolean;
}

export interface SampleData {
  readonly now: number;
  readonly practitioners: Practitioner[];
  readonly patients: Patient[];
  readonly encounters: Encounter[];
  readonly observations: Observation[];
  readonly documentReferences: DocumentReference[];
}

/** A patient with no observations and no notes (empty states), one planned visit today. */
const NO_DATA_PATIENT = {
  key: 'no-data',
  given: ['Grace'],
  family: 'Newman',
  gender: 'female',
  ageYears: 45,
  birthday: '12-01',
  mrn: 'MRN-100007',
  city: 'Salem',
} as const;

export function generateSampleData(options: GeneratorOptions = {}): SampleData {
  const now = Math.floor(Number(options.now ?? Date.now()) / MINUTE) * MINUTE;
  const root = new SeededRandom(options.seed ?? DEFAULT_SEED);
  const histories: {
    key: string;
    history: PatientHistory;
    author: (typeof PRACTITIONERS)[keyof typeof PRACTITIONERS];
  }[] = [];
  // Each patient draws from its own derived generator, so adding or removing one never changes the others.
  for (const key of Object.keys(OUTPATIENT_PROFILES) as OutpatientKey[]) {
    histories.push({
      key,
      history: outpatientPatient(key, now, root.derive(key)),
      author: OUTPATIENT_PROFILES[key].practitioner,
    });
  }
  if (options.heavyPatient ?? true) {
    histories.push({
      key: 'heavy',
      history: heavyPatient(now, root.derive('heavy')),
      author: PRACTITIONERS.internist,
    });
  }

  const noDataPatient = patientResource(NO_DATA_PATIENT, now);
  const today = Math.floor(now / DAY) * DAY + 8 * HOUR;
  const noDataVisit = encounter({
    id: 'enc-no-data-01',
    patientId: noDataPatient.id ?? 'patient-no-data',
    practitionerId: PRACTITIONERS.internist.id,
    practitionerName: practitionerName(PRACTITIONERS.internist),
    start: Math.min(today, now),
    end: undefined,
    kind: 'office',
  });

  return {
    now,
    practitioners: Object.values(PRACTITIONERS),
    patients: [...histories.map(({ history }) => history.patient), noDataPatient],
    encounters: [
      ...histories.flatMap(({ history }) => history.encounters.map(encounter)),
      { ...noDataVisit, identifier: [{ system: ENCOUNTER_ID_SYSTEM, value: 'enc-no-data-01' }] },
    ],
    observations: histories.flatMap(({ history }) => history.writer.observations),
    documentReferences: histories.flatMap(({ key, history, author }) => notesFor(key, history, author)),
  };
}

/** Every resource, referenced ones first (practitioners, patients, encounters, then what points at them). */
export function sampleResources(data: SampleData): Resource[] {
  return [
    ...data.practitioners,
    ...data.patients,
    ...data.encounters,
    ...data.observations,
    ...data.documentReferences,
  ];
}
