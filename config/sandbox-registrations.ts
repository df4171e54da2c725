import type { RegistrationsFile } from '../src/config/registrations.ts';

/** The local sandbox EHR's registration of MOVO-X (client `movo-x`, see sandbox/clients.json). */
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
    ],
  };
}
