/** Clinical snippets for the note editor, from the same cached history as the panel (no extra request). */
import { useMemo } from 'react';
import { buildOverview } from '../model/overview.ts';
import { clinicalSnippets, type ClinicalSnippet } from '../model/snippets.ts';
import { useObservationHistory } from './history.ts';

export function useClinicalSnippets(): ClinicalSnippet[] {
  const { data } = useObservationHistory();
  const store = data?.store;
  return useMemo(() => (store ? clinicalSnippets(buildOverview(store)) : []), [store]);
}
