/** The store drafts are kept in: the app's localStorage store by default; tests provide one over a failing Storage. */
import { createContext, useContext } from 'react';
import { noteDrafts, type DraftStore } from '../model/draftStore.ts';

export const DraftStoreContext = createContext<DraftStore>(noteDrafts);

export function useDraftStore(): DraftStore {
  return useContext(DraftStoreContext);
}
