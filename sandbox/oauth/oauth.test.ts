/** The SMART authorization server over real HTTP on an ephemeral port. */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../server.ts';
import { startSandbox } from '../server.ts';
import {
  DEFAULT_REDIRECT_URI,
  DEFAULT_SCOPE,
  MOVO_X,
  authorize,
  ehrLaunch,
  fhir,
  pkce,
  redirectQuery,
  scriptedLaunch,
  token,
} from '../testing/smart-client.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ heavyPatient: false });
});

afterAll(async () => {
  await sandbox.close();
});

/** Authorize parameters of a valid EHR launch, to break one at a time. */
async function validAuthorizeParams() {
  const { iss, launch } = await scriptedLaunch(sandbox, {
    patient: 'patient-adult-1',
    practitioner: 'practitioner-1',
  });
  const { verifier, challenge } = pkce();
  return {
    verifier,
    params: {
      response_type: 'code',
      client_id: MOVO_X,
      redirect_uri: DEFAULT_REDIRECT_URI,
      scope: DEFAULT_SCOPE,
      state: 'state-123',
      aud: iss,
      launch,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
  };
}

async function codeFor(params: Record<string, string>): Promise<string> {
  const query = redirectQuery(await authorize(sandbox, params));
  const code = query.get('code');
  if (!code) throw new Error(`no code: ${query.toString()}`);
  return code;
}

describe('discovery', () => {
  it('serves the SMART configuration at {fhir}/.well-known/smart-configuration', async () => {
    const response = await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`);
    expect(response.status).toBe(200);
    const configuration = (await response.json()) as Record<string, unknown>;
    expect(configuration).toMatchObject({
      issuer: sandbox.fhirBaseUrl,
      jwks_uri: `${sandbox.origin}/auth/jwks`,
      authorization_endpoint: `${sandbox.origin}/auth/authorize`,
      token_endpoint: `${sandbox.origin}/auth/token`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
    });
    expect(configuration.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'fhirUser', 'launch', 'patient/*.rs']),
    );
    expect(configuration.capabilities).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'context-ehr-patient',
        'context-ehr-encounter',
        'context-standalone-patient',
        'sso-openid-connect',
        'context-banner',
        'context-style',
        'permission-v1',
        'permission-v2',
        'permission-online',
        'permission-offline',
        'permission-user',
        'permission-patient',
        'authorize-post',
      ]),
    );
  });

  it('the v1-only base advertises no permission-v2 and no v2 scopes', async () => {
    const response = await fetch(`${sandbox.origin}/v1/fhir/.well-known/smart-configuration`);
    const configuration = (await response.json()) as {
      issuer: string;
      capabilities: string[];
      scopes_supported: string[];
    };
    expect(configuration.issuer).toBe(`${sandbox.origin}/v1/fhir`);
    expect(configuration.capabilities).toContain('permission-v1');
    expect(configuration.capabilities).not.toContain('permission-v2');
    expect(configuration.scopes_supported.filter((scope) => /\.[cruds]+$/.test(scope))).toEqual([]);
  });
});

describe('authorize', () => {
  it('never redirects for an unknown client_id', async () => {
    const { params } = await validAuthorizeParams();
    const response = await authorize(sandbox, { ...params, client_id: 'evil-app' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Unknown client');
  });

  it('never redirects to a redirect_uri that is not registered exactly', async () => {
    const { params } = await validAuthorizeParams();
    for (const redirectUri of [
      'https://evil.example/',
      `${DEFAULT_REDIRECT_URI}?x=1`,
      'http://localhost:5173/index.htm',
    ]) {
      const response = await authorize(sandbox, { ...params, redirect_uri: redirectUri });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('redirects a wrong aud back with invalid_request and the state (RFC 6749 §4.1.2.1)', async () => {
    const { params } = await validAuthorizeParams();
    const query = redirectQuery(await authorize(sandbox, { ...params, aud: 'https://other.example/fhir' }));
    expect(query.get('error')).toBe('invalid_request');
    expect(query.get('error_description')).toContain('aud');
    expect(query.get('state')).toBe('state-123');
    expect(query.get('code')).toBeNull();
  });

  it('tolerates a trailing slash on aud', async () => {
    const { params } = await validAuthorizeParams();
    const query = redirectQuery(await authorize(sandbox, { ...params, aud: `${params.aud}/` }));
    expect(query.get('code')).toBeTruthy();
  });

  it('requires state', async () => {
    const { params } = await validAuthorizeParams();
    const query = redirectQuery(await authorize(sandbox, { ...params, state: undefined }));
    expect(query.get('error')).toBe('invalid_request');
    expect(query.get('error_description')).toContain('state');
  });

  it('requires PKCE with S256: a missing challenge and the plain method are refused', async () => {
    const { params } = await validAuthorizeParams();
    const missing = redirectQuery(
      await authorize(sandbox, { ...params, code_challenge: undefined, code_challenge_method: undefined }),
    );
    expect(missing.get('error')).toBe('invalid_request');
    expect(missing.get('error_description')).toContain('PKCE');
    const plain = redirectQuery(await authorize(sandbox, { ...params, code_challenge_method: 'plain' }));
    expect(plain.get('error')).toBe('invalid_request');
    expect(plain.get('error_description')).toContain('plain');
    const noChallenge = redirectQuery(await authorize(sandbox, { ...params, code_challenge: undefined }));
    expect(noChallenge.get('error')).toBe('invalid_request');
  });

  it('refuses an unknown launch, and a launch made for another app', async () => {
    const { params } = await validAuthorizeParams();
    const unknown = redirectQuery(await authorize(sandbox, { ...params, launch: 'not-a-launch' }));
    expect(unknown.get('error')).toBe('invalid_request');
    const other = await scriptedLaunch(sandbox, { client_id: 'example-app', patient: 'patient-adult-1' });
    const mismatch = redirectQuery(await authorize(sandbox, { ...params, launch: other.launch }));
    expect(mismatch.get('error')).toBe('invalid_request');
  });

  it('answers invalid_scope when nothing requested can be granted', async () => {
    const { params } = await validAuthorizeParams();
    const query = redirectQuery(await authorize(sandbox, { ...params, scope: 'user/Claim.rs' }));
    expect(query.get('error')).toBe('invalid_scope');
  });

  it('accepts POST (authorize-post)', async () => {
    const { params } = await validAuthorizeParams();
    const response = await fetch(`${sandbox.origin}/auth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      redirect: 'manual',
    });
    expect(redirectQuery(response).get('code')).toBeTruthy();
  });
});

describe('token', () => {
  it('checks the code_verifier against the challenge (S256)', async () => {
    const { params } = await validAuthorizeParams();
    const code = await codeFor(params);
    const response = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: DEFAULT_REDIRECT_URI,
      client_id: MOVO_X,
      code_verifier: pkce().verifier,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code works once; presenting it again fails and revokes the tokens it gave', async () => {
    const { params, verifier } = await validAuthorizeParams();
    const code = await codeFor(params);
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: DEFAULT_REDIRECT_URI,
      client_id: MOVO_X,
      code_verifier: verifier,
    };
    const first = await token(sandbox, form);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('pragma')).toBe('no-cache');
    const tokens = (await first.json()) as { access_token: string };
    expect((await fhir(sandbox, tokens.access_token, 'Patient/patient-adult-1')).status).toBe(200);

    const second = await token(sandbox, form);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await fhir(sandbox, tokens.access_token, 'Patient/patient-adult-1')).status).toBe(401);
  });

  it('refuses a code sent with another redirect_uri or client', async () => {
    const { params, verifier } = await validAuthorizeParams();
    const code = await codeFor(params);
    const otherRedirect = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:5173/',
      client_id: MOVO_X,
      code_verifier: verifier,
    });
    expect(await otherRedirect.json()).toMatchObject({ error: 'invalid_grant' });
    const unknownClient = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      client_id: 'nobody',
    });
    expect(unknownClient.status).toBe(401);
    expect(await unknownClient.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers the launch context, banner, style and granted scope', async () => {
    const tokens = await ehrLaunch(sandbox, {
      launch: {
        patient: 'patient-adult-2',
        practitioner: 'practitioner-1',
        encounter: 'enc-adult-2-01',
        banner: '0',
      },
    });
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      patient: 'patient-adult-2',
      encounter: 'enc-adult-2-01',
      need_patient_banner: false,
      smart_style_url: `${sandbox.origin}/ehr/smart-style.json`,
    });
    expect(tokens.scope.split(' ').sort()).toEqual(DEFAULT_SCOPE.split(' ').sort());
    const style = (await (await fetch(tokens.smart_style_url ?? '')).json()) as Record<string, string>;
    expect(style.color_highlight).toBe('#7a1f5c');

    const byDefault = await ehrLaunch(sandbox);
    expect(byDefault.need_patient_banner).toBe(true);
    expect(byDefault.encounter).toBeUndefined();
  });

  it('issues an id_token (RS256) that verifies against jwks_uri, with an absolute fhirUser', async () => {
    const tokens = await ehrLaunch(sandbox, { launch: { practitioner: 'practitioner-2' } });
    const jwks = createRemoteJWKSet(new URL(`${sandbox.origin}/auth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: sandbox.fhirBaseUrl,
      audience: MOVO_X,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe('practitioner-2');
    expect(payload.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Practitioner/practitioner-2`);
    expect(typeof payload.exp).toBe('number');
    const practitioner = await fhir(sandbox, tokens.access_token, 'Practitioner/practitioner-2');
    expect(practitioner.status).toBe(200);
  });

  it('refresh rotates: a new refresh token each time, the old one stops working', async () => {
    const first = await ehrLaunch(sandbox);
    expect(first.refresh_token).toBeTruthy();
    const refreshed = await token(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
      client_id: MOVO_X,
    });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as {
      access_token: string;
      refresh_token: string;
      patient: string;
    };
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.patient).toBe('patient-adult-1');
    expect((await fhir(sandbox, second.access_token, 'Patient/patient-adult-1')).status).toBe(200);

    const reused = await token(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
      client_id: MOVO_X,
    });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    const again = await token(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
      client_id: MOVO_X,
    });
    expect(again.status).toBe(200);
  });

  it('gives no refresh token without online_access or offline_access, and refuses refresh when the launch says so', async () => {
    const noRefresh = await ehrLaunch(sandbox, { scope: 'launch patient/Patient.rs' });
    expect(noRefresh.refresh_token).toBeUndefined();
    const denied = await ehrLaunch(sandbox, { launch: { refresh: 'deny' } });
    const response = await token(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: denied.refresh_token ?? '',
      client_id: MOVO_X,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('honours the launch token lifetime: the token stops working when it expires', async () => {
    const tokens = await ehrLaunch(sandbox, { launch: { token_lifetime: '1' } });
    expect(tokens.expires_in).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await fhir(sandbox, tokens.access_token, 'Patient/patient-adult-1');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('grants fewer scopes when the launch grants read-only', async () => {
    const tokens = await ehrLaunch(sandbox, { launch: { grant: 'read-only' } });
    expect(tokens.scope.split(' ')).toContain('patient/DocumentReference.rs');
    expect(tokens.scope).not.toMatch(/DocumentReference\.c/);
  });
});

describe('SMART v1-only server', () => {
  it('launches with iss = /v1/fhir and answers grants in v1 grammar', async () => {
    const { iss } = await scriptedLaunch(sandbox, { patient: 'patient-adult-1', v1: '1' });
    expect(iss).toBe(`${sandbox.origin}/v1/fhir`);
    const tokens = await ehrLaunch(sandbox, { launch: { v1: '1' } });
    // `DocumentReference.crs` reads as v1 read + write, which v1 can only say as `.*`.
    expect(
      tokens.scope
        .split(' ')
        .filter((scope) => scope.includes('/'))
        .sort(),
    ).toEqual([
      'patient/DocumentReference.*',
      'patient/Encounter.read',
      'patient/Observation.read',
      'patient/Patient.read',
      'user/Practitioner.read',
    ]);
    const response = await fhir(sandbox, tokens.access_token, 'Patient/patient-adult-1', { base: iss });
    expect(response.status).toBe(200);
    // A token is bound to the base it was issued for.
    expect((await fhir(sandbox, tokens.access_token, 'Patient/patient-adult-1')).status).toBe(401);
  });
});

describe('standalone launch', () => {
  it('shows a picker for launch/patient, then issues a code for the chosen patient', async () => {
    const { verifier, challenge } = pkce();
    const params = {
      response_type: 'code',
      client_id: MOVO_X,
      redirect_uri: DEFAULT_REDIRECT_URI,
      scope: 'launch/patient openid fhirUser patient/Patient.rs patient/Observation.rs',
      state: 'standalone-state',
      aud: sandbox.fhirBaseUrl,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const picker = await authorize(sandbox, params);
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain('name="sandbox_patient"');
    expect(html).toContain('Alice Marie Rivera');

    // What the picker form posts back.
    const posted = await fetch(`${sandbox.origin}/auth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...params,
        sandbox_patient: 'patient-child-1',
        sandbox_practitioner: 'practitioner-2',
      }).toString(),
      redirect: 'manual',
    });
    const query = redirectQuery(posted);
    expect(query.get('state')).toBe('standalone-state');
    const response = await token(sandbox, {
      grant_type: 'authorization_code',
      code: query.get('code') ?? '',
      redirect_uri: DEFAULT_REDIRECT_URI,
      client_id: MOVO_X,
      code_verifier: verifier,
    });
    const tokens = (await response.json()) as { patient: string; scope: string; access_token: string };
    expect(tokens.patient).toBe('patient-child-1');
    expect(tokens.scope.split(' ')).toContain('launch/patient');
    expect((await fhir(sandbox, tokens.access_token, 'Patient/patient-child-1')).status).toBe(200);
  });
});
