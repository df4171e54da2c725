import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRegistration, parseRegistrations, REGISTRATION_FIELDS } from '../src/config/registrations.ts';

const text = readFileSync('config/registrations.example.json', 'utf8');
const { registrations } = parseRegistrations(JSON.parse(text));

describe('config/registrations.example.json', () => {
  it('is valid and covers the local sandbox, the SMART launcher, an Epic customer and an Oracle Health tenant', () => {
    expect(registrations.map((registration) => registration.id)).toEqual([
      'local-sandbox',
      'smart-launcher',
      'example-epic-customer',
      'example-oracle-tenant',
    ]);
    expect(findRegistration(registrations, 'http://127.0.0.1:4010/fhir')?.id).toBe('local-sandbox');
    expect(findRegistration(registrations, 'https://launch.smarthealthit.org/v/r4/fhir')?.id).toBe(
      'smart-launcher',
    );
  });

  it('marks placeholders as such and keeps them off the standalone picker', () => {
    const placeholders = registrations.filter((registration) => registration.id.startsWith('example-'));
    expect(placeholders).toHaveLength(2);
    for (const registration of placeholders) {
      expect(registration.displayName).toMatch(/^EXAMPLE — replace: /);
      expect(registration.clientId).toMatch(/^EXAMPLE-replace/);
      expect(registration.standalone).toBe(false);
    }
    // A placeholder issuer can never match a real launch.
    expect(
      findRegistration(registrations, 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d'),
    ).toBeUndefined();
  });

  it('documents every field in docs/deployment.md', () => {
    const reference = readFileSync('docs/deployment.md', 'utf8');
    const fields = [
      ...REGISTRATION_FIELDS,
      'notes.encounter',
      'notes.docStatus',
      'notes.allowReview',
      'notes.types',
    ];
    for (const field of fields) expect(reference, field).toContain(`\`${field}\``);
  });
});
