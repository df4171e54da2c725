/**
 * A minimal SMART client for tests and scripts: drives the sandbox's real HTTP endpoints (scripted EHR launch,
 * authorize, token) the way a browser app does, without a browser. Redirects are read, not followed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RunningSandbox } from '../server.ts';

export const MOVO_X = 'movo-x';
export const DEFAULT_REDIRECT_URI = 'http://localhost:5173/index.html';
export const DEFAULT_SCOPE =
  'launch openid fhirUser online_access patient/Patient.rs patient/Observation.rs patient/Encounter.rs ' +
  'patient/DocumentReference.crs user/Practitioner.rs';

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly patient?: string;
  readonly encounter?: string;
  readonly need_patient_banner?: boolean;
  readonly smart_style_url?: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
}

/** `GET /ehr/launch?…` and returns the `iss` and `launch` the EHR sends the app. */
export async function scriptedLaunch(
  sandbox: RunningSandbox,
  params: Record<string, string>,
): Promise<{ iss: string; launch: string; location: URL }> {
  const response = await fetch(`${sandbox.origin}/ehr/launch?${new URLSearchParams(params).toString()}`, {
    redirect: 'manual',
  });
  if (response.status !== 302)
    throw new Error(`/ehr/launch answered ${response.status}: ${await response.text()}`);
  const location = new URL(response.headers.get('location') ?? '');
  return {
    iss: location.searchParams.get('iss') ?? '',
    launch: location.searchParams.get('launch') ?? '',
    location,
  };
}

export interface AuthorizeParams {
  readonly client_id?: string;
  readonly redirect_uri?: string;
  readonly scope?: string;
  readonly state?: string;
  readonly aud?: string;
  readonly launch?: string;
  readonly code_challenge?: string;
  readonly code_challenge_method?: string;
  readonly [extra: string]: string | undefined;
}

/** Calls the authorize endpoint (GET) without following the redirect. */
export async function authorize(sandbox: RunningSandbox, params: AuthorizeParams): Promise<Response> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  return fetch(`${sandbox.origin}/auth/authorize?${query.toString()}`, { redirect: 'manual' });
}

/** The query of the redirect an authorize response sends (code or error). */
export function redirectQuery(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location).searchParams;
}

export async function token(sandbox: RunningSandbox, form: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.origin}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

export interface LaunchOptions {
  /** `/ehr/launch` parameters besides client_id (patient, practitioner, banner, grant, v1, …). */
  readonly launch?: Record<string, string>;
  readonly scope?: string;
  readonly clientId?: string;
  readonly redirectUri?: string;
}

/** The whole EHR launch: scripted launch, authorize with PKCE, code exchange. */
export async function ehrLaunch(
  sandbox: RunningSandbox,
  options: LaunchOptions = {},
): Promise<TokenResponse> {
  const clientId = options.clientId ?? MOVO_X;
  const redirectUri = options.redirectUri ?? DEFAULT_REDIRECT_URI;
  const { iss, launch } = await scriptedLaunch(sandbox, {
    client_id: clientId,
    patient: 'patient-adult-1',
    practitioner: 'practitioner-1',
    ...options.launch,
  });
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('hex');
  const authorized = await authorize(sandbox, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: options.scope ?? DEFAULT_SCOPE,
    state,
    aud: iss,
    launch,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const query = redirectQuery(authorized);
  if (query.get('state') !== state) throw new Error('state did not come back');
  const code = query.get('code');
  if (!code)
    throw new Error(`authorize refused: ${query.get('error') ?? ''} ${query.get('error_description') ?? ''}`);
  const response = await token(sandbox, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
  if (!response.ok) throw new Error(`token answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenResponse;
}

/** A FHIR request with a bearer token; `path` is relative to the FHIR base (`Observation?patient=…`). */
export async function fhir(
  sandbox: RunningSandbox,
  accessToken: string | undefined,
  path: string,
  init: RequestInit & { base?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`);
  if (init.body !== undefined && !headers.has('Content-Type'))
    headers.set('Content-Type', 'application/fhir+json');
  return fetch(`${init.base ?? sandbox.fhirBaseUrl}/${path}`, { ...init, headers });
}
