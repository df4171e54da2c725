/**
 * Starting a launch from the EHR side (SMART App Launch 2.2 "EHR launch": the EHR opens the app's launch URL with
 * `iss` and an opaque `launch`).
 * - `GET /ehr/launch?client_id=…&patient=…&practitioner=…[&encounter=…][&banner=0|1][&token_lifetime=…]
 *   [&grant=all|read-only|<scopes>][&v1=1][&refresh=deny][&app_origin=…]` → 302 to the app's launch URL.
 * - `GET /ehr/chart?<same>`: an EHR chart page embedding that launch in an iframe, as Epic and Oracle Health do.
 *
 * `banner` is SMART's `need_patient_banner`: `1` (default) → the app shows its own patient banner; `0` → the EHR
 * shows its banner around the app (the chart page then draws one) and tells the app it need not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredClient } from '../clients.ts';
import { escapeHtml, htmlPage, redirect, sendHtml } from '../http.ts';
import { parseLaunchGrant } from '../oauth/scopes.ts';
import type { AuthorizationStore, FhirBase, LaunchOptions } from '../oauth/store.ts';
import { DEFAULT_TOKEN_LIFETIME_S } from '../oauth/store.ts';
import type { EhrDirectory } from './directory.ts';
import { displayName, medicalRecordNumber } from './directory.ts';

export interface LaunchDependencies {
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  readonly store: AuthorizationStore;
  readonly directory: EhrDirectory;
}

interface LaunchRequest {
  readonly client: RegisteredClient;
  readonly launchUrl: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly patientDetails: string;
  readonly practitionerId: string;
  readonly encounterId: string | undefined;
  readonly v1Only: boolean;
  readonly options: LaunchOptions;
}

class LaunchError extends Error {}

function param(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  return value ? value : undefined;
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new LaunchError(`"${value}" is not a yes/no value (use 1 or 0).`);
}

async function parseLaunchRequest(
  dependencies: LaunchDependencies,
  params: URLSearchParams,
): Promise<LaunchRequest> {
  const clientId = param(params, 'client_id') ?? 'movo-x';
  const client = dependencies.clients.get(clientId);
  if (!client) throw new LaunchError(`client_id "${clientId}" is not registered (sandbox/clients.json).`);

  const appOrigin = param(params, 'app_origin');
  const launchUrl = appOrigin
    ? client.launchUrls.find((url) => new URL(url).origin === appOrigin)
    : client.launchUrls[0];
  if (!launchUrl)
    throw new LaunchError(`app_origin "${appOrigin ?? ''}" is not one of ${client.clientId}'s origins.`);

  const patientId = param(params, 'patient');
  if (!patientId) throw new LaunchError('patient is required.');
  const patient = await dependencies.directory.patient(patientId);
  if (!patient) throw new LaunchError(`Patient/${patientId} does not exist.`);

  const practitioners = await dependencies.directory.practitioners();
  const practitionerId = param(params, 'practitioner') ?? practitioners[0]?.id;
  if (!practitionerId || !practitioners.some((practitioner) => practitioner.id === practitionerId)) {
    throw new LaunchError(`Practitioner/${practitionerId ?? ''} does not exist.`);
  }

  const encounterId = param(params, 'encounter');
  if (encounterId) {
    const encounter = await dependencies.directory.encounter(encounterId);
    if (encounter?.subject?.reference !== `Patient/${patientId}`) {
      throw new LaunchError(`Encounter/${encounterId} is not an encounter of Patient/${patientId}.`);
    }
  }

  const lifetimeText = param(params, 'token_lifetime');
  const tokenLifetimeSeconds = lifetimeText === undefined ? DEFAULT_TOKEN_LIFETIME_S : Number(lifetimeText);
  if (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1 || tokenLifetimeSeconds > 86_400) {
    throw new LaunchError('token_lifetime must be a whole number of seconds from 1 to 86400.');
  }

  const refresh = param(params, 'refresh');
  if (refresh !== undefined && refresh !== 'deny' && refresh !== 'allow') {
    throw new LaunchError('refresh must be "deny" or "allow".');
  }
  const mrn = medicalRecordNumber(patient);
  return {
    client,
    launchUrl,
    patientId,
    patientName: displayName(patient.name),
    patientDetails: [patient.birthDate && `DOB ${patient.birthDate}`, patient.gender, mrn && `MRN ${mrn}`]
      .filter(Boolean)
      .join(' · '),
    practitionerId,
    encounterId,
    v1Only: flag(param(params, 'v1')) ?? false,
    options: {
      needPatientBanner: flag(param(params, 'banner')) ?? true,
      tokenLifetimeSeconds,
      grant: parseLaunchGrant(param(params, 'grant'), param(params, 'grant_scopes')),
      refreshDenied: refresh === 'deny',
    },
  };
}

function launchErrorPage(response: ServerResponse, error: LaunchError): void {
  sendHtml(
    response,
    400,
    htmlPage(
      'Launch error',
      `<header class="ehr"><h1>Sandbox EHR</h1></header><main><h2 class="error">Cannot launch</h2><p>${escapeHtml(
        error.message,
      )}</p><p><a href="/ehr">Back to the EHR</a></p></main>`,
    ),
  );
}

/** The launch the request asks for, or undefined after answering with an error page. */
async function readLaunchRequest(
  dependencies: LaunchDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
): Promise<LaunchRequest | undefined> {
  try {
    return await parseLaunchRequest(dependencies, new URL(request.url ?? '/', origin).searchParams);
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    launchErrorPage(response, error);
    return undefined;
  }
}

/** Creates the launch context and returns the app's launch URL with `iss` and `launch`, as the EHR opens it. */
function appLaunchUrl(
  dependencies: LaunchDependencies,
  launch: LaunchRequest,
  bases: { readonly v2: FhirBase; readonly v1: FhirBase },
): string {
  const base = launch.v1Only ? bases.v1 : bases.v2;
  const code = dependencies.store.createLaunch({
    clientId: launch.client.clientId,
    base,
    patientId: launch.patientId,
    practitionerId: launch.practitionerId,
    encounterId: launch.encounterId,
    options: launch.options,
  });
  const target = new URL(launch.launchUrl);
  target.searchParams.set('iss', base.url);
  target.searchParams.set('launch', code);
  return target.toString();
}

export async function handleLaunch(
  dependencies: LaunchDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  bases: { readonly v2: FhirBase; readonly v1: FhirBase },
): Promise<void> {
  const launch = await readLaunchRequest(dependencies, request, response, origin);
  if (launch) redirect(response, appLaunchUrl(dependencies, launch, bases));
}

export async function handleChart(
  dependencies: LaunchDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  bases: { readonly v2: FhirBase; readonly v1: FhirBase },
): Promise<void> {
  const launch = await readLaunchRequest(dependencies, request, response, origin);
  if (!launch) return;
  // The EHR draws its own patient banner when it tells the app it need not (banner=0).
  const banner = !launch.options.needPatientBanner
    ? `<span class="patient" data-testid="ehr-patient-banner"><strong>${escapeHtml(launch.patientName)}</strong> ${escapeHtml(
        launch.patientDetails,
      )}</span>`
    : '';
  const title = `Sandbox EHR — ${launch.patientName}`;
  // The frame opens the app's launch URL directly, as Epic and Oracle Health do (no redirect hop). No sandbox
  // attribute and no CSP: the embedded app must work as it would inside Epic or Oracle Health.
  const frameSource = appLaunchUrl(dependencies, launch, bases);
  sendHtml(
    response,
    200,
    htmlPage(
      title,
      `<div class="chart">
<header class="ehr"><h1>Sandbox EHR</h1>${banner}<a href="/ehr" style="margin-left:auto;color:#fff">Back to launcher</a></header>
<iframe title="${escapeHtml(launch.client.name)}" src="${escapeHtml(frameSource)}"></iframe>
</div>`,
      `<style>
  html, body { height: 100%; }
  .chart { display: flex; flex-direction: column; height: 100%; }
  .chart iframe { flex: 1; border: 0; width: 100%; background: #fff; }
  .chart .patient { font-size: 15px; }
</style>`,
    ),
  );
}
