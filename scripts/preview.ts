/**
 * `npm run preview`: serves dist/ (run `npm run build` first) with the production headers.
 *
 * PREVIEW_PORT (default 4173). Registrations: the JSON file named by MOVO_REGISTRATIONS, or else the local
 * sandbox EHR on SANDBOX_PORT (default 4010), as in development.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRegistrations, type RegistrationsFile } from '../src/config/registrations.ts';
import { sandboxRegistrations } from '../config/sandbox-registrations.ts';
import { startPreview } from './preview-server.ts';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name}: "${raw ?? ''}" is not a TCP port`);
  }
  return value;
}

function registrations(): { file: RegistrationsFile; source: string } {
  const path = process.env.MOVO_REGISTRATIONS;
  if (path) {
    try {
      return {
        file: parseRegistrations(JSON.parse(readFileSync(resolve(path), 'utf8'))),
        source: resolve(path),
      };
    } catch (error) {
      throw new Error(
        `MOVO_REGISTRATIONS=${path}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  const sandboxPort = port('SANDBOX_PORT', 4010);
  return { file: sandboxRegistrations(sandboxPort), source: `local sandbox EHR on port ${sandboxPort}` };
}

async function main(): Promise<void> {
  const distDir = resolve('dist');
  if (!existsSync(resolve(distDir, 'index.html'))) {
    console.error(`No build in ${distDir}: run \`npm run build\` first.`);
    process.exit(1);
  }
  const { file, source } = registrations();
  const preview = await startPreview({ port: port('PREVIEW_PORT', 4173), distDir, registrations: file });
  console.info(`MOVO-X preview with production headers: ${preview.origin}/`);
  console.info(`  launch URL:   ${preview.origin}/launch.html`);
  console.info(`  registrations: ${source}`);
  const stop = (): void => {
    preview.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
