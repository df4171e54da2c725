import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRegistrations } from '../config/sandbox-registrations.ts';
import { parseContentSecurityPolicy } from '../config/security-headers.ts';
import type { RegistrationsFile } from '../src/config/registrations.ts';
import { mswServer } from '../src/testing/msw.ts';
import { createFakeDist, FAKE_ASSETS, type FakeDist } from './fake-dist.ts';
import { startPreview, type PreviewServer } from './preview-server.ts';

const [local] = sandboxRegistrations(45123).registrations;
if (!local) throw new Error('sandboxRegistrations() returned no registration');
type Registration = RegistrationsFile['registrations'][number];

const oracle: Registration = {
  ...local,
  id: 'oracle',
  displayName: 'Oracle test tenant',
  issuer: 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
  clientId: 'oracle-client',
  standalone: false,
  frameOrigins: [],
  connectOrigins: ['https://authorization.cerner.com/tenants/x'],
};
const registrations: RegistrationsFile = { registrations: [local, oracle] };

let dist: FakeDist;
let preview: PreviewServer;

beforeAll(async () => {
  // The app project's setup (src/testing/setup.ts) puts msw in front of every request and fails unhandled
  // ones; these tests talk to a real local server, so msw is off for this file.
  mswServer.close();
  dist = createFakeDist();
  preview = await startPreview({ port: 0, distDir: dist.dir, registrations });
});

afterAll(async () => {
  await preview.close();
  dist.remove();
});

/** A request with the path exactly as written (fetch would normalise `..` away). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveRequest, rejectRequest) => {
    const request = httpRequest(`${preview.origin}/`, { path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolveRequest({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('error', rejectRequest);
    request.end();
  });
}

const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${preview.origin}${path}`, init);

describe('startPreview', () => {
  it('listens on localhost on an ephemeral port', () => {
    expect(preview.origin).toMatch(/^http:\/\/localhost:\d+$/);
    expect(preview.origin).not.toBe('http://localhost:4173');
  });

  it('serves the HTML entries with the production headers and a CSP built from the registrations', async () => {
    for (const path of [
      '/',
      '/index.html',
      '/launch.html?iss=http%3A%2F%2F127.0.0.1%3A45123%2Ffhir&launch=abc',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBeNull();
      const csp = parseContentSecurityPolicy(response.headers.get('content-security-policy') ?? '');
      expect(csp.get('frame-ancestors')).toEqual(['http://127.0.0.1:45123']);
      expect(csp.get('connect-src')).toEqual([
        "'self'",
        'http://127.0.0.1:45123',
        'https://fhir-ehr.cerner.com',
        'https://authorization.cerner.com',
      ]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
    }
    expect(await (await get('/')).text()).toContain(FAKE_ASSETS.indexScript);
    expect(await (await get('/launch.html')).text()).toContain(FAKE_ASSETS.launchScript);
  });

  it('answers /config/registrations.json from its options, not from dist/', async () => {
    const response = await get('/config/registrations.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual(registrations);
  });

  it('caches hashed assets for a year with the right content types', async () => {
    const script = await get(FAKE_ASSETS.indexScript);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    const style = await get(FAKE_ASSETS.indexStyle);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const logo = await get('/logo.svg');
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(logo.headers.get('cache-control')).toBe('no-cache');
    // An SVG opened as a document is a document: it carries the CSP too.
    expect(logo.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers 404 for anything that is not a file of the build, without a single-page-app fallback', async () => {
    for (const path of [
      '/patient/123',
      '/index.html/',
      '/assets/',
      '/assets/missing-0000.js',
      '/.env',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/config/',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(await response.text(), path).not.toContain('<div id="root">');
    }
  });

  it('never serves a file outside dist/, whatever the encoding of the path', async () => {
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/..%5coutside.txt',
    ]) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('outside of dist');
    }
  });

  it('supports HEAD with the same headers and no body', async () => {
    const [head, getResponse] = await Promise.all([
      get('/launch.html', { method: 'HEAD' }),
      get('/launch.html'),
    ]);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of [
      'content-security-policy',
      'cache-control',
      'content-type',
      'content-length',
      'etag',
    ]) {
      expect(head.headers.get(name), name).toBe(getResponse.headers.get(name));
    }
    expect(Number(head.headers.get('content-length'))).toBe((await getResponse.text()).length);
  });

  it('revalidates with ETags', async () => {
    const first = await get('/index.html');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const second = await get('/index.html', { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
    expect(second.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
  });

  it('refuses other methods', async () => {
    const response = await get('/index.html', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('frame-ancestors is none when no EHR may frame the app', async () => {
    const locked = await startPreview({
      port: 0,
      distDir: dist.dir,
      registrations: { registrations: [{ ...local, frameOrigins: [] }] },
    });
    try {
      const csp = (await fetch(`${locked.origin}/`)).headers.get('content-security-policy') ?? '';
      expect(parseContentSecurityPolicy(csp).get('frame-ancestors')).toEqual(["'none'"]);
    } finally {
      await locked.close();
    }
  });

  it('refuses to start with an invalid configuration, naming the field', async () => {
    const broken: RegistrationsFile = { registrations: [{ ...local, clientId: '' }] };
    await expect(startPreview({ port: 0, distDir: dist.dir, registrations: broken })).rejects.toThrow(
      /registrations\.0\.clientId/,
    );
  });
});
