/**
 * Keeping the session alive. fhirclient refreshes inside `request()` 10 s before expiry, but not in
 * `create()`/`update()` and not while the clinician is only typing: refresh ahead of expiry ourselves, so a
 * 20-second token (or Oracle's 570 s) never interrupts the clinician.
 */
import { useEffect } from 'react';
import type Client from 'fhirclient/lib/Client';
import { reportSessionEnded } from './sessionStatus.ts';

const REFRESH_MARGIN_SECONDS = 15;

interface TokenState {
  access_token?: unknown;
  refresh_token?: unknown;
}

function tokenState(client: Client): TokenState {
  return client.state.tokenResponse ?? {};
}

/** True when no request can succeed any more: no access token, or an expired one that cannot be refreshed. */
export function isSessionGone(client: Client, nowSeconds = Date.now() / 1000): boolean {
  const token = tokenState(client);
  if (typeof token.access_token !== 'string') return true;
  const expiresAt = client.state.expiresAt;
  const expired = typeof expiresAt === 'number' && expiresAt <= nowSeconds;
  return expired && typeof token.refresh_token !== 'string';
}

/** Seconds until the next refresh should run, or undefined when the session cannot be refreshed. */
export function secondsUntilRefresh(client: Client, nowSeconds = Date.now() / 1000): number | undefined {
  const expiresAt = client.state.expiresAt;
  if (typeof expiresAt !== 'number' || typeof tokenState(client).refresh_token !== 'string') return undefined;
  const remaining = expiresAt - nowSeconds;
  // A quarter of the token's remaining life, at most 15 s ahead: a 20 s token is renewed after 15 s, Oracle's
  // 570 s token after 555 s.
  return Math.max(0, remaining - Math.min(REFRESH_MARGIN_SECONDS, remaining / 4));
}

export function useProactiveRefresh(client: Client, canRefresh: boolean): void {
  useEffect(() => {
    if (!canRefresh) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = () => {
      const wait = secondsUntilRefresh(client);
      if (wait === undefined || stopped) return;
      timer = setTimeout(() => {
        client.refresh().then(schedule, () => {
          if (!stopped) reportSessionEnded('The EHR did not renew MOVO-X’s access.');
        });
      }, wait * 1000);
    };
    schedule();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [client, canRefresh]);
}
