/**
 * When a failed note save is tried again. Pure.
 *
 * - The outcome is unknown (network drop, timeout, 5xx: the EHR may have stored the note): retry with
 *   exponential backoff (1 s, 2 s, …) up to `maxAttempts` attempts in all; the save algorithm searches for the
 *   note's identifier before each such retry.
 * - 401: the access token was refused: refresh it and retry once (SMART App Launch, refresh tokens:
 *   https://hl7.org/fhir/smart-app-launch/app-launch.html#step-6-app-uses-a-refresh-token-to-obtain-a-new-access-token).
 *   A second 401, or a refused refresh, ends the session: only a relaunch from the EHR helps.
 * - The EHR decided (400/422 invalid, 403 forbidden, 404, 409 conflict, 412 precondition): the same request
 *   would get the same answer; never retried automatically.
 */
import type { FhirError } from '../../../lib/fhir/errors.ts';

export interface RetryPolicy {
  /** Attempts in all for failures with an unknown outcome (the first one included). */
  readonly maxAttempts: number;
  /** The wait before the second attempt; doubled for each further one. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000 };

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'refresh-then-retry' }
  | { readonly action: 'session-ended' }
  | { readonly action: 'stop' };

export interface RetryState {
  /** Attempts made so far that failed with an unknown outcome (1 after the first such failure). */
  readonly failedAttempts: number;
  /** Whether a refresh after a 401 has already been tried during this save. */
  readonly refreshedAfter401: boolean;
}

/** 1 s, 2 s, 4 s… for the 1st, 2nd, 3rd failed attempt. */
export function backoffDelay(failedAttempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  return policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1);
}

export function decideRetry(
  error: Pick<FhirError, 'kind'>,
  state: RetryState,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'server':
      return state.failedAttempts < policy.maxAttempts
        ? { action: 'retry', delayMs: backoffDelay(state.failedAttempts, policy) }
        : { action: 'stop' };
    case 'unauthorized':
      return state.refreshedAfter401 ? { action: 'session-ended' } : { action: 'refresh-then-retry' };
    case 'session-ended':
      return { action: 'session-ended' };
    case 'invalid':
    case 'forbidden':
    case 'not-found':
    case 'conflict':
    case 'precondition':
    case 'unreadable':
      return { action: 'stop' };
  }
}
