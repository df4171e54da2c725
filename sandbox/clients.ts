/**
 * Registered SMART clients (sandbox/clients.json): the sandbox checks client_id, exact redirect_uri and scopes
 * against these, and launches apps at their launch_url. `{appOrigin}` expands to every app origin the sandbox
 * is started with.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';

const clientSchema = z.object({
  client_id: z.string().min(1),
  name: z.string().min(1),
  /** `confidential` clients authenticate at the token endpoint with client_secret (Basic or form). */
  type: z.enum(['public', 'confidential']).default('public'),
  client_secret: z.string().min(1).optional(),
  launch_url: z.string().min(1),
  redirect_uris: z.array(z.string().min(1)).min(1),
  scopes: z.array(z.string().min(1)),
});

const clientsFileSchema = z.object({ clients: z.array(clientSchema) });

export interface RegisteredClient {
  readonly clientId: string;
  readonly name: string;
  readonly type: 'public' | 'confidential';
  readonly clientSecret: string | undefined;
  /** One launch URL per app origin (the first is the default of `/ehr/launch`). */
  readonly launchUrls: readonly string[];
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

export const CLIENTS_FILE = new URL('./clients.json', import.meta.url);

function expand(template: string, appOrigins: readonly string[]): string[] {
  return template.includes('{appOrigin}')
    ? appOrigins.map((origin) => template.replaceAll('{appOrigin}', origin))
    : [template];
}

function assertAbsoluteUrl(value: string, where: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`sandbox/clients.json: ${where} "${value}" is not an absolute URL`);
  }
  // RFC 6749 §3.1.2: a redirection endpoint URI must not include a fragment.
  if (url.hash) throw new Error(`sandbox/clients.json: ${where} "${value}" must not have a fragment`);
}

export function parseClients(json: unknown, appOrigins: readonly string[]): RegisteredClient[] {
  const file = clientsFileSchema.parse(json);
  const origins = appOrigins.map((origin) => new URL(origin).origin);
  const seen = new Set<string>();
  return file.clients.map((client) => {
    if (seen.has(client.client_id))
      throw new Error(`sandbox/clients.json: client_id "${client.client_id}" twice`);
    seen.add(client.client_id);
    if (client.type === 'confidential' && !client.client_secret) {
      throw new Error(
        `sandbox/clients.json: confidential client "${client.client_id}" needs a client_secret`,
      );
    }
    const launchUrls = expand(client.launch_url, origins);
    const redirectUris = client.redirect_uris.flatMap((uri) => expand(uri, origins));
    for (const url of launchUrls) assertAbsoluteUrl(url, `${client.client_id} launch_url`);
    for (const uri of redirectUris) assertAbsoluteUrl(uri, `${client.client_id} redirect_uri`);
    return {
      clientId: client.client_id,
      name: client.name,
      type: client.type,
      clientSecret: client.client_secret,
      launchUrls,
      redirectUris,
      scopes: client.scopes,
    };
  });
}

export function loadClients(appOrigins: readonly string[], file: URL = CLIENTS_FILE): RegisteredClient[] {
  return parseClients(JSON.parse(readFileSync(file, 'utf8')) as unknown, appOrigins);
}

/** Origins of every registered app (CORS allow-list). */
export function clientOrigins(clients: readonly RegisteredClient[]): Set<string> {
  return new Set(
    clients.flatMap((client) =>
      [...client.launchUrls, ...client.redirectUris].map((url) => new URL(url).origin),
    ),
  );
}
