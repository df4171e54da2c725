/**
 * Patient, Practitioner and Encounter → what the shell shows. Pure and total: malformed input gives
 * "Unknown …" rather than an exception.
 */
import type { Coding, Encounter, HumanName, Identifier, Patient, Practitioner } from 'fhir/r4';

export interface PatientBanner {
  readonly name: string;
  readonly sex: string;
  readonly birthDate: string | undefined;
  readonly age: string | undefined;
  readonly mrn: string | undefined;
  readonly deceased: boolean;
}

export interface EncounterSummary {
  readonly label: string;
  readonly period: string | undefined;
  readonly status: string | undefined;
}

function isResource<T extends { resourceType: string }>(value: unknown, type: T['resourceType']): value is T {
  return (
    typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === type
  );
}

const NAME_USE_PREFERENCE = [
  'official',
  'usual',
  undefined,
  'nickname',
  'temp',
  'anonymous',
  'old',
  'maiden',
];

/** "Given Family" from the best HumanName: official first; `text` when that is all there is. */
export function formatHumanName(names: readonly HumanName[] | undefined): string | undefined {
  // Not Array.isArray: on a readonly array it narrows to any[].
  if (!names || names.length === 0) return undefined;
  const ranked = [...names].sort(
    (a, b) => NAME_USE_PREFERENCE.indexOf(a.use) - NAME_USE_PREFERENCE.indexOf(b.use),
  );
  for (const name of ranked) {
    const parts = [
      ...(Array.isArray(name.given) ? name.given : []),
      typeof name.family === 'string' ? name.family : '',
    ]
      .filter((part) => typeof part === 'string' && part.trim() !== '')
      .join(' ');
    if (parts) return parts;
    if (typeof name.text === 'string' && name.text.trim()) return name.text.trim();
  }
  return undefined;
}

const SEX: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };

/** Age as clinicians write it: years from 2 y, months under 2 y, days under 1 month. */
export function formatAge(birthDate: string, now: Date): string | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2] ?? '1') - 1;
  const day = Number(match[3] ?? '1');
  const born = new Date(Date.UTC(year, month, day));
  if (Number.isNaN(born.getTime()) || born.getTime() > now.getTime()) return undefined;
  let months = (now.getUTCFullYear() - year) * 12 + (now.getUTCMonth() - month);
  if (now.getUTCDate() < day) months -= 1;
  if (months >= 24) return `${Math.floor(months / 12)} y`;
  if (months >= 1) return `${months} mo`;
  return `${Math.floor((now.getTime() - born.getTime()) / 86_400_000)} d`;
}

/** The medical record number: an identifier typed MR (HL7 v2 table 0203), else none. */
export function medicalRecordNumber(identifiers: readonly Identifier[] | undefined): string | undefined {
  if (!identifiers) return undefined;
  const mr = identifiers.find((identifier) =>
    identifier.type?.coding?.some((coding: Coding) => coding.code === 'MR'),
  );
  return typeof mr?.value === 'string' ? mr.value : undefined;
}

export function patientBanner(resource: unknown, now: Date): PatientBanner {
  const patient: Partial<Patient> = isResource<Patient>(resource, 'Patient') ? resource : {};
  const birthDate = typeof patient.birthDate === 'string' ? patient.birthDate : undefined;
  return {
    name: formatHumanName(patient.name) ?? 'Unknown patient',
    sex: SEX[patient.gender ?? 'unknown'] ?? 'Unknown',
    birthDate,
    age: birthDate ? formatAge(birthDate, now) : undefined,
    mrn: medicalRecordNumber(patient.identifier),
    deceased: patient.deceasedBoolean === true || typeof patient.deceasedDateTime === 'string',
  };
}

export function practitionerName(resource: unknown): string {
  if (!isResource<Practitioner>(resource, 'Practitioner')) return 'Unknown clinician';
  return formatHumanName(resource.name) ?? 'Unknown clinician';
}

function formatDay(value: string | undefined): string | undefined {
  return typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : value;
}

export function encounterSummary(resource: unknown): EncounterSummary {
  if (!isResource<Encounter>(resource, 'Encounter'))
    return { label: 'Encounter', period: undefined, status: undefined };
  const type = resource.type?.[0];
  const label =
    type?.text ?? type?.coding?.[0]?.display ?? resource.class.display ?? resource.class.code ?? 'Encounter';
  const start = formatDay(resource.period?.start);
  const end = formatDay(resource.period?.end);
  return {
    label,
    period: start ? (end && end !== start ? `${start} – ${end}` : start) : undefined,
    status: resource.status,
  };
}
