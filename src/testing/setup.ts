import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach } from 'vitest';
import { mswServer } from './msw.ts';

// At module load, not in beforeAll: fhirclient captures `window.fetch` when it is first imported
// (client-js src/lib.ts), so msw must have patched fetch before any test file imports fhirclient.
// Loopback is let through for tests that start a real local server (scripts/*.test.ts); anything else unhandled
// fails the test.
mswServer.listen({
  onUnhandledRequest(request, print) {
    const { hostname } = new URL(request.url);
    if (hostname === '127.0.0.1' || hostname === 'localhost') return;
    print.error();
  },
});

afterEach(() => {
  cleanup();
  mswServer.resetHandlers();
  // Absent under `// @vitest-environment node`.
  if (typeof sessionStorage !== 'undefined') sessionStorage.clear();
  if (typeof localStorage !== 'undefined') localStorage.clear();
});

afterAll(() => {
  mswServer.close();
});
