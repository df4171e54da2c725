/** What global-setup started, as the tests see it (passed through environment variables). */
export interface E2eEnvironment {
  /** The sandbox EHR, e.g. http://127.0.0.1:40123 */
  readonly sandboxOrigin: string;
  readonly fhirBaseUrl: string;
  /** MOVO-X's production build under its production headers, e.g. http://localhost:40124 */
  readonly appOrigin: string;
}

export function e2eEnvironment(): E2eEnvironment {
  const sandboxOrigin = process.env.E2E_SANDBOX_ORIGIN;
  const appOrigin = process.env.E2E_APP_ORIGIN;
  if (!sandboxOrigin || !appOrigin)
    throw new Error('e2e/global-setup.ts did not run (E2E_SANDBOX_ORIGIN unset)');
  return { sandboxOrigin, appOrigin, fhirBaseUrl: `${sandboxOrigin}/fhir` };
}
