/**
 * Whether the SMART session still works. Any feature that finds the session gone (refresh refused, 401 after a
 * refresh) reports it here; the shell then shows "Session ended: reopen MOVO-X from the patient's chart" over the
 * app, without unmounting it, so nothing the clinician typed is lost (drafts are also kept locally).
 */
import { useSyncExternalStore } from 'react';

export type SessionStatus = { state: 'active' } | { state: 'ended'; reason: string };

let status: SessionStatus = { state: 'active' };
const listeners = new Set<() => void>();

export function reportSessionEnded(reason: string): void {
  if (status.state === 'ended') return;
  status = { state: 'ended', reason };
  for (const listener of listeners) listener();
}

/** Tests only: a new session starts active. */
export function resetSessionStatus(): void {
  status = { state: 'active' };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSessionStatus(): SessionStatus {
  return useSyncExternalStore(subscribe, () => status);
}
