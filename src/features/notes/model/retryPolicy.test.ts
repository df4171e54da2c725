import { describe, expect, it } from 'vitest';
import type { FhirErrorKind } from '../../../lib/fhir/errors.ts';
import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY } from './retryPolicy.ts';

const first = { failedAttempts: 1, refreshedAfter401: false };

describe('decideRetry', () => {
  it.each<FhirErrorKind>(['network', 'timeout', 'server'])(
    'retries %s with backoff, 3 attempts in all',
    (kind) => {
      expect(decideRetry({ kind }, first)).toEqual({ action: 'retry', delayMs: 1000 });
      expect(decideRetry({ kind }, { ...first, failedAttempts: 2 })).toEqual({
        action: 'retry',
        delayMs: 2000,
      });
      expect(decideRetry({ kind }, { ...first, failedAttempts: 3 })).toEqual({ action: 'stop' });
    },
  );

  it.each<FhirErrorKind>(['invalid', 'forbidden', 'conflict', 'precondition', 'not-found', 'unreadable'])(
    'never retries %s: the EHR decided',
    (kind) => {
      expect(decideRetry({ kind }, { failedAttempts: 0, refreshedAfter401: false })).toEqual({
        action: 'stop',
      });
    },
  );

  it('refreshes once after a 401, then ends the session', () => {
    expect(decideRetry({ kind: 'unauthorized' }, { failedAttempts: 0, refreshedAfter401: false })).toEqual({
      action: 'refresh-then-retry',
    });
    expect(decideRetry({ kind: 'unauthorized' }, { failedAttempts: 0, refreshedAfter401: true })).toEqual({
      action: 'session-ended',
    });
    expect(decideRetry({ kind: 'session-ended' }, { failedAttempts: 0, refreshedAfter401: false })).toEqual({
      action: 'session-ended',
    });
  });

  it('doubles the delay: 1 s, 2 s, 4 s', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, DEFAULT_RETRY_POLICY))).toEqual([1000, 2000, 4000]);
    expect(decideRetry({ kind: 'network' }, first, { maxAttempts: 5, baseDelayMs: 10 })).toEqual({
      action: 'retry',
      delayMs: 10,
    });
  });
});
