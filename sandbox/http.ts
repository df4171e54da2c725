/** Small HTTP helpers for the sandbox's node:http server (no framework: the sandbox has a handful of routes). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The request body is larger than 10 MB.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, lower-case, without parameters. */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'Expected Content-Type application/x-www-form-urlencoded.');
  }
  return new URLSearchParams((await readBody(request)).toString('utf8'));
}

export function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  response.end(body);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(response, status, JSON.stringify(value), {
    'Content-Type': 'application/json; charset=utf-8',
    ...headers,
  });
}

export function sendHtml(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  send(response, status, html, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}

export function redirect(response: ServerResponse, location: string, status = 302): void {
  response.writeHead(status, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  response.end();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** A whole HTML page in the sandbox's plain style. */
export function htmlPage(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; color: #1d2a33; background: #f4f6f8; }
  header.ehr { background: #0b4f6c; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
  header.ehr h1 { font-size: 18px; margin: 0; }
  main { max-width: 760px; margin: 24px auto; background: #fff; padding: 16px 24px; border-radius: 6px; }
  label { display: block; margin: 10px 0 4px; font-weight: 600; }
  select, input[type=text], input[type=number] { width: 100%; padding: 6px; box-sizing: border-box; }
  .row { display: flex; gap: 16px; } .row > * { flex: 1; }
  .check { font-weight: normal; }
  button { margin: 16px 8px 0 0; padding: 8px 14px; font-size: 15px; }
  .error { color: #a4262c; }
  code { background: #eef1f4; padding: 1px 4px; }
</style>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The origin the client used to reach the sandbox, from its Host header when that names a loopback host (so
 * that a delay proxy in front of the sandbox, which keeps Host, gets URLs on its own port), else `fallback`.
 */
export function requestOrigin(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  if (!host) return fallback;
  try {
    const url = new URL(`http://${host}`);
    return LOOPBACK_HOSTS.has(url.hostname) ? url.origin : fallback;
  } catch {
    return fallback;
  }
}
