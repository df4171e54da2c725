/**
 * The scopes MOVO-X asks for. Kept short: authorize is a GET (fhirclient 2.6.3 has no authorize-post).
 * https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import type { Registration } from '../config/registrations.ts';

export type ScopeVersion = 'v1' | 'v2';
export type LaunchKind = 'ehr' | 'standalone';

const RESOURCE_SCOPES: Record<ScopeVersion, readonly string[]> = {
  v2: [
    'user/Patient.rs',
    'user/Encounter.rs',
    'user/Practitioner.rs',
    'user/Observation.rs',
    'user/DocumentReference.rs',
    'user/DocumentReference.c',
    // Note text held as an attachment `url` (Epic and Oracle serve note content as Binary).
    'user/Binary.r',
  ],
  v1: [
    'user/Patient.read',
    'user/Encounter.read',
    'user/Practitioner.read',
    'user/Observation.read',
    'user/DocumentReference.read',
    'user/DocumentReference.write',
    'user/Binary.read',
  ],
};

/**
 * `launch` is listed explicitly for an EHR launch: fhirclient adds it only when no scope contains the substring
 * "launch". A standalone launch asks the EHR to pick a patient with `launch/patient`.
 * `online_access`: refresh tokens that live as long as the clinician's EHR session (preferred over offline).
 */
export function defaultScopes(version: ScopeVersion, kind: LaunchKind): string {
  const contextScope = kind === 'ehr' ? 'launch' : 'launch/patient';
  return [contextScope, 'openid', 'fhirUser', 'online_access', ...RESOURCE_SCOPES[version]].join(' ');
}

/** The registration's own scope list replaces the resource scopes; the context scopes are always present. */
export function scopesFor(registration: Registration, version: ScopeVersion, kind: LaunchKind): string {
  if (!registration.scopes) return defaultScopes(version, kind);
  const own = registration.scopes.split(/\s+/).filter(Boolean);
  const required = [kind === 'ehr' ? 'launch' : 'launch/patient', 'openid', 'fhirUser'];
  return [...new Set([...required, ...own])].join(' ');
}

/** The SMART capability that decides the scope grammar, for registrations with `scopeVersion: 'discover'`. */
export function versionFromCapabilities(capabilities: unknown): ScopeVersion {
  return Array.isArray(capabilities) && capabilities.includes('permission-v2') ? 'v2' : 'v1';
}
