import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { FhirError } from '../lib/fhir/errors.ts';

/**
 * The app's QueryClient. A FHIR 4xx is a decision, not a glitch: retry only what may succeed on a second try.
 * Launch-scoped data does not go stale by itself within a launch (the EHR context is fixed for the launch).
 * `onError` sees every failed query and mutation (the shell uses it to detect an ended session).
 */
export function createQueryClient(onError: (error: FhirError) => void = () => undefined): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5 * 60_000,
        gcTime: 30 * 60_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => failureCount < 2 && error.outcomeUnknown,
      },
      mutations: { retry: false },
    },
  });
}
