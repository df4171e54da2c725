/**
 * `npm start`: the sandbox EHR (http://127.0.0.1:SANDBOX_PORT) and MOVO-X's dev server
 * (http://localhost:APP_PORT) together — two different sites, so the app always runs cross-site in the EHR's
 * frame, as in Epic or Oracle Health. Prints the one URL to open. Ctrl-C stops both.
 */
import { createServer } from 'vite';
import { startSandbox } from '../sandbox/server.ts';

const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const appPort = Number(process.env.APP_PORT ?? 5173);
// The dev server's /config/registrations.json registers the sandbox on this port (config/vite-dev-registrations.ts).
process.env.SANDBOX_PORT = String(sandboxPort);
// Shown by index.html's "open MOVO-X from the EHR" page in development (Vite exposes VITE_* variables).
process.env.VITE_SANDBOX_EHR_URL = `http://127.0.0.1:${sandboxPort}/ehr`;

const appOrigin = `http://localhost:${appPort}`;
const sandbox = await startSandbox({ port: sandboxPort, appOrigins: [appOrigin] });
const vite = await createServer({ server: { port: appPort, strictPort: true, host: 'localhost' } });
await vite.listen();

console.log(`
MOVO-X development

  Open the sandbox EHR:  ${sandbox.ehrUrl}
  (pick a patient and launch MOVO-X inside the EHR's frame)

  FHIR server:           ${sandbox.fhirBaseUrl}
  MOVO-X dev server:     ${appOrigin}/launch.html

Ctrl-C stops both.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([vite.close(), sandbox.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
