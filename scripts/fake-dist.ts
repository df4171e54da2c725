/**
 * Test support: a minimal build output (the shape `vite build` produces) in a temporary directory, so that the
 * preview server, the deployment checker and the nginx sample can be tested without building the app.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { appIdentityFromEnv, clientMetadata } from '../config/client-metadata.ts';

export const FAKE_ASSETS = {
  indexScript: '/assets/index-AbC123xy.js',
  indexStyle: '/assets/index-XyZ789ab.css',
  launchScript: '/assets/launch-Def456gh.js',
} as const;

export interface FakeDist {
  /** The build output; `../outside.txt` exists beside it. */
  readonly dir: string;
  /** Writes /smart/client-metadata.json as `npm run build` would for APP_PUBLIC_URL = origin. */
  writeMetadata(origin: string, env?: Readonly<Record<string, string>>): void;
  write(path: string, content: string): void;
  remove(): void;
}

export function createFakeDist(): FakeDist {
  const base = mkdtempSync(join(tmpdir(), 'movo-fake-dist-'));
  const dir = join(base, 'dist');
  // Beside dist/, never to be served (path traversal tests).
  writeFileSync(join(base, 'outside.txt'), 'outside of dist\n');
  const write = (path: string, content: string): void => {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  write(
    'index.html',
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>MOVO-X</title>` +
      `<script type="module" crossorigin src="${FAKE_ASSETS.indexScript}"></script>` +
      `<link rel="stylesheet" crossorigin href="${FAKE_ASSETS.indexStyle}"></head>` +
      `<body><div id="root"></div></body></html>\n`,
  );
  write(
    'launch.html',
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>MOVO-X launch</title>` +
      `<script type="module" crossorigin src="${FAKE_ASSETS.launchScript}"></script></head><body></body></html>\n`,
  );
  write(FAKE_ASSETS.indexScript, 'document.getElementById("root").textContent = "MOVO-X";\n');
  write(FAKE_ASSETS.indexStyle, 'body { margin: 0; }\n');
  write(FAKE_ASSETS.launchScript, 'console.log("launch");\n');
  write('logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n');
  write('.env', 'SECRET=do-not-serve\n');
  // The copy `npm run build` makes; the preview server must answer with its own registrations instead.
  write('config/registrations.json', '{"registrations":[]}\n');
  return {
    dir,
    write,
    writeMetadata(origin, env = {}) {
      write(
        'smart/client-metadata.json',
        JSON.stringify(
          clientMetadata(appIdentityFromEnv({ APP_PUBLIC_URL: origin, ...env }, '0.1.0')),
          null,
          2,
        ),
      );
    },
    remove() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
