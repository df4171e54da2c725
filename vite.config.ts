import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { devRegistrationsPlugin } from './config/vite-dev-registrations.ts';
import { registrationPackagePlugin } from './config/vite-build-registration.ts';
import { prefetchAppFromLaunchPage } from './config/vite-prefetch-app.ts';

// Two entries with two jobs: launch.html only authorises (no React), index.html runs the app.
export default defineConfig({
  plugins: [react(), devRegistrationsPlugin(), registrationPackagePlugin(), prefetchAppFromLaunchPage()],
  define: {
    // Drops fhirclient's fetch/AbortController polyfills: every supported browser has both (~9 KB gzip saved).
    FHIRCLIENT_PURE: 'true',
  },
  resolve: {
    alias: [
      // fhirclient's debug logging can print token responses (localStorage.debug = "FHIR.*"): silenced in the
      // browser build, which also saves ~2 KB gzip on the launch page.
      { find: /^debug$/, replacement: resolve(import.meta.dirname, 'tools/debug-silenced/index.cjs') },
    ],
  },
  server: {
    host: 'localhost',
    port: Number(process.env.APP_PORT ?? 5173),
    strictPort: true,
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        launch: resolve(import.meta.dirname, 'launch.html'),
      },
    },
  },
});
