/**
 * One error type for every FHIR or OAuth failure, registered as react-query's default error type so that the UI
 * never handles `unknown`. Keeps the HTTP status and the OperationOutcome's messages (FHIR R4 §3.1.0.4,
 * http://hl7.org/fhir/R4/http.html#summary).
 */
import type { OperationOutcome } from 'fhir/r4';
// Augmented below: react-query's default error type is FhirError.
import type {} from '@tanstack/react-query';

export type FhirErrorKind =
  | 'network' // no HTTP answer at all: offline, DNS, CORS, connection reset
  | 'timeout'
  | 'unauthorized' // 401: the session ended; a SMART app says "reopen from the EHR", never shows a login page
  | 'forbidden' // 403: the EHR did not grant or allow this
  | 'not-found'
  | 'conflict' // 409
  | 'precondition' // 412
  | 'invalid' // 400 / 422 with the server's reasons
  | 'server' // 5xx
  | 'session-ended' // no refresh token, or refresh refused
  | 'unreadable'; // a 2xx answer that is not the FHIR we asked for

export class FhirError extends Error {
  override readonly name = 'FhirError';
  readonly kind: FhirErrorKind;
  readonly status: number | undefined;
  /** Human-readable diagnostics from the OperationOutcome, in server order; empty when the server sent none. */
  readonly issues: readonly string[];

  constructor(
    kind: FhirErrorKind,
    message: string,
    options: { status?: number; issues?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.issues = options.issues ?? [];
  }

  /** The outcome of the request is unknown (the server may have acted): a retry must check first. */
  get outcomeUnknown(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'server';
  }
}

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: FhirError;
  }
}

export function kindForStatus(status: number): FhirErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition';
  if (status === 400 || status === 422) return 'invalid';
  if (status >= 500) return 'server';
  return 'invalid';
}

/** The messages of an OperationOutcome: `diagnostics`, else `details.text`, else the issue code. */
export function operationOutcomeMessages(outcome: unknown): string[] {
  if (!isOperationOutcome(outcome)) return [];
  return outcome.issue.map(
    (issue) => issue.diagnostics ?? issue.details?.text ?? issue.details?.coding?.[0]?.display ?? issue.code,
  );
}

function isOperationOutcome(value: unknown): value is OperationOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === 'OperationOutcome' &&
    Array.isArray((value as { issue?: unknown }).issue)
  );
}

const defaultMessages: Record<FhirErrorKind, string> = {
  network: 'The EHR could not be reached. Check the network connection.',
  timeout: 'The EHR did not answer in time.',
  unauthorized: 'The session with the EHR has ended.',
  forbidden: 'The EHR did not allow MOVO-X to do this.',
  'not-found': 'The EHR has no such record.',
  conflict: 'The EHR reported a conflict with another change.',
  precondition: 'The record changed on the EHR since it was read.',
  invalid: 'The EHR refused the request.',
  server: 'The EHR reported an internal error.',
  'session-ended': 'The session with the EHR has ended.',
  unreadable: 'The EHR sent an answer MOVO-X cannot read.',
};

/**
 * fhirclient's HttpError consumes the response body and appends it to `message` after a blank line
 * (client-js src/HttpError.ts): recover the OperationOutcome from there.
 */
function outcomeFromHttpErrorMessage(message: string): unknown {
  const start = message.indexOf('\n\n');
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start + 2)) as unknown;
  } catch {
    return undefined;
  }
}

/** Normalises anything a fetch, fhirclient or our own code threw into a FhirError. */
export function toFhirError(error: unknown): FhirError {
  if (error instanceof FhirError) return error;
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new FhirError(error.name === 'TimeoutError' ? 'timeout' : 'network', defaultMessages.timeout, {
      cause: error,
    });
  }
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status > 0) {
      const kind = kindForStatus(status);
      const issues = operationOutcomeMessages(outcomeFromHttpErrorMessage(error.message));
      return new FhirError(kind, defaultMessages[kind], { status, issues, cause: error });
    }
    if (error.name === 'TypeError' || /Failed to fetch|NetworkError|Load failed/i.test(error.message)) {
      return new FhirError('network', defaultMessages.network, { cause: error });
    }
    return new FhirError('unreadable', error.message, { cause: error });
  }
  return new FhirError('unreadable', defaultMessages.unreadable, { cause: error });
}

/** What a clinician reads for an error: the server's own reasons when it gave any. */
export function describeFhirError(error: FhirError): string {
  return error.issues.length > 0 ? `${error.message} ${error.issues.join(' ')}` : error.message;
}
