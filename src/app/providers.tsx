import { useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { SessionContext, type Session } from '../session/session.ts';
import { isSessionGone } from '../session/refresh.ts';
import { reportSessionEnded } from '../session/sessionStatus.ts';
import { createQueryClient } from './queryClient.ts';

/**
 * One SMART client (in the Session, created once by ready()) and one QueryClient per launch. Any failed request
 * after which the session cannot work any more shows the relaunch screen; the app stays mounted beneath it.
 */
export function AppProviders({ session, children }: { session: Session; children: ReactNode }) {
  const [queryClient] = useState(() =>
    createQueryClient((error) => {
      if (error.kind === 'unauthorized' || error.kind === 'session-ended' || isSessionGone(session.client)) {
        reportSessionEnded('The session with the EHR has ended.');
      }
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
    </QueryClientProvider>
  );
}
