/**
 * Files a note exactly once, whatever the network does. Framework-free: the HTTP side is an injected transport,
 * so the algorithm is unit-tested without React or a server.
 *
 * 1. Refresh the access token first when it is about to expire (fhirclient's `create()` does not, and a 401
 *    halfway through a save is the worst moment to find out).
 * 2. POST with `If-None-Exist: identifier=urn:ietf:rfc:3986|urn:uuid:…` (FHIR conditional create,
 *    http://hl7.org/fhir/R4/http.html#ccreate; US Core "Writing Clinical Notes" asks servers to honour it) and
 *    `Prefer: return=representation` (http://hl7.org/fhir/R4/http.html#ops) so that the answer carries the note.
 * 3. Epic ignores If-None-Exist and de-duplicates nothing: before any retry of an attempt whose outcome is
 *    unknown (network drop, timeout, 5xx), search `DocumentReference?patient=…&identifier=…` and treat a hit as
 *    the note being filed. A draft whose earlier save had an unknown outcome (`priorOutcomeUnknown`, e.g. the
 *    page was reloaded mid-save) is searched for before its first POST too.
 * 4. 401: refresh and retry once; a refused refresh or a second 401 ends the session (`onSessionEnded`).
 * 5. 201 with an empty body (Epic without Prefer, Oracle always): the id comes from `Location` when CORS exposes
 *    it, else from a search by identifier; a 2xx is a success even when neither works.
 */
import type { DocumentReference } from 'fhir/r4';
import { FhirError, toFhirError } from '../../../lib/fhir/errors.ts';
import { base64ToBytes } from './base64.ts';
import { identifierToken, URI_IDENTIFIER_SYSTEM } from './documentReference.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retryPolicy.ts';

export interface CreateResponse {
  readonly status: number;
  /** Parsed JSON body, or undefined when the body was empty. */
  readonly body: unknown;
  /** The `Location` header, when the server sent it and CORS lets us read it. */
  readonly location: string | undefined;
}

export interface SaveTransport {
  /** Refreshes the token when it expires soon and a refresh token exists; resolves at once otherwise. */
  refreshIfNeeded(): Promise<void>;
  /** Refreshes the token now; rejects when there is no refresh token or the EHR refuses it. */
  refresh(): Promise<void>;
  /** POST DocumentReference. Resolves for any 2xx; rejects (FhirError, or what toFhirError understands) otherwise. */
  create(resource: DocumentReference, headers: Readonly<Record<string, string>>): Promise<CreateResponse>;
  /** `DocumentReference?patient=<id>&identifier=<system|value>`: the matching notes. */
  searchByIdentifier(patientId: string, token: string): Promise<readonly unknown[]>;
}

export type ConfirmedBy = 'response' | 'location' | 'search' | 'status';

export interface NoteFiled {
  /** The server's id for the note, when it could be learned. */
  readonly id: string | undefined;
  /** The note as the server holds it, when it sent or returned it. */
  readonly resource: DocumentReference | undefined;
  /** How the filing was confirmed: the POST's body, its Location, a search for the identifier, or a bare 2xx. */
  readonly confirmedBy: ConfirmedBy;
  /**
   * False when a search found a note with this identifier but a different text: an earlier attempt, whose
   * outcome was unknown, was stored before the clinician changed the draft. The changes are not filed.
   */
  readonly matchesDraft: boolean;
  /** POSTs sent. */
  readonly posts: number;
}

/** A save that failed; `mayBeStored` says whether any POST of it may have reached the EHR's database. */
export class NoteSaveError extends FhirError {
  readonly mayBeStored: boolean;

  constructor(error: FhirError, mayBeStored: boolean) {
    super(error.kind, error.message, { status: error.status, issues: error.issues, cause: error });
    this.mayBeStored = mayBeStored;
  }
}

export type SaveProgress =
  | { readonly type: 'posting'; readonly attempt: number }
  | { readonly type: 'checking' }
  | { readonly type: 'waiting'; readonly delayMs: number; readonly nextAttempt: number }
  | { readonly type: 'refreshing' };

export interface SaveRequest {
  readonly resource: DocumentReference;
  readonly patientId: string;
  /** `urn:uuid:…`, also in `resource.identifier`. */
  readonly identifier: string;
  /** An earlier save of this draft may have been stored: search before the first POST. */
  readonly priorOutcomeUnknown?: boolean;
}

export interface SaveOptions {
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onSessionEnded?: (reason: string) => void;
  readonly onProgress?: (progress: SaveProgress) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const SESSION_ENDED_REASON =
  'The EHR no longer accepts this session: reopen MOVO-X from the patient’s chart.';

function isDocumentReference(value: unknown): value is DocumentReference {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === 'DocumentReference'
  );
}

function hasIdentifier(resource: DocumentReference, identifier: string): boolean {
  return (
    Array.isArray(resource.identifier) &&
    resource.identifier.some((id) => id.system === URI_IDENTIFIER_SYSTEM && id.value === identifier)
  );
}

/** `…/DocumentReference/123/_history/1` or `DocumentReference/123` → `123`. */
export function idFromLocation(location: string | undefined): string | undefined {
  const match = location
    ? /(?:^|\/)DocumentReference\/([A-Za-z0-9\-.]{1,64})(?:\/|$|\?)/.exec(location)
    : null;
  return match?.[1];
}

function attachmentBytes(resource: DocumentReference): Uint8Array | undefined {
  const data = resource.content[0]?.attachment.data;
  return typeof data === 'string' ? base64ToBytes(data) : undefined;
}

/** Same text, byte for byte; true when the stored note carries no inline data to compare (Epic may move it to a Binary). */
export function sameNoteText(stored: DocumentReference, sent: DocumentReference): boolean {
  const storedBytes = Array.isArray(stored.content) ? attachmentBytes(stored) : undefined;
  const sentBytes = attachmentBytes(sent);
  if (!storedBytes || !sentBytes) return true;
  return (
    storedBytes.length === sentBytes.length && storedBytes.every((byte, index) => byte === sentBytes[index])
  );
}

function sessionEnded(cause: unknown): FhirError {
  return new FhirError('session-ended', SESSION_ENDED_REASON, { cause });
}

export async function saveNote(
  request: SaveRequest,
  transport: SaveTransport,
  options: SaveOptions = {},
): Promise<NoteFiled> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const progress = options.onProgress ?? (() => undefined);
  const token = identifierToken(request.identifier);
  const headers = { 'If-None-Exist': `identifier=${token}`, Prefer: 'return=representation' };

  let mayBeStored = request.priorOutcomeUnknown ?? false;
  let failedAttempts = 0;
  let refreshedAfter401 = false;
  let posts = 0;

  // Only a note that carries our identifier counts: a server that ignores an unsupported search parameter
  // (FHIR lets it, http://hl7.org/fhir/R4/search.html#errors) would otherwise return every note of the patient.
  const findStored = async (): Promise<DocumentReference | undefined> => {
    const matches = await transport.searchByIdentifier(request.patientId, token);
    return matches.find(
      (match): match is DocumentReference =>
        isDocumentReference(match) && hasIdentifier(match, request.identifier),
    );
  };

  const filedFromSearch = (found: DocumentReference): NoteFiled => ({
    id: found.id,
    resource: found,
    confirmedBy: 'search',
    matchesDraft: sameNoteText(found, request.resource),
    posts,
  });

  /** After a 2xx the note is filed: learning its id is a bonus, and no failure here may turn into a retry. */
  const confirm = async (response: CreateResponse): Promise<NoteFiled> => {
    if (isDocumentReference(response.body)) {
      return {
        id: response.body.id,
        resource: response.body,
        confirmedBy: 'response',
        matchesDraft: true,
        posts,
      };
    }
    const id = idFromLocation(response.location);
    if (id) return { id, resource: undefined, confirmedBy: 'location', matchesDraft: true, posts };
    try {
      const found = await findStored();
      if (found) return { ...filedFromSearch(found), matchesDraft: true };
    } catch {
      // The 2xx already told us the note is filed; the list read-back will show it.
    }
    return { id: undefined, resource: undefined, confirmedBy: 'status', matchesDraft: true, posts };
  };

  const fail = (error: FhirError): NoteSaveError => {
    if (error.kind === 'session-ended') options.onSessionEnded?.(error.message);
    return new NoteSaveError(error, mayBeStored);
  };

  for (;;) {
    let posted = false;
    let response: CreateResponse;
    try {
      try {
        await transport.refreshIfNeeded();
      } catch (refreshError) {
        // A network failure may pass; a refused refresh token will not (fhirclient has already dropped it).
        const error = toFhirError(refreshError);
        throw error.kind === 'network' || error.kind === 'timeout' ? error : sessionEnded(refreshError);
      }
      if (mayBeStored) {
        progress({ type: 'checking' });
        const found = await findStored();
        if (found) return filedFromSearch(found);
      }
      posts += 1;
      posted = true;
      progress({ type: 'posting', attempt: posts });
      response = await transport.create(request.resource, headers);
    } catch (raw) {
      const error = toFhirError(raw);
      if (posted && error.outcomeUnknown) mayBeStored = true;
      if (error.outcomeUnknown) failedAttempts += 1;
      const decision = decideRetry(error, { failedAttempts, refreshedAfter401 }, policy);
      switch (decision.action) {
        case 'retry':
          progress({ type: 'waiting', delayMs: decision.delayMs, nextAttempt: failedAttempts + 1 });
          await sleep(decision.delayMs);
          continue;
        case 'refresh-then-retry':
          refreshedAfter401 = true;
          progress({ type: 'refreshing' });
          try {
            await transport.refresh();
          } catch (refreshError) {
            throw fail(sessionEnded(refreshError));
          }
          continue;
        case 'session-ended':
          throw fail(error.kind === 'session-ended' ? error : sessionEnded(error));
        case 'stop':
          throw fail(error);
      }
    }
    return confirm(response);
  }
}
