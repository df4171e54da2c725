/**
 * A small delay proxy for the benchmark (scripts/bench.ts): holds EVERY request (navigations, redirects followed
 * by the browser, CORS preflights, fetches) for `delayMs`, then forwards it unchanged to one upstream origin and
 * streams the answer back. Unlike Chromium's CDP network emulation, the delay is added to each request (a slow
 * response stays slower), preflights pay it too, and it works for cross-site (out-of-process) iframes.
 *
 * The `Host` header is forwarded as the browser sent it (the proxy's host and port), so a server that builds
 * absolute URLs from `Host` (the sandbox: `iss`, authorize and token endpoints, `next` links) keeps the browser on
 * the proxy. Loopback only. Every request is logged with its timing (epoch milliseconds, sub-millisecond).
 */
import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ProxyLogEntry {
  /** Which proxy saw it (e.g. 'ehr', 'app'). */
  readonly name: string;
  readonly method: string;
  /** Path and query, as requested. */
  readonly url: string;
  /** Request headers arrived (epoch ms). */
  readonly start: number;
  /** Forwarded upstream, after the delay (epoch ms). */
  forwarded?: number;
  /** Response headers from upstream (epoch ms). */
  headers?: number;
  /** Response fully written to the browser's connection (epoch ms), or the time it failed. */
  end?: number;
  status?: number;
  /** Response body bytes as sent (no content encoding on these servers). */
  bytes: number;
  error?: string;
}

export interface DelayProxyOptions {
  /** Upstream origin, e.g. `http://127.0.0.1:41234`. Must be loopback. */
  readonly target: string;
  /** Host to bind: '127.0.0.1' or 'localhost' (default '127.0.0.1'). Loopback only. */
  readonly host?: string;
  /** 0 = ephemeral (default). */
  readonly port?: number;
  /** Added to every request; may be changed later with `setDelay`. Default 0. */
  readonly delayMs?: number;
  /** Label in the log. */
  readonly name?: string;
}

export interface DelayProxy {
  /** e.g. `http://127.0.0.1:45678` (the host as bound, no trailing slash). */
  readonly origin: string;
  readonly port: number;
  readonly log: ProxyLogEntry[];
  delayMs(): number;
  setDelay(ms: number): void;
  clearLog(): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; Node sets its own framing. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

export function now(): number {
  return performance.timeOrigin + performance.now();
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) result[name] = value;
  }
  return result;
}

export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const target = new URL(options.target);
  if (!LOOPBACK.has(target.hostname))
    throw new Error(`delay proxy: target ${options.target} is not loopback`);
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`delay proxy: ${host} is not a loopback host`);
  const name = options.name ?? target.host;
  let delay = options.delayMs ?? 0;
  const log: ProxyLogEntry[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const server = createServer((request, response) => {
    const entry: ProxyLogEntry = {
      name,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      start: now(),
      bytes: 0,
    };
    log.push(entry);
    const fail = (error: Error) => {
      entry.error ??= error.message;
      entry.end ??= now();
      if (!response.headersSent) {
        response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`delay proxy: ${error.message}\n`);
      } else {
        response.destroy();
      }
    };
    const forward = () => {
      entry.forwarded = now();
      const upstream = httpRequest(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          // Host is kept as the browser sent it: the server builds its URLs on the proxy's origin.
          headers: endToEnd(request.headers),
          agent,
        },
        (answer) => {
          entry.headers = now();
          entry.status = answer.statusCode ?? 502;
          response.writeHead(entry.status, endToEnd(answer.headers));
          answer.on('data', (chunk: Buffer) => {
            entry.bytes += chunk.length;
          });
          answer.pipe(response);
          answer.on('error', fail);
        },
      );
      upstream.on('error', fail);
      request.pipe(upstream);
    };
    response.on('finish', () => {
      entry.end ??= now();
    });
    response.on('close', () => {
      entry.end ??= now();
    });
    request.on('error', fail);
    // The request body (if any) stays buffered in the paused stream while the request is held.
    if (delay > 0) setTimeout(forward, delay);
    else forward();
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    origin: `http://${hostForUrl}:${port}`,
    port,
    log,
    delayMs: () => delay,
    setDelay: (ms: number) => {
      delay = ms;
    },
    clearLog: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
