import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  connectOrigins,
  findRegistration,
  frameOrigins,
  parseRegistrations,
} from './registrations.ts';

const minimal = {
  id: 'epic-acme',
  displayName: 'Acme Health (Epic)',
  issuer: 'https://fhir.acme.test/api/FHIR/R4',
  clientId: 'abc',
};

function problem(json: unknown): string {
  try {
    parseRegistrations(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('parseRegistrations', () => {
  it('accepts a good file and fills the defaults', () => {
    const [registration] = parseRegistrations({ registrations: [minimal] }).registrations;
    expect(registration).toEqual({
      ...minimal,
      scopeVersion: 'v2',
      pkce: 'required',
      discoveryHeaders: {},
      powerChart: 'auto',
      observationSearch: 'all',
      standalone: false,
      notes: { encounter: 'optional', docStatus: 'final', allowReview: true },
    });
  });

  it('accepts every optional field', () => {
    const full = {
      ...minimal,
      scopeVersion: 'discover',
      scopes: 'user/Observation.rs',
      pkce: 'unsafeV1',
      discoveryHeaders: { 'Epic-Client-ID': 'abc' },
      powerChart: 'on',
      standalone: true,
      frameOrigins: ['https://hyperspace.acme.test'],
      connectOrigins: ['https://auth.acme.test'],
      notes: {
        encounter: 'required',
        docStatus: 'preliminary',
        allowReview: false,
        types: [{ code: '11506-3', display: 'Progress note' }],
      },
    };
    expect(parseRegistrations({ registrations: [full] }).registrations[0]?.notes.types).toEqual([
      { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' },
    ]);
  });

  it.each([
    ['not an object', 'hello', '(root)'],
    ['no registrations list', {}, 'registrations'],
    [
      'missing client_id',
      { registrations: [{ ...minimal, clientId: undefined }] },
      'registrations.0.clientId',
    ],
    ['empty client_id', { registrations: [{ ...minimal, clientId: '' }] }, 'registrations.0.clientId'],
    ['relative issuer', { registrations: [{ ...minimal, issuer: '/fhir' }] }, 'registrations.0.issuer'],
    [
      'non-http issuer',
      { registrations: [{ ...minimal, issuer: 'javascript:alert(1)' }] },
      'registrations.0.issuer',
    ],
    ['bad id', { registrations: [{ ...minimal, id: 'Acme Epic' }] }, 'registrations.0.id'],
    [
      'unknown scope version',
      { registrations: [{ ...minimal, scopeVersion: 'v3' }] },
      'registrations.0.scopeVersion',
    ],
    [
      'PKCE silently optional',
      { registrations: [{ ...minimal, pkce: 'ifSupported' }] },
      'registrations.0.pkce',
    ],
    ['misspelt field', { registrations: [{ ...minimal, frameOrigin: ['https://x.test'] }] }, 'frameOrigin'],
    [
      'bad frame origin',
      { registrations: [{ ...minimal, frameOrigins: ['not a url'] }] },
      'registrations.0.frameOrigins.0',
    ],
    [
      'header value not a string',
      { registrations: [{ ...minimal, discoveryHeaders: { 'Epic-Client-ID': 1 } }] },
      'registrations.0.discoveryHeaders',
    ],
    [
      'empty note types',
      { registrations: [{ ...minimal, notes: { types: [] } }] },
      'registrations.0.notes.types',
    ],
    [
      'note type without code',
      { registrations: [{ ...minimal, notes: { types: [{ display: 'x' }] } }] },
      'registrations.0.notes.types.0.code',
    ],
    [
      'unknown docStatus',
      { registrations: [{ ...minimal, notes: { docStatus: 'amended' } }] },
      'registrations.0.notes.docStatus',
    ],
    ['duplicate id', { registrations: [minimal, { ...minimal, clientId: 'other' }] }, 'registrations.1.id'],
  ])('refuses a file with %s and names the field', (_kind, json, field) => {
    expect(problem(json)).toContain(field);
  });
});

describe('findRegistration', () => {
  const { registrations } = parseRegistrations({
    registrations: [
      minimal,
      { ...minimal, id: 'oracle', issuer: 'https://fhir-ehr.cerner.test/r4/tenant-1/' },
    ],
  });

  it('matches the exact origin and the issuer path as a whole prefix', () => {
    expect(findRegistration(registrations, 'https://fhir.acme.test/api/FHIR/R4')?.id).toBe('epic-acme');
    expect(findRegistration(registrations, 'https://fhir.acme.test/api/FHIR/R4/')?.id).toBe('epic-acme');
    expect(findRegistration(registrations, 'https://fhir-ehr.cerner.test/r4/tenant-1')?.id).toBe('oracle');
    expect(findRegistration(registrations, 'https://FHIR.ACME.TEST/api/FHIR/R4')?.id).toBe('epic-acme');
  });

  it('never matches by substring', () => {
    for (const iss of [
      'https://fhir.acme.test/api/FHIR/R4x',
      'https://fhir.acme.test.evil.test/api/FHIR/R4',
      'http://fhir.acme.test/api/FHIR/R4',
      'https://fhir.acme.test:8443/api/FHIR/R4',
      'https://fhir-ehr.cerner.test/r4/tenant-10',
      'https://evil.test/https://fhir.acme.test/api/FHIR/R4',
      '',
    ]) {
      expect(findRegistration(registrations, iss), iss).toBeUndefined();
    }
    expect(findRegistration(registrations, null)).toBeUndefined();
  });

  it('derives the CSP origins', () => {
    expect(connectOrigins(registrations)).toEqual(['https://fhir.acme.test', 'https://fhir-ehr.cerner.test']);
    expect(frameOrigins(registrations)).toEqual(['https://fhir.acme.test', 'https://fhir-ehr.cerner.test']);
  });
});
