import { QueryClient } from '@tanstack/react-query';

/**
 * The app's QueryClient. A FHIR 4xx is a decision, not a glitch: retry only what may succeed on a second try.
 * Launch-scoped data never goes stale by itself within a launch (the EHR context is fixed for the launch).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
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
