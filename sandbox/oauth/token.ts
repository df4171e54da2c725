/**
 * `POST /auth/token` (SMART App Launch 2.2 "Obtain access token" and "Refresh access token";
 * RFC 6749 §4.1.3, §5, §6; RFC 7636 §4.6).
 * - authorization_code: the code is single-use and lives 60 s; client_id and redirect_uri must match the
 *   authorization request; code_verifier must hash (S256) to the code_challenge. A code presented twice revokes
 *   the tokens issued from it (RFC 6749 §4.1.2).
 * - refresh_token: rotation; every refresh returns a new refresh token and the old one stops working. A launch
 *   made with "refresh denied" has every refresh refused (to test an app's session-ended path).
 * Errors are RFC 6749 §5.2 JSON: 400, or 401 for client authentication. Responses are never cached.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredClient } from '../clients.ts';
import type { EhrDirectory } from '../ehr/directory.ts';
import { displayName } from '../ehr/directory.ts';
import { readForm, sendJson } from '../http.ts';
import type { SigningKey } from './keys.ts';
import { signIdToken } from './keys.ts';
import { splitScopes } from './scopes.ts';
import type { Authorization, AuthorizationStore, FhirBase } from './store.ts';
import {
  DEFAULT_LAUNCH_OPTIONS,
  OFFLINE_REFRESH_LIFETIME_MS,
  ONLINE_REFRESH_LIFETIME_MS,
  randomToken,
} from './store.ts';

export interface TokenDependencies {
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  readonly store: AuthorizationStore;
  readonly directory: EhrDirectory;
  readonly key: SigningKey;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const USED_CODE_MEMORY_MS = 10 * 60_000;

type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

class TokenError extends Error {
  constructor(
    readonly error: TokenErrorCode,
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 6749 §2.3: Basic authentication or client_secret in the form; public clients send client_id only. */
function authenticateClient(
  dependencies: TokenDependencies,
  request: IncomingMessage,
  form: URLSearchParams,
): RegisteredClient {
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon < 0 ? undefined : colon));
    secret = colon < 0 ? null : decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!clientId) throw new TokenError('invalid_client', 'client_id is required.');
  const client = dependencies.clients.get(clientId);
  if (!client) throw new TokenError('invalid_client', `client_id "${clientId}" is not registered.`);
  if (
    client.type === 'confidential' &&
    !(secret && client.clientSecret && sameSecret(secret, client.clientSecret))
  ) {
    throw new TokenError('invalid_client', 'Client authentication failed.');
  }
  return client;
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new TokenError('invalid_request', `${name} is required.`);
  return value;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

async function issueTokens(
  dependencies: TokenDependencies,
  authorization: Authorization,
  code: string,
  origin: string,
): Promise<{ body: Record<string, unknown>; accessToken: string; refreshToken: string | undefined }> {
  const { store } = dependencies;
  const lifetime = authorization.options.tokenLifetimeSeconds;
  const accessToken = randomToken();
  store.accessTokens.set(accessToken, authorization, lifetime * 1000);

  const scopes = authorization.scopes;
  let refreshToken: string | undefined;
  if (scopes.includes('offline_access') || scopes.includes('online_access')) {
    refreshToken = randomToken();
    store.refreshTokens.set(
      refreshToken,
      { authorization, code },
      scopes.includes('offline_access') ? OFFLINE_REFRESH_LIFETIME_MS : ONLINE_REFRESH_LIFETIME_MS,
    );
  }

  let idToken: string | undefined;
  if (scopes.includes('openid')) {
    const practitioner = await dependencies.directory.practitioner(authorization.practitionerId);
    const withUser = scopes.includes('fhirUser') || scopes.includes('profile');
    idToken = await signIdToken(dependencies.key, {
      issuer: authorization.base.url,
      clientId: authorization.clientId,
      practitionerId: authorization.practitionerId,
      fhirUser: withUser
        ? `${authorization.base.url}/Practitioner/${authorization.practitionerId}`
        : undefined,
      name: withUser && practitioner ? displayName(practitioner.name) : undefined,
      nonce: authorization.nonce,
      lifetimeSeconds: lifetime,
    });
  }

  return {
    accessToken,
    refreshToken,
    body: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: scopes.join(' '),
      ...(authorization.patientId ? { patient: authorization.patientId } : {}),
      ...(authorization.encounterId ? { encounter: authorization.encounterId } : {}),
      need_patient_banner: authorization.options.needPatientBanner,
      smart_style_url: `${origin}/ehr/smart-style.json`,
      ...(idToken ? { id_token: idToken } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    },
  };
}

async function exchangeCode(
  dependencies: TokenDependencies,
  client: RegisteredClient,
  form: URLSearchParams,
  origin: string,
): Promise<Record<string, unknown>> {
  const { store } = dependencies;
  const code = required(form, 'code');
  const found = store.codes.lookup(code);
  if (!found) {
    if (store.usedCodes.get(code)) {
      store.revokeFromCode(code);
      throw new TokenError(
        'invalid_grant',
        'The authorization code was already used; the tokens issued for it are revoked.',
      );
    }
    throw new TokenError('invalid_grant', 'The authorization code is not valid.');
  }
  if (found === 'expired') {
    store.codes.delete(code);
    throw new TokenError('invalid_grant', 'The authorization code has expired (codes live 60 seconds).');
  }
  const pending = found.value;
  if (pending.authorization.clientId !== client.clientId) {
    throw new TokenError('invalid_grant', 'The authorization code was issued to another client.');
  }
  if (form.get('redirect_uri') !== pending.redirectUri) {
    throw new TokenError(
      'invalid_grant',
      'redirect_uri does not match the one of the authorization request.',
    );
  }
  const verifier = form.get('code_verifier');
  if (!verifier) throw new TokenError('invalid_grant', 'code_verifier is required (PKCE).');
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || s256(verifier) !== pending.codeChallenge) {
    throw new TokenError('invalid_grant', 'code_verifier does not match the code_challenge (S256).');
  }
  // Single use, whatever happens next.
  store.codes.delete(code);
  const issued = await issueTokens(dependencies, pending.authorization, code, origin);
  store.usedCodes.set(
    code,
    { accessTokens: [issued.accessToken], refreshTokens: issued.refreshToken ? [issued.refreshToken] : [] },
    USED_CODE_MEMORY_MS,
  );
  return issued.body;
}

async function refresh(
  dependencies: TokenDependencies,
  client: RegisteredClient,
  form: URLSearchParams,
  origin: string,
): Promise<Record<string, unknown>> {
  const { store } = dependencies;
  const token = required(form, 'refresh_token');
  const found = store.refreshTokens.get(token);
  if (!found)
    throw new TokenError(
      'invalid_grant',
      'The refresh token is not valid (unknown, expired or already used).',
    );
  if (found.authorization.clientId !== client.clientId) {
    throw new TokenError('invalid_grant', 'The refresh token was issued to another client.');
  }
  if (found.authorization.options.refreshDenied) {
    store.refreshTokens.delete(token);
    throw new TokenError('invalid_grant', 'Refresh is denied for this launch (EHR launch option).');
  }
  let authorization = found.authorization;
  const narrower = form.get('scope');
  if (narrower) {
    const asked = splitScopes(narrower);
    const outside = asked.filter((scope) => !authorization.scopes.includes(scope));
    if (outside.length > 0)
      throw new TokenError('invalid_scope', `Not in the original grant: ${outside.join(' ')}.`);
    authorization = { ...authorization, scopes: asked };
  }
  // Rotation: the presented token stops working now.
  store.refreshTokens.delete(token);
  const issued = await issueTokens(dependencies, authorization, found.code, origin);
  const usedCode = store.usedCodes.get(found.code);
  if (usedCode) {
    usedCode.accessTokens.push(issued.accessToken);
    if (issued.refreshToken) usedCode.refreshTokens.push(issued.refreshToken);
  }
  return issued.body;
}

/** The scope of `POST /ehr/test-token`: read and search of everything, nothing else. */
export const TEST_TOKEN_SCOPE = 'user/*.rs';

/**
 * `POST /ehr/test-token`: a read-only token (`user/*.rs`, one hour) for end-to-end tests that check what the
 * server holds without going through an app. The sandbox's data is synthetic and it listens on loopback only;
 * the token cannot write.
 */
export function issueTestToken(store: AuthorizationStore, base: FhirBase): Record<string, unknown> {
  const lifetimeSeconds = 3600;
  const accessToken = randomToken();
  const authorization: Authorization = {
    clientId: 'sandbox-test',
    base,
    scopes: [TEST_TOKEN_SCOPE],
    patientId: undefined,
    encounterId: undefined,
    practitionerId: 'practitioner-1',
    options: { ...DEFAULT_LAUNCH_OPTIONS, tokenLifetimeSeconds: lifetimeSeconds },
    nonce: undefined,
  };
  store.accessTokens.set(accessToken, authorization, lifetimeSeconds * 1000);
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: lifetimeSeconds,
    scope: TEST_TOKEN_SCOPE,
  };
}

export async function handleToken(
  dependencies: TokenDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
): Promise<void> {
  try {
    if (request.method !== 'POST') {
      throw new TokenError('invalid_request', 'The token endpoint answers POST only.');
    }
    let form: URLSearchParams;
    try {
      form = await readForm(request);
    } catch {
      throw new TokenError('invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
    }
    const client = authenticateClient(dependencies, request, form);
    const grantType = form.get('grant_type');
    let body: Record<string, unknown>;
    if (grantType === 'authorization_code') body = await exchangeCode(dependencies, client, form, origin);
    else if (grantType === 'refresh_token') body = await refresh(dependencies, client, form, origin);
    else throw new TokenError('unsupported_grant_type', `grant_type "${grantType ?? ''}" is not supported.`);
    sendJson(response, 200, body, NO_STORE);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    sendJson(
      response,
      error.status,
      { error: error.error, error_description: error.description },
      {
        ...NO_STORE,
        ...(error.status === 401 ? { 'WWW-Authenticate': 'Basic realm="sandbox-ehr"' } : {}),
      },
    );
  }
}
