import { describe, expect, it } from 'vitest';
import { encounterSummary, formatAge, formatHumanName, patientBanner, practitionerName } from './people.ts';

const NOW = new Date('2026-12-04T12:00:00Z');

describe('patientBanner', () => {
  it('shows name, sex, date of birth with age and MRN', () => {
    expect(
      patientBanner(
        {
          resourceType: 'Patient',
          name: [
            { use: 'nickname', given: ['Peggy'] },
            { use: 'official', given: ['Margaret', 'Ann'], family: 'Rivera' },
          ],
          gender: 'female',
          birthDate: '1961-03-15',
          identifier: [
            { system: 'urn:ssn', value: '999-99-9999' },
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
              value: 'MRN-0042',
            },
          ],
        },
        NOW,
      ),
    ).toEqual({
      name: 'Margaret Ann Rivera',
      sex: 'Female',
      birthDate: '1961-03-15',
      age: '65 y',
      mrn: 'MRN-0042',
      deceased: false,
    });
  });

  it('never throws on malformed or missing input', () => {
    expect(patientBanner(undefined, NOW)).toMatchObject({
      name: 'Unknown patient',
      sex: 'Unknown',
      mrn: undefined,
    });
    expect(patientBanner({ resourceType: 'Patient', name: 'oops', gender: 42 }, NOW)).toMatchObject({
      name: 'Unknown patient',
      sex: 'Unknown',
    });
    expect(patientBanner({ resourceType: 'Patient', deceasedDateTime: '2020-01-01' }, NOW).deceased).toBe(
      true,
    );
  });
});

describe('formatAge', () => {
  it('uses years from two years, months below, days below one month', () => {
    expect(formatAge('2000-12-05', NOW)).toBe('25 y');
    expect(formatAge('2000-12-04', NOW)).toBe('26 y');
    expect(formatAge('2025-06-01', NOW)).toBe('18 mo');
    expect(formatAge('2026-11-20', NOW)).toBe('14 d');
    expect(formatAge('1990', NOW)).toBe('36 y');
    expect(formatAge('2030-01-01', NOW)).toBeUndefined();
    expect(formatAge('15/03/1961', NOW)).toBeUndefined();
  });
});

describe('names', () => {
  it('falls back to text and to "Unknown"', () => {
    expect(formatHumanName([{ text: 'Dr. Amal Haddad' }])).toBe('Dr. Amal Haddad');
    expect(formatHumanName([])).toBeUndefined();
    expect(
      practitionerName({
        resourceType: 'Practitioner',
        name: [{ given: ['Amal'], family: 'Haddad', prefix: ['Dr.'] }],
      }),
    ).toBe('Amal Haddad');
    expect(practitionerName({ resourceType: 'Patient' })).toBe('Unknown clinician');
  });
});

describe('encounterSummary', () => {
  it('labels the encounter by type, class or neither', () => {
    expect(
      encounterSummary({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { code: 'IMP', display: 'inpatient encounter' },
        type: [{ text: 'ICU admission' }],
        period: { start: '2026-11-28T08:00:00Z' },
      }),
    ).toEqual({ label: 'ICU admission', period: '2026-11-28', status: 'in-progress' });
    expect(
      encounterSummary({
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'AMB' },
        period: { start: '2026-01-02T10:00:00Z', end: '2026-01-03T10:00:00Z' },
      }),
    ).toEqual({ label: 'AMB', period: '2026-01-02 – 2026-01-03', status: 'finished' });
    expect(encounterSummary(null).label).toBe('Encounter');
  });
});
