import { useContext } from 'react';
import { DraftStoreContext } from './useNoteDraft.ts';
import type { DraftStore } from '../model/draftStore.ts';

export function useDraftStore(): DraftStore {
  return useContext(DraftStoreContext);
}
