/**
 * What launch.html does with the URL it was opened with: a pure decision, unit-tested, taken before any
 * network request leaves the page. The `iss` is checked against the configuration first
 * (HL7/smart-app-launch#230: an unchecked `iss` lets anyone send a clinician to a forged authorization server
 * under MOVO-X's name).
 */
import { findRegistration, type Registration } from '../config/registrations.ts';
import type { LaunchKind } from './scopes.ts';

/** fhirclient lets these URL parameters override the app's options; outside development they bypass OAuth
 * (`fhirServiceUrl`), fake the patient (`patientId`) or replace the registration (`clientId`). */
export const FORBIDDEN_OVERRIDES = ['fhirServiceUrl', 'patientId', 'clientId'] as const;

export type LaunchDecision =
  | { action: 'pick-ehr'; registrations: readonly Registration[] }
  | { action: 'unknown-iss'; iss: string }
  | { action: 'refuse-override'; parameter: (typeof FORBIDDEN_OVERRIDES)[number] }
  | {
      action: 'authorize';
      registration: Registration;
      iss: string;
      launch: string | undefined;
      kind: LaunchKind;
    };

export function decideLaunch(
  search: URLSearchParams,
  registrations: readonly Registration[],
  { development }: { development: boolean },
): LaunchDecision {
  if (!development) {
    const parameter = FORBIDDEN_OVERRIDES.find((name) => search.has(name));
    if (parameter) return { action: 'refuse-override', parameter };
  }
  const iss = search.get('iss');
  if (iss === null || iss.trim() === '') {
    return { action: 'pick-ehr', registrations: registrations.filter((r) => r.standalone) };
  }
  const registration = findRegistration(registrations, iss);
  if (!registration) return { action: 'unknown-iss', iss };
  const launch = search.get('launch') ?? undefined;
  return { action: 'authorize', registration, iss, launch, kind: launch ? 'ehr' : 'standalone' };
}

/** Chromium (incognito, strict policies), Safari and Firefox in strict mode refuse storage to cross-site frames. */
export function sessionStorageAvailable(win: Pick<Window, 'sessionStorage'>): boolean {
  try {
    const storage = win.sessionStorage;
    const probe = 'movo-x:storage-probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return true;
  } catch {
    return false;
  }
}

/** Oracle PowerChart embeds apps in IE/WebView2 hosts that expose `window.external.DiscernObjectFactory`. */
export function isPowerChart(win: Window): boolean {
  const external = (win as { external?: unknown }).external;
  return typeof external === 'object' && external !== null && 'DiscernObjectFactory' in external;
}

/** Absolute redirect URI without a fragment (Epic refuses fragments; every EHR compares it exactly). */
export function redirectUriFor(launchPageUrl: string): string {
  const url = new URL('index.html', launchPageUrl);
  url.search = '';
  url.hash = '';
  return url.href;
}
