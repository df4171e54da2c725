import { describe, expect, it } from 'vitest';
import { redirectUriFor } from '../src/launch/decide.ts';
import { defaultScopes } from '../src/launch/scopes.ts';
import {
  appIdentityFromEnv,
  clientMetadata,
  publicOrigin,
  registrationScopes,
  SOFTWARE_ID,
} from './client-metadata.ts';

const tokens = (scope: string): string[] => scope.split(' ').sort();

describe('clientMetadata: the registration document matches the configuration', () => {
  const identity = appIdentityFromEnv(
    {
      APP_PUBLIC_URL: 'https://movo-x.example-hospital.org',
      APP_CONTACTS: 'ehr-team@example-hospital.org, security@example-hospital.org',
      APP_POLICY_URL: 'https://example-hospital.org/privacy',
      APP_TOS_URL: 'https://example-hospital.org/terms',
    },
    '1.4.2',
  );
  const metadata = clientMetadata(identity);

  it('points every URL at the deployment: redirect URI, launch URL, logo, home page', () => {
    expect(metadata.redirect_uris).toEqual(['https://movo-x.example-hospital.org/index.html']);
    expect(metadata.launch_url).toBe('https://movo-x.example-hospital.org/launch.html');
    expect(metadata.logo_uri).toBe('https://movo-x.example-hospital.org/logo.svg');
    expect(metadata.client_uri).toBe('https://movo-x.example-hospital.org/');
    expect(metadata.smart.configuration_url).toBe(
      'https://movo-x.example-hospital.org/config/registrations.json',
    );
    // The launch page sends exactly the registered redirect URI, whatever query it was opened with.
    expect(redirectUriFor(`${metadata.launch_url}?iss=https%3A%2F%2Fehr.example%2Ffhir&launch=abc`)).toBe(
      metadata.redirect_uris[0],
    );
    for (const uri of [...metadata.redirect_uris, metadata.launch_url]) {
      expect(uri).not.toMatch(/[#?]|\/$/);
    }
  });

  it('carries the operator identity and the software version', () => {
    expect(metadata.contacts).toEqual(['ehr-team@example-hospital.org', 'security@example-hospital.org']);
    expect(metadata.policy_uri).toBe('https://example-hospital.org/privacy');
    expect(metadata.tos_uri).toBe('https://example-hospital.org/terms');
    expect(metadata.software_version).toBe('1.4.2');
    expect(metadata.software_id).toBe(SOFTWARE_ID);
    expect(metadata.client_name).toBe('MOVO-X');
  });

  it('describes a public SMART client with the authorization code grant', () => {
    expect(metadata.token_endpoint_auth_method).toBe('none');
    expect(metadata.grant_types).toEqual(['authorization_code', 'refresh_token']);
    expect(metadata.response_types).toEqual(['code']);
    expect(metadata.fhir_versions).toEqual(['4.0.1']);
    expect(metadata.smart.pkce).toBe('S256');
  });

  it('registers every scope the launch code requests, in both launch kinds, and nothing more', () => {
    for (const version of ['v1', 'v2'] as const) {
      const requested = new Set([
        ...defaultScopes(version, 'ehr').split(' '),
        ...defaultScopes(version, 'standalone').split(' '),
      ]);
      expect(tokens(registrationScopes(version))).toEqual([...requested].sort());
      expect(metadata.smart.scopes[version]).toBe(registrationScopes(version));
    }
    expect(metadata.scope).toBe(registrationScopes('v2'));
    expect(tokens(metadata.scope)).toEqual(
      tokens(
        'launch launch/patient openid fhirUser online_access user/Patient.rs user/Encounter.rs user/Practitioner.rs ' +
          'user/Observation.rs user/DocumentReference.rs user/DocumentReference.c user/Binary.r',
      ),
    );
    expect(tokens(metadata.smart.scopes.v1)).toEqual(
      tokens(
        'launch launch/patient openid fhirUser online_access user/Patient.read user/Encounter.read ' +
          'user/Practitioner.read user/Observation.read user/DocumentReference.read user/DocumentReference.write user/Binary.read',
      ),
    );
    expect(metadata.scope).not.toMatch(/\*|offline_access|patient\//);
  });
});

describe('appIdentityFromEnv', () => {
  it('defaults to the local preview, with placeholder contact and pages', () => {
    const identity = appIdentityFromEnv({}, '0.1.0');
    expect(identity.publicUrl).toBe('http://localhost:4173');
    expect(identity.policyUri).toBe('http://localhost:4173/privacy.html');
    expect(identity.tosUri).toBe('http://localhost:4173/terms.html');
    expect(identity.contacts).toEqual(['movo-x-admin@example.org']);
  });

  it('refuses a public URL EHRs would refuse, or one the app cannot be served from', () => {
    expect(() => publicOrigin('http://movo-x.example-hospital.org')).toThrow(/must use https/);
    expect(() => publicOrigin('https://example-hospital.org/movo-x/')).toThrow(/origin only/);
    expect(() => publicOrigin('https://movo-x.example-hospital.org/#x')).toThrow(/origin only/);
    expect(() => publicOrigin('movo-x.example-hospital.org')).toThrow(/not an absolute URL/);
    expect(publicOrigin('https://movo-x.example-hospital.org/')).toBe('https://movo-x.example-hospital.org');
    expect(publicOrigin('http://127.0.0.1:4173')).toBe('http://127.0.0.1:4173');
    expect(() => appIdentityFromEnv({ APP_CONTACTS: ' , ' }, '0.1.0')).toThrow(/APP_CONTACTS/);
    expect(() => appIdentityFromEnv({ APP_POLICY_URL: '/privacy' }, '0.1.0')).toThrow(/APP_POLICY_URL/);
  });
});
