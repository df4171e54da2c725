/**
 * Query keys of the observations feature. Every key starts with the launch identity (FHIR base, patient), so a new
 * launch never sees the previous one's cache (TanStack Query guides/query-keys: key factories).
 */
import { launchKey, type LaunchIdentity } from '../../../session/session.ts';

export const observationKeys = {
  all: (identity: LaunchIdentity) => [...launchKey(identity), 'observations'] as const,
  /** The whole history of the patient, one stream (see history.ts). */
  history: (identity: LaunchIdentity, pageSize: number) =>
    [...observationKeys.all(identity), 'history', { pageSize }] as const,
};
