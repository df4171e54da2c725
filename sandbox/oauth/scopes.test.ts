import { describe, expect, it } from 'vitest';
import type { GrantRequest } from './scopes.ts';
import { grantScopes, parseLaunchGrant } from './scopes.ts';

const MOVO_X_REGISTRATION = [
  'launch',
  'launch/patient',
  'openid',
  'fhirUser',
  'online_access',
  'patient/Patient.read',
  'patient/Patient.rs',
  'user/Observation.read',
  'user/Observation.rs',
  'patient/Observation.rs',
  'patient/DocumentReference.write',
  'patient/DocumentReference.crs',
];

function grant(requested: string, overrides: Partial<GrantRequest> = {}): string[] {
  return grantScopes({
    requested,
    registered: MOVO_X_REGISTRATION,
    grant: { kind: 'all' },
    launchType: 'ehr',
    v1Only: false,
    ...overrides,
  });
}

describe('grantScopes', () => {
  it('grants v2 scopes within the registration, letter by letter', () => {
    expect(grant('patient/Observation.cruds patient/DocumentReference.cruds')).toEqual([
      'patient/Observation.rs',
      'patient/DocumentReference.crs',
    ]);
  });

  it('keeps the v1 grammar for v1 requests and intersects with v1 registrations only', () => {
    expect(grant('user/Observation.read patient/DocumentReference.write')).toEqual([
      'user/Observation.read',
      'patient/DocumentReference.write',
    ]);
    // v1 `.*` is read and write; only read is registered for Observation.
    expect(grant('user/Observation.*')).toEqual(['user/Observation.read']);
  });

  it('expands a requested wildcard to the registered types', () => {
    expect(grant('patient/*.rs')).toEqual([
      'patient/Patient.rs',
      'patient/Observation.rs',
      'patient/DocumentReference.rs',
    ]);
    expect(
      grantScopes({
        requested: 'user/Observation.rs user/Encounter.read',
        registered: ['user/*.rs', 'user/*.read'],
        grant: { kind: 'all' },
        launchType: 'ehr',
        v1Only: false,
      }),
    ).toEqual(['user/Observation.rs', 'user/Encounter.read']);
  });

  it('keeps granular filters, from the request or from the registration', () => {
    const category = 'category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';
    expect(grant(`patient/Observation.rs?${category}`)).toEqual([`patient/Observation.rs?${category}`]);
    expect(
      grantScopes({
        requested: 'patient/Observation.rs',
        registered: [`patient/Observation.rs?${category}`],
        grant: { kind: 'all' },
        launchType: 'ehr',
        v1Only: false,
      }),
    ).toEqual([`patient/Observation.rs?${category}`]);
  });

  it('grants nothing outside the registration and drops unknown or malformed scopes', () => {
    expect(grant('user/Condition.rs system/Observation.rs patient/Observation.xyz openid banana')).toEqual([
      'openid',
    ]);
  });

  it('grants launch only to an EHR launch, launch/patient to a standalone one too', () => {
    expect(grant('launch launch/patient', { launchType: 'standalone' })).toEqual(['launch/patient']);
    expect(grant('launch launch/patient', { launchType: 'ehr' })).toEqual(['launch', 'launch/patient']);
  });

  it('read-only launches drop create, update and delete', () => {
    expect(
      grant('patient/DocumentReference.crs patient/DocumentReference.write', {
        grant: { kind: 'read-only' },
      }),
    ).toEqual(['patient/DocumentReference.rs']);
  });

  it('a custom grant narrows resource scopes and leaves context scopes alone', () => {
    expect(
      grant('launch openid patient/Observation.rs patient/DocumentReference.crs', {
        grant: parseLaunchGrant('patient/Observation.rs'),
      }),
    ).toEqual(['launch', 'openid', 'patient/Observation.rs']);
  });

  it('a v1-only server reads v2 scopes as the v1 scope that covers them and ignores granular ones', () => {
    expect(
      grant('patient/Observation.rs patient/DocumentReference.c patient/Observation.rs?category=laboratory', {
        v1Only: true,
      }),
    ).toEqual(['patient/DocumentReference.write']);
    expect(
      grantScopes({
        requested: 'user/Observation.rs user/Observation.cruds',
        registered: ['user/Observation.read'],
        grant: { kind: 'all' },
        launchType: 'ehr',
        v1Only: true,
      }),
    ).toEqual(['user/Observation.read']);
  });

  it('merges grants of the same type from several registrations', () => {
    expect(
      grantScopes({
        requested: 'user/Observation.cruds',
        registered: ['user/Observation.rs', 'user/Observation.c'],
        grant: { kind: 'all' },
        launchType: 'ehr',
        v1Only: false,
      }),
    ).toEqual(['user/Observation.crs']);
  });
});

describe('parseLaunchGrant', () => {
  it('reads the EHR page and scripted-launch forms', () => {
    expect(parseLaunchGrant(undefined)).toEqual({ kind: 'all' });
    expect(parseLaunchGrant('read-only')).toEqual({ kind: 'read-only' });
    expect(parseLaunchGrant('custom', 'a b  a')).toEqual({ kind: 'custom', scopes: ['a', 'b'] });
    expect(parseLaunchGrant('patient/Patient.rs patient/Observation.rs')).toEqual({
      kind: 'custom',
      scopes: ['patient/Patient.rs', 'patient/Observation.rs'],
    });
  });
});
