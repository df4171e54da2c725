import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRegistrations } from '../config/sandbox-registrations.ts';
import { headersForPath } from '../config/security-headers.ts';
import { mswServer } from '../src/testing/msw.ts';
import { checkDeployment, formatResults, type CheckResult } from './deployment-checks.ts';
import { createFakeDist, FAKE_ASSETS, type FakeDist } from './fake-dist.ts';
import { startPreview, type PreviewServer } from './preview-server.ts';

const registrations = sandboxRegistrations(45124);
let dist: FakeDist;
let preview: PreviewServer;

beforeAll(async () => {
  // The app project's setup (src/testing/setup.ts) puts msw in front of every request; these tests talk to
  // real local servers, so msw is off for this file.
  mswServer.close();
  dist = createFakeDist();
  preview = await startPreview({ port: 0, distDir: dist.dir, registrations });
  // Built "for" this origin, as `APP_PUBLIC_URL=<origin> npm run build` would.
  dist.writeMetadata(preview.origin);
});

afterAll(async () => {
  await preview.close();
  dist.remove();
});

const failures = (results: readonly CheckResult[]): string[] =>
  results.filter((result) => result.status === 'fail').map((result) => result.name);

describe('checkDeployment against the preview server', () => {
  it('passes every check, and names what it checked', async () => {
    const results = await checkDeployment(`${preview.origin}/`);
    expect(failures(results)).toEqual([]);
    const names = results.map((result) => result.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'registrations: valid',
        'GET /: CSP frame-ancestors http://127.0.0.1:45124',
        "GET /launch.html: CSP connect-src 'self' http://127.0.0.1:45124",
        'GET /: no X-Frame-Options (frame-ancestors decides)',
        'GET /launch.html: Referrer-Policy no-referrer',
        'GET /config/registrations.json: not cached (no-cache)',
        `GET ${FAKE_ASSETS.indexScript}: cached immutable for a year`,
        `client metadata: redirect_uris on ${preview.origin}, no fragment`,
        'client metadata: scope matches the scopes MOVO-X requests (v2)',
      ]),
    );
    // The default build identity is a placeholder: said, but not a failure.
    expect(results.filter((result) => result.status === 'warn').map((result) => result.name)).toEqual([
      'client metadata: contacts',
      'client metadata: policy_uri',
      'client metadata: tos_uri',
    ]);
    expect(formatResults(results).ok).toBe(true);
  });

  it('fails when the registration document was built for another origin', async () => {
    dist.writeMetadata('https://movo-x.example-hospital.org');
    try {
      const results = await checkDeployment(preview.origin);
      expect(failures(results)).toEqual([
        `client metadata: redirect_uris on ${preview.origin}, no fragment`,
        `client metadata: launch_url is ${preview.origin}/launch.html`,
      ]);
      expect(formatResults(results).ok).toBe(false);
    } finally {
      dist.writeMetadata(preview.origin);
    }
  });

  it('exits 0 from the command line on a good deployment and prints one line per check', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/check-deployment.ts', preview.origin],
      { cwd: process.cwd() },
    );
    expect(stdout).toMatch(/^PASS {2}registrations: valid$/m);
    expect(stdout).toMatch(/^OK: \d+ checks passed, 3 warnings$/m);
  });
});

describe('checkDeployment against a misconfigured host', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    // Same files, but headers as a careless host sends them: an old header snippet that predates the
    // sandbox registration, X-Frame-Options, everything cached for an hour.
    const stale = headersForPath('/', []);
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/config/registrations.json') {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=3600' });
        response.end(JSON.stringify(registrations));
        return;
      }
      const files: Record<string, [string, string]> = {
        '/': ['text/html', `<script type="module" src="${FAKE_ASSETS.indexScript}"></script>`],
        '/launch.html': ['text/html', '<p>launch</p>'],
        [FAKE_ASSETS.indexScript]: ['text/javascript', 'void 0;'],
      };
      const file = files[path];
      if (!file) {
        // A single-page-app fallback that also caches its answer for a year.
        response.writeHead(200, {
          'Content-Type': 'text/html',
          'Cache-Control': 'public, max-age=31536000, immutable',
        });
        response.end('<div id="root"></div>');
        return;
      }
      response.writeHead(200, {
        ...stale,
        'Content-Type': file[0],
        'Cache-Control': 'max-age=3600',
        'X-Frame-Options': 'SAMEORIGIN',
      });
      response.end(file[1]);
    });
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolveClose) =>
      server.close(() => {
        resolveClose();
      }),
    );
  });

  it('names every broken rule', async () => {
    const failed = failures(await checkDeployment(origin));
    expect(failed).toEqual(
      expect.arrayContaining([
        'GET /config/registrations.json: not cached (no-cache)',
        "GET /: CSP connect-src 'self' http://127.0.0.1:45124",
        'GET /: CSP frame-ancestors http://127.0.0.1:45124',
        'GET /: no X-Frame-Options (frame-ancestors decides)',
        'GET /: not cached (no-cache)',
        'GET /launch.html: no X-Frame-Options (frame-ancestors decides)',
        `GET ${FAKE_ASSETS.indexScript}: cached immutable for a year`,
        'GET /smart/client-metadata.json: Content-Type ^application\\/json',
        'GET /assets/movo-x-check-deployment-missing-0000.js: 404',
        'GET /assets/movo-x-check-deployment-missing-0000.js: error not cached as immutable',
      ]),
    );
    // What this host gets right is not reported as broken.
    expect(failed).not.toContain("GET /: CSP script-src 'self'");
    expect(failed).not.toContain('registrations: valid');
  });

  it('refuses plain http on a public host', async () => {
    const results = await checkDeployment('http://movo-x.invalid/', {
      fetch: () => Promise.reject(new Error('offline')),
    });
    expect(failures(results)).toContain('deployment is served over https (or on loopback)');
  });
});
