import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach } from 'vitest';
import { mswServer } from './msw.ts';

// At module load, not in beforeAll: fhirclient captures `window.fetch` when it is first imported
// (client-js src/lib.ts), so msw must have patched fetch before any test file imports fhirclient.
mswServer.listen({ onUnhandledRequest: 'error' });

afterEach(() => {
  cleanup();
  mswServer.resetHandlers();
  sessionStorage.clear();
  localStorage.clear();
});

afterAll(() => {
  mswServer.close();
});
