/**
 * The network boundary of component tests: msw answers at the fetch level, so the real fhirclient Client runs.
 * Unhandled requests fail the test (a request we did not expect is a bug).
 */
import { setupServer } from 'msw/node';

export const TEST_FHIR_BASE = 'https://ehr.test/fhir';

export const mswServer = setupServer();
