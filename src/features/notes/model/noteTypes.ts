/**
 * The note types the editor offers. Defaults: the LOINC codes of US Core's "common clinical notes"
 * (https://hl7.org/fhir/us/core/clinical-notes.html); a registration can replace them with the codes its EHR
 * accepts (`registration.notes.types`, e.g. an Oracle site's local codes).
 */
import type { NoteTypeOption } from '../../../config/registrations.ts';

export type { NoteTypeOption };

export const LOINC = 'http://loinc.org';

export const DEFAULT_NOTE_TYPES: readonly NoteTypeOption[] = [
  { system: LOINC, code: '11506-3', display: 'Progress note' },
  { system: LOINC, code: '11488-4', display: 'Consultation note' },
  { system: LOINC, code: '34117-2', display: 'History and physical note' },
  { system: LOINC, code: '28570-0', display: 'Procedures note' },
  { system: LOINC, code: '18842-5', display: 'Discharge summary' },
];

/** The registration's list when it has one, else the US Core defaults; the first entry is the default choice. */
export function noteTypeOptions(
  configured: readonly NoteTypeOption[] | undefined,
): readonly NoteTypeOption[] {
  return configured && configured.length > 0 ? configured : DEFAULT_NOTE_TYPES;
}

/** A stable key for a select option: the code alone is not unique across systems. */
export function noteTypeKey(type: Pick<NoteTypeOption, 'system' | 'code'>): string {
  return `${type.system}|${type.code}`;
}

export function findNoteType(
  options: readonly NoteTypeOption[],
  key: string | undefined,
): NoteTypeOption | undefined {
  return options.find((option) => noteTypeKey(option) === key);
}
