import type { Plugin } from 'vite';
import { REGISTRATIONS_PATH } from '../src/config/registrations.ts';
import { sandboxRegistrations } from './sandbox-registrations.ts';

/**
 * In development the app is registered with the local sandbox EHR by default: the dev server answers
 * `/config/registrations.json` with the sandbox on `SANDBOX_PORT`, unless `MOVO_REGISTRATIONS` names a file.
 */
export function devRegistrationsPlugin(): Plugin {
  return {
    name: 'movo-dev-registrations',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use(REGISTRATIONS_PATH, (_request, response) => {
        const body = JSON.stringify(sandboxRegistrations(Number(process.env.SANDBOX_PORT ?? 4010)), null, 2);
        response.setHeader('Content-Type', 'application/json; charset=utf-8');
        response.setHeader('Cache-Control', 'no-store');
        response.end(body);
      });
    },
  };
}
