import { describe, expect, it } from 'vitest';
import { parseRegistrations } from '../config/registrations.ts';
import { decideLaunch, isPowerChart, redirectUriFor, sessionStorageAvailable } from './decide.ts';
import { defaultScopes, scopesFor, versionFromCapabilities } from './scopes.ts';

const { registrations } = parseRegistrations({
  registrations: [
    {
      id: 'sandbox',
      displayName: 'Sandbox',
      issuer: 'http://127.0.0.1:4010/fhir',
      clientId: 'movo-x',
      standalone: true,
    },
    {
      id: 'epic',
      displayName: 'Epic',
      issuer: 'https://fhir.epic.test/api/FHIR/R4',
      clientId: 'epic-client',
      scopeVersion: 'v1',
    },
  ],
});

const decide = (query: string, development = false) =>
  decideLaunch(new URLSearchParams(query), registrations, { development });

describe('decideLaunch', () => {
  it('authorizes an EHR launch from a registered iss', () => {
    expect(decide('iss=http://127.0.0.1:4010/fhir&launch=abc')).toMatchObject({
      action: 'authorize',
      kind: 'ehr',
      launch: 'abc',
      registration: { id: 'sandbox' },
    });
  });

  it('a registered iss without launch is a standalone launch', () => {
    expect(decide('iss=https://fhir.epic.test/api/FHIR/R4')).toMatchObject({
      action: 'authorize',
      kind: 'standalone',
    });
  });

  it('refuses an unknown iss, including look-alikes', () => {
    for (const iss of [
      'https://evil.test/fhir',
      'http://127.0.0.1:4011/fhir',
      'http://127.0.0.1:4010/fhirx',
      'https://fhir.epic.test.evil.test/api/FHIR/R4',
      'https://evil.test/?u=http://127.0.0.1:4010/fhir',
      'http://127.0.0.1:4010/fhir?x=1',
      'http://user@127.0.0.1:4010/fhir',
      'not a url',
    ]) {
      expect(decide(`iss=${encodeURIComponent(iss)}&launch=x`), iss).toEqual({ action: 'unknown-iss', iss });
    }
  });

  it('lists the standalone EHRs when there is no iss', () => {
    const decision = decide('');
    expect(decision.action).toBe('pick-ehr');
    expect(decision.action === 'pick-ehr' && decision.registrations.map((r) => r.id)).toEqual(['sandbox']);
  });

  it("refuses fhirclient's URL overrides outside development, allows them in development", () => {
    for (const parameter of ['fhirServiceUrl', 'patientId', 'clientId']) {
      expect(decide(`iss=http://127.0.0.1:4010/fhir&launch=x&${parameter}=y`)).toEqual({
        action: 'refuse-override',
        parameter,
      });
      expect(decide(`iss=http://127.0.0.1:4010/fhir&launch=x&${parameter}=y`, true).action).toBe('authorize');
    }
  });
});

describe('launch helpers', () => {
  it('builds an absolute redirect URI without query or fragment', () => {
    expect(redirectUriFor('https://app.test/movo/launch.html?iss=x&launch=y#frag')).toBe(
      'https://app.test/movo/index.html',
    );
  });

  it('detects blocked storage', () => {
    expect(sessionStorageAvailable(window)).toBe(true);
    const blocked = {
      get sessionStorage(): Storage {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    };
    expect(sessionStorageAvailable(blocked)).toBe(false);
  });

  it('detects PowerChart', () => {
    expect(isPowerChart(window)).toBe(false);
    expect(isPowerChart({ external: { DiscernObjectFactory: () => undefined } } as unknown as Window)).toBe(
      true,
    );
  });
});

describe('scopes', () => {
  it('asks for v2 scopes with launch listed explicitly', () => {
    expect(defaultScopes('v2', 'ehr')).toBe(
      'launch openid fhirUser online_access user/Patient.rs user/Encounter.rs user/Practitioner.rs user/Observation.rs user/DocumentReference.rs user/DocumentReference.c user/Binary.r',
    );
    expect(defaultScopes('v1', 'standalone')).toBe(
      'launch/patient openid fhirUser online_access user/Patient.read user/Encounter.read user/Practitioner.read user/Observation.read user/DocumentReference.read user/DocumentReference.write user/Binary.read',
    );
  });

  it("a registration's own scopes keep the launch context scopes", () => {
    const [sandbox] = registrations;
    if (!sandbox) throw new Error('fixture');
    expect(scopesFor({ ...sandbox, scopes: 'user/Observation.rs' }, 'v2', 'ehr')).toBe(
      'launch openid fhirUser user/Observation.rs',
    );
  });

  it('decides the version from permission-v2', () => {
    expect(versionFromCapabilities(['launch-ehr', 'permission-v2'])).toBe('v2');
    expect(versionFromCapabilities(['permission-v1'])).toBe('v1');
    expect(versionFromCapabilities(undefined)).toBe('v1');
  });
});
