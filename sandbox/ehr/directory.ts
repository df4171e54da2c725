/**
 * What the EHR's own screens list (patients, practitioners, a patient's encounters), read from the FHIR store
 * through the indexed search. Served as JSON at /ehr/patients, /ehr/practitioners and /ehr/encounters?patient=.
 */
import { Operator } from '@medplum/core';
import type { Encounter, HumanName, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import type { IndexedRepository } from '../fhir/repository.ts';

export interface PatientSummary {
  readonly id: string;
  readonly name: string;
  readonly birthDate: string | undefined;
  readonly gender: string | undefined;
  readonly mrn: string | undefined;
  readonly observationCount: number;
}

export interface PractitionerSummary {
  readonly id: string;
  readonly name: string;
}

export interface EncounterSummary {
  readonly id: string;
  readonly status: string;
  readonly class: string | undefined;
  readonly type: string | undefined;
  readonly start: string | undefined;
  readonly end: string | undefined;
}

export function displayName(names: readonly HumanName[] | undefined): string {
  const name = names?.find((each) => each.use === 'official') ?? names?.[0];
  if (!name) return '(no name)';
  if (name.text) return name.text;
  return [...(name.prefix ?? []), ...(name.given ?? []), name.family ?? '', ...(name.suffix ?? [])]
    .filter(Boolean)
    .join(' ');
}

/** The patient's MRN: the identifier typed v2-0203 `MR`. */
export function medicalRecordNumber(patient: Patient): string | undefined {
  return patient.identifier?.find((identifier) =>
    identifier.type?.coding?.some((coding) => coding.code === 'MR'),
  )?.value;
}

export class EhrDirectory {
  constructor(private readonly repository: IndexedRepository) {}

  private async all<T extends Resource>(resourceType: T['resourceType']): Promise<T[]> {
    const bundle = await this.repository.search<T>({
      resourceType,
      sortRules: [{ code: '_id', descending: false }],
    });
    return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
  }

  async patient(id: string): Promise<Patient | undefined> {
    try {
      return await this.repository.readResource<Patient>('Patient', id);
    } catch {
      return undefined;
    }
  }

  async practitioner(id: string): Promise<Practitioner | undefined> {
    try {
      return await this.repository.readResource<Practitioner>('Practitioner', id);
    } catch {
      return undefined;
    }
  }

  async encounter(id: string): Promise<Encounter | undefined> {
    try {
      return await this.repository.readResource<Encounter>('Encounter', id);
    } catch {
      return undefined;
    }
  }

  async observationCount(patientId: string): Promise<number> {
    const bundle = await this.repository.search({
      resourceType: 'Observation',
      filters: [{ code: 'patient', operator: Operator.EQUALS, value: patientId }],
      count: 0,
    });
    return bundle.total ?? 0;
  }

  async patients(): Promise<PatientSummary[]> {
    const patients = await this.all<Patient>('Patient');
    return Promise.all(
      patients.map(async (patient) => {
        const id = patient.id ?? '';
        return {
          id,
          name: displayName(patient.name),
          birthDate: patient.birthDate,
          gender: patient.gender,
          mrn: medicalRecordNumber(patient),
          observationCount: await this.observationCount(id),
        };
      }),
    );
  }

  async practitioners(): Promise<PractitionerSummary[]> {
    return (await this.all<Practitioner>('Practitioner')).map((practitioner) => ({
      id: practitioner.id ?? '',
      name: displayName(practitioner.name),
    }));
  }

  /** A patient's encounters, newest first. */
  async encounters(patientId: string): Promise<EncounterSummary[]> {
    const bundle = await this.repository.search<Encounter>({
      resourceType: 'Encounter',
      filters: [{ code: 'patient', operator: Operator.EQUALS, value: patientId }],
      sortRules: [{ code: 'date', descending: true }],
    });
    return (bundle.entry ?? []).flatMap(({ resource }) =>
      resource
        ? [
            {
              id: resource.id,
              status: resource.status,
              class: resource.class.display ?? resource.class.code,
              type: resource.type?.[0]?.text ?? resource.type?.[0]?.coding?.[0]?.display,
              start: resource.period?.start,
              end: resource.period?.end,
            },
          ]
        : [],
    );
  }
}
