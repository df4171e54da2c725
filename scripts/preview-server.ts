/**
 * Serves the built app (dist/) with exactly the production headers of config/security-headers.ts.
 *
 * Used by `npm run preview` and by the e2e suite, which registers a sandbox on an ephemeral port: the
 * registrations are passed in and answered at /config/registrations.json (the built copy in dist/ is ignored),
 * and the CSP follows them. A plain node:http server keeps the behaviour identical to the nginx sample
 * (deploy/nginx.conf): existing files only, no single-page-app fallback, `/` is index.html.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  parseRegistrations,
  REGISTRATIONS_PATH,
  type RegistrationsFile,
} from '../src/config/registrations.ts';
import { headersForPath, securityHeaders } from '../config/security-headers.ts';

export interface PreviewOptions {
  /** 0 picks a free port. Default 4173. */
  readonly port?: number;
  /** Default 'localhost'. Bind to loopback only. */
  readonly host?: string;
  /** Default 'dist' (relative to the working directory). */
  readonly distDir?: string;
  /** Answered at /config/registrations.json; the CSP is computed from it. Validated at start. */
  readonly registrations: RegistrationsFile;
}

export interface PreviewServer {
  /** e.g. `http://localhost:41234` (no trailing slash). */
  readonly origin: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function etagOf(...parts: readonly (string | number)[]): string {
  return `"${createHash('sha256').update(parts.join(':')).digest('base64url').slice(0, 27)}"`;
}

function matchesEtag(request: IncomingMessage, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return (
    header === '*' || header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
  );
}

export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const registrations = parseRegistrations(options.registrations).registrations;
  const registrationsBody = `${JSON.stringify(options.registrations, null, 2)}\n`;
  const registrationsEtag = etagOf(registrationsBody);
  const distRoot = await realpath(resolve(options.distDir ?? 'dist'));
  const host = options.host ?? 'localhost';

  /** Errors are never cached (a 404 under /assets/ must not become immutable) and carry the security headers. */
  function sendError(
    response: ServerResponse,
    status: number,
    message: string,
    extra: Record<string, string> = {},
  ): void {
    const body = `${message}\n`;
    response.writeHead(status, {
      ...securityHeaders(registrations),
      'Cache-Control': 'no-store',
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      ...extra,
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  }

  function sendHeaders(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
    contentType: string,
    length: number,
    etag: string,
  ): boolean {
    const headers = { ...headersForPath(pathname, registrations), ETag: etag };
    if (matchesEtag(request, etag)) {
      response.writeHead(304, headers);
      response.end();
      return false;
    }
    response.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': length });
    if (request.method === 'HEAD') {
      response.end();
      return false;
    }
    return true;
  }

  /** Maps a URL path to a file inside dist/, or undefined (404). */
  async function fileFor(
    pathname: string,
  ): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
    const relative = pathname === '/' ? '/index.html' : pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return undefined;
    }
    // No dotfiles, no `..`, no backslashes or NUL: only plain paths below dist/.
    const segments = decoded.split('/').slice(1);
    if (segments.some((segment) => segment === '' || segment.startsWith('.') || /[\\\0]/.test(segment))) {
      return undefined;
    }
    const candidate = resolve(distRoot, ...segments);
    if (!candidate.startsWith(distRoot + sep)) return undefined;
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(distRoot + sep)) return undefined;
      const info = await stat(real);
      return info.isFile() ? { path: real, size: info.size, mtimeMs: info.mtimeMs } : undefined;
    } catch {
      return undefined;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://preview.invalid').pathname;
    if (pathname === REGISTRATIONS_PATH) {
      const body = Buffer.from(registrationsBody);
      if (
        sendHeaders(request, response, pathname, contentTypeFor(pathname), body.length, registrationsEtag)
      ) {
        response.end(body);
      }
      return;
    }
    const file = await fileFor(pathname);
    if (!file) {
      sendError(response, 404, 'Not found');
      return;
    }
    const etag = etagOf(file.path, file.size, file.mtimeMs);
    if (sendHeaders(request, response, pathname, contentTypeFor(file.path), file.size, etag)) {
      await pipeline(createReadStream(file.path), response);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendError(response, 500, 'Internal error');
      } else {
        response.destroy(error instanceof Error ? error : undefined);
      }
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 4173, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('The preview server has no TCP address');
  const { port } = address;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  return {
    origin: `http://${hostForUrl}:${port}`,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => {
          if (error) rejectClose(error);
          else resolveClose();
        });
        // Keep-alive connections (browsers, fetch) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
