/**
 * `GET|POST /auth/authorize` (SMART App Launch 2.2 "Obtain authorization code",
 * https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-authorization-code; RFC 6749 §4.1; RFC 7636).
 *
 * Order of checks, as RFC 6749 §4.1.2.1 requires: an unknown client_id or a redirect_uri that is not exactly one
 * of the client's registered URIs gets an error page and is NEVER redirected (the redirect target is not
 * trusted). Every other error is redirected to the redirect_uri with `error`, `error_description` and `state`.
 *
 * EHR launch: `launch` names a context the EHR page created (5 minutes). Standalone launch: no `launch`; a
 * picker page asks for the user (practitioner) and, with `launch/patient`, the patient, then posts back here.
 * `sandbox_practitioner` and `sandbox_patient` in the request answer the picker in advance (scripted tests).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredClient } from '../clients.ts';
import type { EhrDirectory } from '../ehr/directory.ts';
import { escapeHtml, htmlPage, readForm, redirect, sendHtml } from '../http.ts';
import { grantScopes, splitScopes } from './scopes.ts';
import type { Authorization, AuthorizationStore, FhirBase, LaunchContext } from './store.ts';
import { DEFAULT_LAUNCH_OPTIONS } from './store.ts';

export interface AuthorizeDependencies {
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  readonly store: AuthorizationStore;
  readonly directory: EhrDirectory;
}

/** RFC 7636 §4.2: code_challenge = BASE64URL(SHA256(verifier)), 43 characters for S256. */
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The parameters the picker page posts back (everything else it sends is the original request). */
const PICKER_FIELDS = ['sandbox_patient', 'sandbox_practitioner'];

class AuthorizeError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'unauthorized_client'
      | 'access_denied'
      | 'unsupported_response_type'
      | 'invalid_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

export function errorPage(response: ServerResponse, title: string, message: string): void {
  sendHtml(
    response,
    400,
    htmlPage(
      title,
      `<header class="ehr"><h1>Sandbox EHR</h1></header><main><h2 class="error">${escapeHtml(title)}</h2><p>${escapeHtml(message)}</p>
<p>The app was not sent back: an authorization server must not redirect to an unverified client or redirect URI (RFC 6749 §4.1.2.1).</p></main>`,
    ),
  );
}

/** Compares `aud` with a FHIR base; a trailing slash is tolerated. */
function sameBase(aud: string, base: string): boolean {
  return aud.replace(/\/+$/, '') === base;
}

function pickerPage(
  params: URLSearchParams,
  client: RegisteredClient,
  practitioners: { id: string; name: string }[],
  patients: { id: string; name: string; birthDate: string | undefined }[] | undefined,
): string {
  const hidden = [...params]
    .filter(([key]) => !PICKER_FIELDS.includes(key))
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const options = (items: { id: string; label: string }[]) =>
    items.map((item) => `<option value="${escapeHtml(item.id)}">${escapeHtml(item.label)}</option>`).join('');
  const patientSelect = patients
    ? `<label for="sandbox_patient">Patient</label>
<select id="sandbox_patient" name="sandbox_patient" required>${options(
        patients.map((patient) => ({
          id: patient.id,
          label: `${patient.name} (${patient.birthDate ?? 'no birth date'})`,
        })),
      )}</select>`
    : '';
  return htmlPage(
    'Sandbox EHR: sign in',
    `<header class="ehr"><h1>Sandbox EHR</h1><span>Standalone launch</span></header>
<main>
<h2>${escapeHtml(client.name)} asks to connect</h2>
<p>Requested access: <code>${escapeHtml(params.get('scope') ?? '')}</code></p>
<form method="post" action="/auth/authorize">
${hidden}
<label for="sandbox_practitioner">Signed in as</label>
<select id="sandbox_practitioner" name="sandbox_practitioner" required>${options(
      practitioners.map((practitioner) => ({ id: practitioner.id, label: practitioner.name })),
    )}</select>
${patientSelect}
<button type="submit">Allow and continue</button>
</form>
</main>`,
  );
}

export async function handleAuthorize(
  dependencies: AuthorizeDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  bases: readonly FhirBase[],
): Promise<void> {
  const params =
    request.method === 'POST' ? await readForm(request) : new URL(request.url ?? '/', origin).searchParams;

  // 1. Client and redirect URI: failures are shown here, never redirected.
  const clientId = params.get('client_id');
  const client = clientId ? dependencies.clients.get(clientId) : undefined;
  if (!client) {
    errorPage(response, 'Unknown client', `client_id "${clientId ?? ''}" is not registered with this EHR.`);
    return;
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    errorPage(
      response,
      'Redirect URI not registered',
      `redirect_uri "${redirectUri ?? ''}" is not one of ${client.name}'s registered redirect URIs (exact match required).`,
    );
    return;
  }

  const state = params.get('state');
  const back = (query: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    if (state) target.searchParams.set('state', state);
    redirect(response, target.toString());
  };

  try {
    const authorization = await authorize(dependencies, params, client, bases);
    if (authorization === 'picker') {
      const patients = splitScopes(params.get('scope')).includes('launch/patient')
        ? await dependencies.directory.patients()
        : undefined;
      sendHtml(
        response,
        200,
        pickerPage(params, client, await dependencies.directory.practitioners(), patients),
      );
      return;
    }
    const code = dependencies.store.createCode({
      authorization,
      redirectUri,
      codeChallenge: params.get('code_challenge') ?? '',
    });
    back({ code });
  } catch (error) {
    if (!(error instanceof AuthorizeError)) throw error;
    back({ error: error.error, error_description: error.description });
  }
}

async function authorize(
  dependencies: AuthorizeDependencies,
  params: URLSearchParams,
  client: RegisteredClient,
  bases: readonly FhirBase[],
): Promise<Authorization | 'picker'> {
  if (params.get('response_type') !== 'code') {
    throw new AuthorizeError('unsupported_response_type', 'response_type must be "code".');
  }
  if (!params.get('state')) {
    throw new AuthorizeError(
      'invalid_request',
      'state is required (SMART App Launch: an unguessable value, checked on return).',
    );
  }
  const aud = params.get('aud') ?? '';
  const base = bases.find((candidate) => sameBase(aud, candidate.url));
  if (!base) {
    throw new AuthorizeError(
      'invalid_request',
      `aud must be the FHIR base URL of this server (${bases.map((candidate) => candidate.url).join(' or ')}); got "${aud}".`,
    );
  }
  const method = params.get('code_challenge_method');
  if (method !== 'S256') {
    throw new AuthorizeError(
      'invalid_request',
      method === 'plain'
        ? 'code_challenge_method "plain" is not allowed: use S256 (SMART App Launch 2.2).'
        : 'PKCE is required: send code_challenge with code_challenge_method=S256.',
    );
  }
  if (!CODE_CHALLENGE.test(params.get('code_challenge') ?? '')) {
    throw new AuthorizeError(
      'invalid_request',
      'code_challenge is missing or is not 43-128 base64url characters.',
    );
  }
  const requested = params.get('scope') ?? '';
  if (!requested.trim()) throw new AuthorizeError('invalid_scope', 'scope is required.');

  const launchCode = params.get('launch');
  let launch: LaunchContext | undefined;
  if (launchCode) {
    launch = dependencies.store.launches.get(launchCode);
    if (!launch)
      throw new AuthorizeError(
        'invalid_request',
        'The launch parameter is unknown or has expired (launches last 5 minutes).',
      );
    if (launch.clientId !== client.clientId) {
      throw new AuthorizeError(
        'invalid_request',
        `This launch was made for another app (${launch.clientId}).`,
      );
    }
    if (launch.base.url !== base.url) {
      throw new AuthorizeError(
        'invalid_request',
        `This launch was made for the FHIR base ${launch.base.url}: send it as aud.`,
      );
    }
    if (!splitScopes(requested).includes('launch')) {
      throw new AuthorizeError(
        'invalid_scope',
        'An EHR launch needs the "launch" scope to receive its context.',
      );
    }
  }

  const options = launch?.options ?? DEFAULT_LAUNCH_OPTIONS;
  const scopes = grantScopes({
    requested,
    registered: client.scopes,
    grant: options.grant,
    launchType: launch ? 'ehr' : 'standalone',
    v1Only: base.v1Only,
  });
  if (scopes.length === 0) {
    throw new AuthorizeError(
      'invalid_scope',
      `None of the requested scopes can be granted to ${client.clientId}.`,
    );
  }

  if (launch) {
    if (!scopes.includes('launch')) {
      throw new AuthorizeError(
        'invalid_scope',
        `${client.clientId} is not registered for the "launch" scope.`,
      );
    }
    return {
      clientId: client.clientId,
      base,
      scopes,
      patientId: launch.patientId,
      encounterId: launch.encounterId,
      practitionerId: launch.practitionerId,
      options,
      nonce: params.get('nonce') ?? undefined,
    };
  }

  // Standalone: the user and (with launch/patient) the patient come from the picker.
  const wantsPatient = scopes.includes('launch/patient');
  const practitionerId = params.get('sandbox_practitioner');
  const patientId = params.get('sandbox_patient');
  if (!practitionerId || (wantsPatient && !patientId)) return 'picker';
  const practitioner = await dependencies.directory.practitioner(practitionerId);
  if (!practitioner)
    throw new AuthorizeError('invalid_request', `Practitioner/${practitionerId} does not exist.`);
  if (wantsPatient && patientId && !(await dependencies.directory.patient(patientId))) {
    throw new AuthorizeError('invalid_request', `Patient/${patientId} does not exist.`);
  }
  return {
    clientId: client.clientId,
    base,
    scopes,
    patientId: wantsPatient ? (patientId ?? undefined) : undefined,
    encounterId: undefined,
    practitionerId,
    options,
    nonce: params.get('nonce') ?? undefined,
  };
}
