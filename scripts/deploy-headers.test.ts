import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRegistrations } from '../config/sandbox-registrations.ts';
import { securityHeaders } from '../config/security-headers.ts';
import { parseRegistrations } from '../src/config/registrations.ts';
import { mswServer } from '../src/testing/msw.ts';
import { EXAMPLE_REGISTRATIONS, renderNginx } from './deploy-headers.ts';
import { checkDeployment } from './deployment-checks.ts';
import { createFakeDist, FAKE_ASSETS, type FakeDist } from './fake-dist.ts';
import { startPreview, type PreviewServer } from './preview-server.ts';

const example = parseRegistrations(JSON.parse(readFileSync(EXAMPLE_REGISTRATIONS, 'utf8'))).registrations;

describe('deploy/nginx.conf', () => {
  it('is exactly what the generator writes for the example registrations', () => {
    expect(readFileSync('deploy/nginx.conf', 'utf8')).toBe(renderNginx(example));
  });

  it('repeats every security header in every location (add_header is not inherited once a location has one)', () => {
    const config = renderNginx(example);
    const locations = config.split(/\n {4}location /).slice(1);
    expect(locations).toHaveLength(5);
    for (const location of locations) {
      for (const [name, value] of Object.entries(securityHeaders(example))) {
        expect(location).toContain(`add_header ${name} "${value}" always;`);
      }
      expect(location).not.toContain('X-Frame-Options');
    }
  });

  it('refuses values that would break out of an nginx string', () => {
    expect(() => renderNginx(example, { serverName: 'evil.example; include /etc/passwd' })).toThrow(
      /Refusing/,
    );
  });
});

const nginxAvailable =
  spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0 && existsSync('/etc/nginx/mime.types');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const probe = createServer();
    probe.once('error', rejectPort);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolvePort(port);
      });
    });
  });
}

// The generated sample, run by a real nginx, must behave like the preview server the e2e suite uses.
describe.skipIf(!nginxAvailable)('the nginx sample served by nginx', () => {
  const registrations = sandboxRegistrations(45125);
  let dist: FakeDist;
  let work: string;
  let nginx: ChildProcess;
  let nginxOrigin: string;
  let preview: PreviewServer;

  beforeAll(async () => {
    mswServer.close(); // real local servers only (see src/testing/setup.ts)
    dist = createFakeDist();
    chmodSync(dirname(dist.dir), 0o755);
    work = mkdtempSync(join(tmpdir(), 'movo-nginx-'));
    const registrationsPath = join(work, 'registrations.json');
    writeFileSync(registrationsPath, JSON.stringify(registrations));
    const port = await freePort();
    nginxOrigin = `http://127.0.0.1:${port}`;
    dist.writeMetadata(nginxOrigin);
    writeFileSync(
      join(work, 'movo-x.conf'),
      renderNginx(registrations.registrations, {
        listen: [`127.0.0.1:${port}`],
        serverName: '127.0.0.1',
        root: dist.dir,
        registrationsPath,
      }),
    );
    const temp = (name: string): string => `${name}_temp_path ${join(work, name)};`;
    writeFileSync(
      join(work, 'nginx.conf'),
      [
        'daemon off;',
        'master_process off;',
        `pid ${join(work, 'nginx.pid')};`,
        `error_log ${join(work, 'error.log')};`,
        'events {}',
        'http {',
        '  include /etc/nginx/mime.types;',
        '  default_type application/octet-stream;',
        '  access_log off;',
        `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
        `  include ${join(work, 'movo-x.conf')};`,
        '}',
      ].join('\n'),
    );
    nginx = spawn('nginx', ['-p', work, '-e', join(work, 'error.log'), '-c', join(work, 'nginx.conf')], {
      stdio: 'ignore',
    });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await fetch(`${nginxOrigin}/`);
        break;
      } catch (error) {
        if (attempt > 50)
          throw new Error(`nginx did not start: ${readFileSync(join(work, 'error.log'), 'utf8')}`, {
            cause: error,
          });
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    }
    preview = await startPreview({ port: 0, distDir: dist.dir, registrations });
  });

  afterAll(async () => {
    nginx.kill('SIGTERM');
    await preview.close();
    dist.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('passes check-deployment', async () => {
    const results = await checkDeployment(nginxOrigin);
    expect(results.filter((result) => result.status === 'fail')).toEqual([]);
  });

  it('sends the same headers as the preview server, path by path', async () => {
    const compared = [
      'content-security-policy',
      'referrer-policy',
      'x-content-type-options',
      'strict-transport-security',
      'x-frame-options',
    ];
    const paths = [
      '/',
      '/index.html',
      '/launch.html?iss=x&launch=y',
      '/config/registrations.json',
      '/smart/client-metadata.json',
      FAKE_ASSETS.indexScript,
      FAKE_ASSETS.indexStyle,
      '/logo.svg',
      '/patient/123',
      '/assets/missing.js',
      '/.env',
    ];
    for (const path of paths) {
      const [fromNginx, fromPreview] = await Promise.all([
        fetch(`${nginxOrigin}${path}`),
        fetch(`${preview.origin}${path}`),
      ]);
      expect(fromNginx.status, path).toBe(fromPreview.status);
      for (const name of compared) {
        expect(fromNginx.headers.get(name), `${path} ${name}`).toBe(fromPreview.headers.get(name));
      }
      if (fromPreview.status === 200) {
        expect(fromNginx.headers.get('cache-control'), path).toBe(fromPreview.headers.get('cache-control'));
        // Same media type; nginx says application/javascript where the preview says text/javascript (both valid).
        const mediaType = (response: Response): string =>
          (response.headers.get('content-type') ?? '')
            .split(';')[0]
            ?.replace('application/javascript', 'text/javascript') ?? '';
        expect(mediaType(fromNginx), path).toBe(mediaType(fromPreview));
      } else {
        expect(fromNginx.headers.get('cache-control') ?? '', path).not.toContain('immutable');
      }
    }
    expect(await (await fetch(`${nginxOrigin}/config/registrations.json`)).json()).toEqual(registrations);
  });
});
