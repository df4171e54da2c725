/** Query keys of the notes feature; every key starts with the launch identity (src/session/session.ts). */
import { launchKey, type LaunchIdentity } from '../../../session/session.ts';

export const noteKeys = {
  all: (identity: LaunchIdentity) => [...launchKey(identity), 'notes'] as const,
  list: (identity: LaunchIdentity) => [...noteKeys.all(identity), 'list'] as const,
  content: (identity: LaunchIdentity, noteId: string) =>
    [...noteKeys.all(identity), 'content', noteId] as const,
};
