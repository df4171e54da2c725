import { describe, expect, it } from 'vitest';
import { capabilitiesFromScopes, coverage, parseGrantedScopes, parseResourceScope } from './scopes.ts';

describe('parseResourceScope', () => {
  it('reads v1 scopes as their v2 equivalents', () => {
    expect([...(parseResourceScope('user/Observation.read')?.permissions ?? [])].sort()).toEqual(['r', 's']);
    expect([...(parseResourceScope('user/DocumentReference.write')?.permissions ?? [])].sort()).toEqual([
      'c',
      'd',
      'u',
    ]);
    expect([...(parseResourceScope('patient/*.*')?.permissions ?? [])].sort()).toEqual([
      'c',
      'd',
      'r',
      's',
      'u',
    ]);
  });

  it('reads v2 scopes, granular suffixes and wildcards', () => {
    expect(parseResourceScope('user/Observation.rs')).toMatchObject({
      context: 'user',
      resourceType: 'Observation',
      version: 'v2',
    });
    expect(
      parseResourceScope(
        'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
      ),
    ).toMatchObject({
      filter: 'category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
    });
    expect(parseResourceScope('user/*.cruds')?.resourceType).toBe('*');
  });

  it('rejects what is not a resource scope', () => {
    for (const scope of [
      'launch',
      'openid',
      'user/Observation.sr',
      'user/Observation.x',
      'user/Observation.read?category=x',
      'user/.rs',
      'admin/Observation.rs',
    ]) {
      expect(parseResourceScope(scope), scope).toBeUndefined();
    }
  });
});

describe('parseGrantedScopes', () => {
  it('finds the context scopes', () => {
    const granted = parseGrantedScopes('launch/patient openid fhirUser online_access');
    expect(granted).toMatchObject({
      launch: true,
      openid: true,
      fhirUser: true,
      onlineAccess: true,
      offlineAccess: false,
    });
    expect(parseGrantedScopes(undefined).resourceScopes).toEqual([]);
  });
});

describe('capabilitiesFromScopes', () => {
  it('full v2 grant: read everything, file notes', () => {
    const caps = capabilitiesFromScopes(
      'launch openid fhirUser online_access user/Patient.rs user/Encounter.rs user/Practitioner.rs user/Observation.rs user/DocumentReference.rs user/DocumentReference.c',
    );
    expect(caps).toEqual({
      readObservations: 'all',
      readNotes: 'all',
      createNotes: true,
      readPatient: true,
      readEncounter: true,
      readPractitioner: true,
      canRefresh: true,
      readOnly: false,
    });
  });

  it('v1 answer to a v2 request (as Epic has been seen doing) means the same', () => {
    const caps = capabilitiesFromScopes(
      'launch user/Patient.read user/Observation.read user/DocumentReference.read user/DocumentReference.write',
    );
    expect(caps).toMatchObject({
      readObservations: 'all',
      readNotes: 'all',
      createNotes: true,
      readOnly: false,
      canRefresh: false,
    });
  });

  it('a narrower, read-only grant disables writing', () => {
    const caps = capabilitiesFromScopes(
      'launch user/Patient.rs user/Observation.rs user/DocumentReference.rs',
    );
    expect(caps.createNotes).toBe(false);
    expect(caps.readOnly).toBe(true);
  });

  it('write without read: notes can be filed but not listed', () => {
    const caps = capabilitiesFromScopes('launch user/DocumentReference.c');
    expect(caps).toMatchObject({ createNotes: true, readNotes: 'none', readObservations: 'none' });
  });

  it('broader wildcard grants cover everything', () => {
    expect(capabilitiesFromScopes('user/*.*')).toMatchObject({ readObservations: 'all', createNotes: true });
    expect(capabilitiesFromScopes('patient/*.cruds')).toMatchObject({ readNotes: 'all', createNotes: true });
  });

  it('granular category scopes cover only part of the observations', () => {
    const caps = capabilitiesFromScopes(
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs user/DocumentReference.c?category=http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category|clinical-note',
    );
    expect(caps.readObservations).toBe('some');
    expect(caps.createNotes).toBe(true);
  });

  it('an empty or missing grant allows nothing', () => {
    expect(capabilitiesFromScopes('')).toMatchObject({
      readObservations: 'none',
      readNotes: 'none',
      createNotes: false,
      readOnly: true,
    });
  });

  it('system scopes do not serve a clinician', () => {
    expect(coverage(parseGrantedScopes('system/Observation.rs'), 'Observation', 's')).toBe('none');
  });

  it('a grant of s without r still lists (search), and r without s does not', () => {
    expect(capabilitiesFromScopes('user/Observation.s').readObservations).toBe('all');
    expect(capabilitiesFromScopes('user/Observation.r').readObservations).toBe('none');
  });
});
