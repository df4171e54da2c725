import type { Practitioner } from '@medplum/fhirtypes';
import { NPI } from './codes.ts';

export type SamplePractitioner = Practitioner & { id: string };

function practitioner(
  id: string,
  given: string,
  family: string,
  npi: string,
  specialty: string,
): SamplePractitioner {
  return {
    resourceType: 'Practitioner',
    id,
    identifier: [{ system: NPI, value: npi }],
    active: true,
    name: [{ use: 'official', prefix: ['Dr.'], given: [given], family, suffix: ['MD'] }],
    qualification: [{ code: { text: specialty } }],
  };
}

/** Stable ids: tests and scripted launches address them directly. */
export const PRACTITIONERS = {
  internist: practitioner('practitioner-1', 'Sarah', 'Whitfield', '1234567893', 'Internal medicine'),
  pediatrician: practitioner('practitioner-2', 'Omar', 'Haddad', '1245319599', 'Pediatrics'),
  intensivist: practitioner('practitioner-3', 'Mei-Lin', 'Tan', '1386724473', 'Critical care medicine'),
} as const;
