/**
 * index.html: the session is started before React renders, exactly once (StrictMode renders twice in
 * development; the authorization code is single-use).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startSession } from './session/ready.ts';
import { App } from './app/App.tsx';
import './styles/app.css';

const root = document.getElementById('root');
if (root) {
  // startSession() never rejects: every failure is a SessionStart the App renders.
  void startSession()
    .catch((error: unknown) => ({
      state: 'failed' as const,
      message: error instanceof Error ? error.message : String(error),
    }))
    .then((start) => {
      createRoot(root).render(
        <StrictMode>
          <App start={start} />
        </StrictMode>,
      );
    });
}
