/**
 * launch.html: the SMART App Launch handshake and nothing else.
 * https://hl7.org/fhir/smart-app-launch/app-launch.html — discovery, authorize (PKCE S256, state ≥ 122 bits).
 * The EHR's launch code lives about five minutes (Epic): go straight to authorize, no extra round trip.
 */
import FHIR from 'fhirclient';
import './launch.css';
import { fetchRegistrations, type Registration } from '../config/registrations.ts';
import { decideLaunch, isPowerChart, redirectUriFor, sessionStorageAvailable } from './decide.ts';
import { scopesFor, versionFromCapabilities, type LaunchKind, type ScopeVersion } from './scopes.ts';
import { isolatePowerChartSessions, POWERCHART_FLAG } from '../session/powerchart.ts';
import * as view from './view.ts';

async function scopeVersion(registration: Registration): Promise<ScopeVersion> {
  if (registration.scopeVersion !== 'discover') return registration.scopeVersion;
  // Costs one discovery round trip before fhirclient's own: only for registrations that ask for it.
  const response = await fetch(`${registration.issuer.replace(/\/$/, '')}/.well-known/smart-configuration`, {
    headers: { Accept: 'application/json', ...registration.discoveryHeaders },
  });
  const configuration = (await response.json()) as { capabilities?: unknown };
  return versionFromCapabilities(configuration.capabilities);
}

async function authorize(
  registration: Registration,
  iss: string,
  launch: string | undefined,
  kind: LaunchKind,
) {
  const powerChart =
    registration.powerChart === 'on' || (registration.powerChart === 'auto' && isPowerChart(window));
  if (powerChart) {
    isolatePowerChartSessions();
    sessionStorage.setItem(POWERCHART_FLAG, '1');
  }
  const version = await scopeVersion(registration);
  await FHIR.oauth2.authorize({
    clientId: registration.clientId,
    iss,
    ...(launch ? { launch } : {}),
    scope: scopesFor(registration, version, kind),
    redirectUri: redirectUriFor(window.location.href),
    // fhirclient's default state is 16 Math.random characters (~95 bits); SMART requires ≥ 122 bits.
    stateKey: crypto.randomUUID(),
    // 'required' never silently drops PKCE; 'unsafeV1' always sends S256 to servers that omit the field.
    pkceMode: registration.pkce,
    // In an EHR frame the whole flow stays in the frame (fhirclient would guess and warn otherwise).
    completeInTarget: true,
    wellKnownRequestOptions: { headers: { Accept: 'application/json', ...registration.discoveryHeaders } },
  });
}

async function main(): Promise<void> {
  let registrations: readonly Registration[];
  try {
    registrations = (await fetchRegistrations()).registrations;
  } catch (error) {
    view.showLaunchError(undefined, error instanceof Error ? error.message : String(error));
    return;
  }
  const decision = decideLaunch(new URLSearchParams(window.location.search), registrations, {
    development: import.meta.env.DEV,
  });
  switch (decision.action) {
    case 'pick-ehr':
      view.showPicker(decision.registrations);
      return;
    case 'unknown-iss':
      view.showUnknownIssuer(decision.iss);
      return;
    case 'refuse-override':
      view.showRefusedOverride(decision.parameter);
      return;
    case 'authorize': {
      const { registration, iss, launch, kind } = decision;
      if (!sessionStorageAvailable(window)) {
        // A user gesture opens a first-party window, where storage works, with the same iss and launch code.
        view.showStorageBlocked(registration, () => {
          window.open(window.location.href, '_blank');
        });
        return;
      }
      view.showConnecting(registration);
      try {
        await authorize(registration, iss, launch, kind);
      } catch (error) {
        view.showLaunchError(registration, error instanceof Error ? error.message : String(error));
      }
      return;
    }
  }
}

void main();
