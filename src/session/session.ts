/**
 * The launched session as the rest of the app sees it: created once from `FHIR.oauth2.ready()` (src/session/ready.ts)
 * and provided through React context (src/app/providers.tsx).
 */
import { createContext, useContext } from 'react';
import type Client from 'fhirclient/lib/Client';
import type { Registration } from '../config/registrations.ts';
import type { Capabilities } from './scopes.ts';

/** What makes one launch distinct: every react-query key starts with it, so launches never share a cache. */
export interface LaunchIdentity {
  /** The FHIR base URL the token was issued for (`iss`). */
  readonly serverUrl: string;
  readonly patientId: string;
}

export type LaunchKey = readonly ['launch', string, string];

export function launchKey(identity: LaunchIdentity): LaunchKey {
  return ['launch', identity.serverUrl, identity.patientId];
}

export interface Session {
  readonly client: Client;
  readonly identity: LaunchIdentity;
  readonly registration: Registration;
  readonly capabilities: Capabilities;
  /** `Encounter/<id>` id from the launch context, when the EHR gave one. */
  readonly encounterId: string | undefined;
  /** The signed-in user as a relative reference (`Practitioner/123`), from the id_token's `fhirUser`. */
  readonly fhirUser: string | undefined;
  /** SMART `need_patient_banner`: false when the EHR already shows its own banner. */
  readonly needPatientBanner: boolean;
  readonly styleUrl: string | undefined;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionContext.Provider> (src/app/providers.tsx)');
  return session;
}
