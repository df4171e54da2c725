/**
 * Starts what the end-to-end tests run against, on free loopback ports:
 * - the sandbox EHR on 127.0.0.1 (its heavy patient included),
 * - MOVO-X's production build on localhost, served with its production security headers (scripts/preview-server.ts),
 *   registered with that sandbox.
 * The app is built first, so the suite always tests the current code.
 */
import { build } from 'vite';
import { startSandbox } from '../sandbox/server.ts';
import { startPreview } from '../scripts/preview-server.ts';
import { sandboxRegistrations } from '../config/sandbox-registrations.ts';
import { freePort } from './ports.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const started = Date.now();
  if (!process.env.E2E_SKIP_BUILD) await build({ logLevel: 'warn' });
  const builtAt = Date.now();
  const appPort = await freePort('127.0.0.1');
  const appOrigin = `http://localhost:${appPort}`;
  const sandbox = await startSandbox({ port: 0, appOrigins: [appOrigin] });
  const sandboxPort = Number(new URL(sandbox.origin).port);
  const preview = await startPreview({
    port: appPort,
    host: 'localhost',
    registrations: sandboxRegistrations(sandboxPort),
  });
  process.env.E2E_SANDBOX_ORIGIN = sandbox.origin;
  process.env.E2E_APP_ORIGIN = preview.origin;
  console.log(
    `e2e: built in ${builtAt - started} ms; sandbox ${sandbox.origin} and app ${preview.origin} ready in ${Date.now() - builtAt} ms`,
  );
  return async () => {
    await Promise.allSettled([preview.close(), sandbox.close()]);
  };
}
