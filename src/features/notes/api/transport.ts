/**
 * The HTTP side of the save algorithm (model/saveNote.ts), on the launch's fhirclient Client.
 *
 * Why `fetch` with the client's Authorization header rather than `client.create()` / `client.request()`
 * (fhirclient 2.6.3, lib/lib.js `request()` and lib/Client.js `request()`):
 * - on a 201 with an empty body, fhirclient follows `Location` with a GET carrying every request header,
 *   the token included, without resolving a relative Location against the FHIR base (Epic's is relative):
 *   that GET can fail after the note was stored, turning a success into an error that invites a duplicate;
 * - `client.request()` answers a 401 by clearing the stored token response, refresh token included, so the
 *   "refresh and retry once" the algorithm needs would be impossible;
 * - we need the status and `Location` of the answer, and a timeout.
 * Token refresh still goes through the client (`refreshIfNeeded()`, `refresh()`), which keeps its state.
 */
import type Client from 'fhirclient/lib/Client';
import type { DocumentReference } from 'fhir/r4';
import { FhirError, kindForStatus, operationOutcomeMessages, toFhirError } from '../../../lib/fhir/errors.ts';
import type { CreateResponse, SaveTransport } from '../model/saveNote.ts';
import { resolveFhirUrl } from '../../../lib/fhir/urls.ts';

/** Long enough for a slow EHR under load; a save that takes longer is retried (after a check). */
export const WRITE_TIMEOUT_MS = 30_000;

const FHIR_JSON = 'application/fhir+json';

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const statusMessages: Partial<Record<number, string>> = {
  400: 'The EHR refused the note.',
  401: 'The EHR did not accept the session.',
  403: 'The EHR did not allow MOVO-X to file notes.',
  409: 'The EHR reported a conflict with a record it holds.',
  412: 'The EHR found more than one note with this identifier.',
  422: 'The EHR refused the note.',
};

interface SendInit {
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

async function send(client: Client, url: string, init: SendInit, timeoutMs: number): Promise<Response> {
  const authorization = client.getAuthorizationHeader();
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      mode: 'cors',
      headers: { accept: FHIR_JSON, ...(authorization ? { authorization } : {}), ...init.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Node's and the browser's DOMException differ; the name is what both share.
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new FhirError('timeout', 'The EHR did not answer in time.', { cause: error });
    }
    throw toFhirError(error);
  }
  if (!response.ok) {
    const body = parseJson(await response.text().catch(() => ''));
    const kind = kindForStatus(response.status);
    throw new FhirError(kind, statusMessages[response.status] ?? `The EHR answered ${response.status}.`, {
      status: response.status,
      issues: operationOutcomeMessages(body),
    });
  }
  return response;
}

export function clientTransport(client: Client, timeoutMs = WRITE_TIMEOUT_MS): SaveTransport {
  const serverUrl = client.state.serverUrl;
  return {
    async refreshIfNeeded() {
      await client.refreshIfNeeded();
    },
    async refresh() {
      await client.refresh();
    },
    async create(resource: DocumentReference, headers): Promise<CreateResponse> {
      const response = await send(
        client,
        resolveFhirUrl('DocumentReference', serverUrl),
        {
          method: 'POST',
          body: JSON.stringify(resource),
          headers: { 'content-type': FHIR_JSON, ...headers },
        },
        timeoutMs,
      );
      // A 2xx whose body cannot be read is still a stored note: never turn it into an error.
      const text = await response.text().catch(() => '');
      return {
        status: response.status,
        body: parseJson(text),
        location: response.headers.get('location') ?? undefined,
      };
    },
    async searchByIdentifier(patientId, token) {
      const query = new URLSearchParams({ patient: patientId, identifier: token });
      const response = await send(
        client,
        resolveFhirUrl(`DocumentReference?${query.toString()}`, serverUrl),
        {},
        timeoutMs,
      );
      const bundle = parseJson(await response.text()) as
        { resourceType?: unknown; entry?: unknown } | undefined;
      if (bundle?.resourceType !== 'Bundle') {
        throw new FhirError('unreadable', 'The EHR answered the search with something other than a Bundle.');
      }
      const entries = Array.isArray(bundle.entry) ? (bundle.entry as unknown[]) : [];
      return entries.map((entry) =>
        typeof entry === 'object' && entry !== null ? (entry as { resource?: unknown }).resource : undefined,
      );
    },
  };
}
