import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Under Vitest, Node resolution would pick fhirclient's server entry (no oauth2/client): use the browser one.
const fhirclientBrowser = { find: /^fhirclient$/, replacement: 'fhirclient/lib/entry/browser.js' };

export default defineConfig({
  plugins: [react()],
  define: { FHIRCLIENT_PURE: 'true' },
  test: {
    projects: [
      {
        extends: true,
        resolve: { alias: [fhirclientBrowser] },
        test: {
          name: 'app',
          include: ['src/**/*.test.{ts,tsx}', 'config/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['src/testing/setup.ts'],
          env: { TZ: 'UTC' },
        },
      },
      {
        extends: true,
        test: {
          name: 'sandbox',
          include: ['sandbox/**/*.test.ts'],
          environment: 'node',
          env: { TZ: 'UTC' },
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
