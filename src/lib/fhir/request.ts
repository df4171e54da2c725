/**
 * Every FHIR read goes through the launch's fhirclient Client (which adds the token and refreshes it ahead of
 * expiry) and fails with a FhirError, so that queries never surface `unknown`. An ended session is reported
 * once, for every query, by the app's QueryCache (src/app/providers.tsx), not here.
 */
import type Client from 'fhirclient/lib/Client';
import { toFhirError } from './errors.ts';

type RequestOptions = Parameters<Client['request']>[0];

export async function fhirRequest<T>(client: Client, options: RequestOptions): Promise<T> {
  try {
    return await client.request<T>(options);
  } catch (error) {
    throw toFhirError(error);
  }
}
