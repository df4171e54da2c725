/**
 * `npm run sandbox`: the sandbox EHR alone.
 *   SANDBOX_PORT  port (default 4010)
 *   APP_ORIGINS   comma-separated origins where MOVO-X runs (default http://localhost:5173,http://localhost:4173)
 *   SANDBOX_SEED  data seed (default fixed)
 *   SANDBOX_HEAVY_PATIENT=0  leave out the 28,000-observation ICU patient (faster start)
 */
import { DEFAULT_SEED } from './data/generate.ts';
import { DEFAULT_APP_ORIGINS, startSandbox } from './server.ts';

const DEFAULT_PORT = 4010;

function integerFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    console.error(`${name} must be a non-negative integer (got "${value}").`);
    process.exit(2);
  }
  return parsed;
}

const started = performance.now();
const sandbox = await startSandbox({
  port: integerFromEnv('SANDBOX_PORT', DEFAULT_PORT),
  appOrigins: process.env.APP_ORIGINS
    ? process.env.APP_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean)
    : DEFAULT_APP_ORIGINS,
  seed: integerFromEnv('SANDBOX_SEED', DEFAULT_SEED),
  heavyPatient: process.env.SANDBOX_HEAVY_PATIENT !== '0',
});

console.log(`Sandbox EHR ready in ${Math.round(performance.now() - started)} ms`);
console.log(`  EHR (open this):  ${sandbox.ehrUrl}`);
console.log(`  FHIR R4 base:     ${sandbox.fhirBaseUrl}`);
console.log(`  SMART v1 base:    ${sandbox.origin}/v1/fhir`);

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`Sandbox EHR stopping (${signal})`);
  sandbox.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => {
  stop('SIGINT');
});
process.on('SIGTERM', () => {
  stop('SIGTERM');
});
