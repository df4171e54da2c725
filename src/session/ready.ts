/**
 * index.html's one call to `FHIR.oauth2.ready()`: made once, at module load, outside React, so that StrictMode's
 * double render can never exchange the authorization code twice (it is single-use).
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { fetchRegistrations, findRegistration, type Registration } from '../config/registrations.ts';
import { isPowerChart } from '../launch/decide.ts';
import { isolatePowerChartSessions, POWERCHART_FLAG } from './powerchart.ts';
import { capabilitiesFromScopes } from './scopes.ts';
import type { Session } from './session.ts';

export type SessionStart =
  | { state: 'ready'; session: Session }
  /** Opened without a launch (no `state` in the URL and none stored): say how to open MOVO-X. */
  | { state: 'no-launch' }
  /** The EHR refused the authorization (`error` in the redirect) or the code exchange failed. */
  | { state: 'failed'; message: string };

interface TokenResponseContext {
  need_patient_banner?: unknown;
  smart_style_url?: unknown;
  scope?: unknown;
}

/** Pure: the Session from a ready client and the registrations. */
export function sessionFromClient(client: Client, registrations: readonly Registration[]): Session | string {
  const serverUrl = client.state.serverUrl;
  const registration = findRegistration(registrations, serverUrl);
  if (!registration) return `The EHR ${serverUrl} is no longer in MOVO-X's list of trusted EHRs.`;
  const patientId = client.getPatientId();
  if (!patientId) return 'The EHR did not say which patient MOVO-X was opened for.';
  const token = (client.state.tokenResponse ?? {}) as TokenResponseContext;
  const scope = typeof token.scope === 'string' ? token.scope : undefined;
  return {
    client,
    identity: { serverUrl, patientId },
    registration,
    capabilities: capabilitiesFromScopes(scope),
    encounterId: client.getEncounterId() ?? undefined,
    fhirUser: client.getFhirUser() ?? undefined,
    // SMART: absent means the app must show its own banner.
    needPatientBanner: token.need_patient_banner !== false,
    styleUrl: typeof token.smart_style_url === 'string' ? token.smart_style_url : undefined,
  };
}

function hasLaunchInUrlOrStorage(): boolean {
  const params = new URLSearchParams(window.location.search);
  if (params.has('state') || params.has('code') || params.has('error')) return true;
  try {
    return sessionStorage.getItem('SMART_KEY') !== null;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startSession(): Promise<SessionStart> {
  if (!hasLaunchInUrlOrStorage()) return { state: 'no-launch' };
  let powerChart = false;
  try {
    powerChart = isPowerChart(window) || sessionStorage.getItem(POWERCHART_FLAG) === '1';
  } catch {
    // storage blocked: ready() below fails with a clear message
  }
  if (powerChart) isolatePowerChartSessions();
  // A public client names itself when refreshing (RFC 6749 §3.2.1); servers that identify the client by the
  // refresh token alone ignore it, and stricter ones (the sandbox, some EHRs) refuse a refresh without it.
  (FHIR.oauth2.settings as { refreshTokenWithClientId?: boolean }).refreshTokenWithClientId = true;
  // Both in parallel: the configuration is not on the critical path of the code exchange.
  const registrationsPromise = fetchRegistrations();
  const [client, registrations] = await Promise.allSettled([FHIR.oauth2.ready(), registrationsPromise]);
  if (client.status === 'rejected') {
    const message = messageOf(client.reason);
    if (/No 'state' parameter found|No state found/.test(message)) return { state: 'no-launch' };
    return { state: 'failed', message };
  }
  if (registrations.status === 'rejected')
    return { state: 'failed', message: messageOf(registrations.reason) };
  const session = sessionFromClient(client.value, registrations.value.registrations);
  return typeof session === 'string' ? { state: 'failed', message: session } : { state: 'ready', session };
}
