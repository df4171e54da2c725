import type { RegistrationsFile } from '../src/config/registrations.ts';

/**
 * The local sandbox EHR's registrations of MOVO-X (client `movo-x`, see sandbox/clients.json): its SMART v2
 * server, and its SMART v1-only server at `/v1/fhir`, registered the way an Epic customer would be (v1 scopes,
 * Observation searches by category).
 */
export function sandboxRegistrations(sandboxPort: number): RegistrationsFile {
  return {
    registrations: [
      {
        id: 'local-sandbox',
        displayName: 'MOVO-X sandbox EHR (local)',
        issuer: `http://127.0.0.1:${sandboxPort}/fhir`,
        clientId: 'movo-x',
        scopeVersion: 'v2',
        pkce: 'required',
        discoveryHeaders: {},
        powerChart: 'auto',
        observationSearch: 'all',
        standalone: true,
        notes: { encounter: 'optional', docStatus: 'final', allowReview: true },
      },
      {
        id: 'local-sandbox-v1',
        displayName: 'MOVO-X sandbox EHR, SMART v1 server (local)',
        issuer: `http://127.0.0.1:${sandboxPort}/v1/fhir`,
        clientId: 'movo-x',
        scopeVersion: 'v1',
        pkce: 'required',
        discoveryHeaders: {},
        powerChart: 'auto',
        observationSearch: 'by-category',
        standalone: false,
        notes: { encounter: 'optional', docStatus: 'final', allowReview: true },
      },
    ],
  };
}
