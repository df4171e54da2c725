/**
 * Renders a component as the app would: a real fhirclient Client (pointed at TEST_FHIR_BASE, answered by msw),
 * a fresh QueryClient without retries (TanStack guides/testing), and a Session in context.
 */
import type { ReactElement, ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import FHIR from 'fhirclient';
import { capabilitiesFromScopes } from '../session/scopes.ts';
import { SessionContext, type Session } from '../session/session.ts';
import { parseRegistrations, type Registration } from '../config/registrations.ts';
import { TEST_FHIR_BASE } from './msw.ts';

export const TEST_PATIENT_ID = 'patient-1';
export const TEST_ENCOUNTER_ID = 'encounter-1';
export const TEST_PRACTITIONER_ID = 'practitioner-1';
export const FULL_SCOPE =
  'launch openid fhirUser online_access user/Patient.rs user/Encounter.rs user/Practitioner.rs user/Observation.rs user/DocumentReference.rs user/DocumentReference.c';

export function testRegistration(overrides: Partial<Registration> = {}): Registration {
  const [registration] = parseRegistrations({
    registrations: [{ id: 'test-ehr', displayName: 'Test EHR', issuer: TEST_FHIR_BASE, clientId: 'movo-x' }],
  }).registrations;
  if (!registration) throw new Error('test registration did not parse');
  return { ...registration, ...overrides };
}

export interface TestSessionOptions {
  scope?: string;
  encounterId?: string | undefined;
  needPatientBanner?: boolean;
  registration?: Partial<Registration>;
  /** Seconds until the access token expires (fhirclient refreshes 10 s before). */
  expiresIn?: number;
  refreshToken?: string | undefined;
}

export function createTestSession(options: TestSessionOptions = {}): Session {
  const scope = options.scope ?? FULL_SCOPE;
  const encounterId = 'encounterId' in options ? options.encounterId : TEST_ENCOUNTER_ID;
  const client = FHIR.client({
    serverUrl: TEST_FHIR_BASE,
    tokenUri: `${TEST_FHIR_BASE}/auth/token`,
    clientId: 'movo-x',
    expiresAt: Math.round(Date.now() / 1000) + (options.expiresIn ?? 3600),
    tokenResponse: {
      access_token: 'test-access-token',
      token_type: 'Bearer',
      scope,
      patient: TEST_PATIENT_ID,
      ...(encounterId ? { encounter: encounterId } : {}),
      ...(options.refreshToken ? { refresh_token: options.refreshToken } : {}),
    },
  });
  return {
    client,
    identity: { serverUrl: TEST_FHIR_BASE, patientId: TEST_PATIENT_ID },
    registration: testRegistration(options.registration),
    capabilities: capabilitiesFromScopes(scope),
    encounterId,
    fhirUser: `Practitioner/${TEST_PRACTITIONER_ID}`,
    needPatientBanner: options.needPatientBanner ?? true,
    styleUrl: undefined,
  };
}

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

export function renderWithSession(
  ui: ReactElement,
  {
    session = createTestSession(),
    queryClient = createTestQueryClient(),
  }: { session?: Session; queryClient?: QueryClient } = {},
): RenderResult & { session: Session; queryClient: QueryClient } {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
    </QueryClientProvider>
  );
  return Object.assign(render(ui, { wrapper }), { session, queryClient });
}
