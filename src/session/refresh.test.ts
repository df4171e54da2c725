import { describe, expect, it } from 'vitest';
import FHIR from 'fhirclient';
import { isSessionGone, secondsUntilRefresh } from './refresh.ts';

function client(tokenResponse: Record<string, unknown>, expiresAt: number | undefined) {
  return FHIR.client({
    serverUrl: 'https://ehr.test/fhir',
    tokenResponse,
    ...(expiresAt ? { expiresAt } : {}),
  });
}

describe('token refresh timing', () => {
  const now = 1_000_000;

  it('renews a short token a quarter of its life early, a long one 15 s early', () => {
    expect(secondsUntilRefresh(client({ access_token: 'a', refresh_token: 'r' }, now + 20), now)).toBe(15);
    expect(secondsUntilRefresh(client({ access_token: 'a', refresh_token: 'r' }, now + 570), now)).toBe(555);
    expect(secondsUntilRefresh(client({ access_token: 'a', refresh_token: 'r' }, now - 5), now)).toBe(0);
  });

  it('does not schedule a refresh without a refresh token or an expiry', () => {
    expect(secondsUntilRefresh(client({ access_token: 'a' }, now + 20), now)).toBeUndefined();
    expect(
      secondsUntilRefresh(client({ access_token: 'a', refresh_token: 'r' }, undefined), now),
    ).toBeUndefined();
  });
});

describe('isSessionGone', () => {
  const now = 1_000_000;
  it('is gone without an access token, or when expired with no refresh token', () => {
    expect(isSessionGone(client({}, now + 100), now)).toBe(true);
    expect(isSessionGone(client({ access_token: 'a' }, now - 1), now)).toBe(true);
  });
  it('is alive while the token is valid or can be refreshed', () => {
    expect(isSessionGone(client({ access_token: 'a' }, now + 100), now)).toBe(false);
    expect(isSessionGone(client({ access_token: 'a', refresh_token: 'r' }, now - 1), now)).toBe(false);
  });
});
