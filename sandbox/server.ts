/**
 * The sandbox SMART EHR: a FHIR R4 server (Medplum's router and MemoryRepository, indexed), a SMART App Launch 2.2
 * authorization server, and the EHR's own pages (launcher, chart frame), on one loopback origin that is a
 * different site from the app (EHR on 127.0.0.1, app on localhost), so the app is always exercised cross-site.
 *
 * Routes (all under the sandbox origin):
 *   /ehr, /ehr/chart, /ehr/launch, /ehr/patients, /ehr/practitioners, /ehr/encounters, /ehr/apps, /ehr/smart-style.json,
 *   POST /ehr/test-token (a read-only token for tests)
 *   /auth/authorize, /auth/token, /auth/jwks
 *   /fhir/…, /fhir/metadata, /fhir/.well-known/smart-configuration, and the same under /v1/fhir (SMART v1-only)
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirRouter } from '@medplum/fhir-router';
import type { RegisteredClient } from './clients.ts';
import { clientOrigins, loadClients } from './clients.ts';
import { generateSampleData, sampleResources } from './data/generate.ts';
import { EhrDirectory } from './ehr/directory.ts';
import { handleChart, handleLaunch } from './ehr/launch.ts';
import { EHR_PAGE_CSP, EHR_PAGE_SCRIPT, EHR_PAGE_SCRIPT_PATH, ehrPage } from './ehr/page.ts';
import { SANDBOX_STYLE } from './ehr/style.ts';
import { loadFhirDefinitions } from './fhir/definitions.ts';
import type { FhirApi } from './fhir/handler.ts';
import { handleFhir } from './fhir/handler.ts';
import { IndexedRepository } from './fhir/repository.ts';
import { HttpError, redirect, requestOrigin, send, sendHtml, sendJson } from './http.ts';
import { handleAuthorize } from './oauth/authorize.ts';
import { JWKS_PATH, smartConfiguration } from './oauth/discovery.ts';
import { createSigningKey } from './oauth/keys.ts';
import { AuthorizationStore } from './oauth/store.ts';
import type { FhirBase } from './oauth/store.ts';
import { handleToken, issueTestToken } from './oauth/token.ts';

export interface SandboxOptions {
  /** 0 = ephemeral; default 0. */
  port?: number;
  /** Default '127.0.0.1' (the EHR is on 127.0.0.1, the app on localhost: different sites). */
  host?: string;
  /** Origins where MOVO-X runs (e.g. 'http://localhost:5173'); substituted into clients.json and allowed by CORS. */
  appOrigins?: string[];
  /** Data generator seed; default fixed (DEFAULT_SEED). */
  seed?: number;
  /** Include the >=25,000-observation ICU patient; default true. */
  heavyPatient?: boolean;
}

export interface RunningSandbox {
  /** 'http://127.0.0.1:PORT' */
  origin: string;
  /** origin + '/fhir' */
  fhirBaseUrl: string;
  /** The EHR page to open. */
  ehrUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_APP_ORIGINS = ['http://localhost:5173', 'http://localhost:4173'];

export const FHIR_PATH = '/fhir';
export const V1_FHIR_PATH = '/v1/fhir';
const SMART_CONFIGURATION = '.well-known/smart-configuration';

const CORS_ALLOW_METHODS = 'GET, POST, PUT, OPTIONS';
const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Accept, Prefer, If-None-Exist, If-Match, Epic-Client-ID';
const CORS_EXPOSE_HEADERS = 'Location, ETag, Content-Location, Last-Modified, WWW-Authenticate';

/** Paths an app calls from the browser, cross-origin. */
function isCorsPath(path: string): boolean {
  return (
    path === FHIR_PATH ||
    path.startsWith(`${FHIR_PATH}/`) ||
    path === V1_FHIR_PATH ||
    path.startsWith(`${V1_FHIR_PATH}/`) ||
    path === '/auth/token' ||
    path === JWKS_PATH ||
    path === '/ehr/smart-style.json'
  );
}

interface SandboxContext {
  readonly fallbackOrigin: string;
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly api: FhirApi;
  readonly directory: EhrDirectory;
  readonly key: Awaited<ReturnType<typeof createSigningKey>>;
}

function fhirBases(origin: string): { v2: FhirBase; v1: FhirBase } {
  return { v2: { url: origin + FHIR_PATH, v1Only: false }, v1: { url: origin + V1_FHIR_PATH, v1Only: true } };
}

/** CORS for registered app origins only; preflights are answered here (never by a test tool). */
function applyCors(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): 'preflight-done' | 'continue' {
  const origin = request.headers.origin;
  const allowed = origin !== undefined && context.allowedOrigins.has(origin);
  response.setHeader('Vary', 'Origin');
  if (allowed) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
  }
  if (request.method !== 'OPTIONS') return 'continue';
  if (!allowed) {
    send(response, 403, `Origin ${origin ?? '(none)'} is not a registered app origin.`, {
      'Content-Type': 'text/plain; charset=utf-8',
    });
    return 'preflight-done';
  }
  send(response, 204, '', {
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  return 'preflight-done';
}

async function route(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const origin = requestOrigin(request, context.fallbackOrigin);
  const url = new URL(request.url ?? '/', origin);
  const path = url.pathname;
  const method = request.method ?? 'GET';
  const bases = fhirBases(origin);

  if (isCorsPath(path) && applyCors(context, request, response) === 'preflight-done') return;

  for (const base of [bases.v2, bases.v1]) {
    const prefix = new URL(base.url).pathname;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) continue;
    const rest = path.slice(prefix.length + 1);
    if (rest === SMART_CONFIGURATION) {
      sendJson(response, 200, smartConfiguration(origin, base));
      return;
    }
    await handleFhir(context.api, request, response, { base, origin, path: rest, query: url.searchParams });
    return;
  }

  const ehr = { clients: context.clients, store: context.api.store, directory: context.directory };
  switch (`${method} ${path}`) {
    case 'GET /':
      redirect(response, '/ehr');
      return;
    case 'GET /favicon.ico':
      // No icon, and no 404 in every browser console.
      send(response, 204, '');
      return;
    case 'GET /ehr':
    case 'GET /ehr/':
      sendHtml(response, 200, ehrPage(), { 'Content-Security-Policy': EHR_PAGE_CSP });
      return;
    case `GET ${EHR_PAGE_SCRIPT_PATH}`:
      send(response, 200, EHR_PAGE_SCRIPT, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      return;
    case 'GET /ehr/apps':
      sendJson(
        response,
        200,
        [...context.clients.values()].map((client) => ({
          client_id: client.clientId,
          name: client.name,
          launch_urls: client.launchUrls,
        })),
      );
      return;
    case 'GET /ehr/patients':
      sendJson(response, 200, await context.directory.patients());
      return;
    case 'GET /ehr/practitioners':
      sendJson(response, 200, await context.directory.practitioners());
      return;
    case 'GET /ehr/encounters': {
      const patient = url.searchParams.get('patient');
      if (!patient) {
        sendJson(response, 400, { error: 'patient is required' });
        return;
      }
      sendJson(response, 200, await context.directory.encounters(patient));
      return;
    }
    case 'GET /ehr/launch':
      await handleLaunch(ehr, request, response, origin, bases);
      return;
    case 'GET /ehr/chart':
      await handleChart(ehr, request, response, origin, bases);
      return;
    case 'POST /ehr/test-token':
      sendJson(response, 200, issueTestToken(context.api.store, bases.v2), { 'Cache-Control': 'no-store' });
      return;
    case 'GET /ehr/smart-style.json':
      sendJson(response, 200, SANDBOX_STYLE);
      return;
    case 'GET /auth/authorize':
    case 'POST /auth/authorize':
      await handleAuthorize(ehr, request, response, origin, [bases.v2, bases.v1]);
      return;
    case 'POST /auth/token':
    case 'GET /auth/token':
      await handleToken({ ...ehr, key: context.key }, request, response, origin);
      return;
    case `GET ${JWKS_PATH}`:
      sendJson(response, 200, context.key.jwks);
      return;
    default:
      send(response, 404, `Not found: ${method} ${path}`, { 'Content-Type': 'text/plain; charset=utf-8' });
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  loadFhirDefinitions();
  const clientList = loadClients(options.appOrigins ?? DEFAULT_APP_ORIGINS);
  const clients = new Map(clientList.map((client) => [client.clientId, client]));

  const repository = new IndexedRepository();
  const data = generateSampleData({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    heavyPatient: options.heavyPatient ?? true,
  });
  for (const resource of sampleResources(data)) await repository.createResource(resource);
  await repository.warmSearchIndex();

  const key = await createSigningKey();
  const store = new AuthorizationStore();
  const contextHolder: { current?: SandboxContext } = {};

  const server = createServer((request, response) => {
    const context = contextHolder.current;
    if (!context) {
      send(response, 503, 'Starting', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    route(context, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error('sandbox: internal error', error);
      if (!response.headersSent) {
        send(response, status, error instanceof Error ? error.message : 'Internal error', {
          'Content-Type': 'text/plain; charset=utf-8',
        });
      } else {
        response.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  contextHolder.current = {
    fallbackOrigin: origin,
    clients,
    allowedOrigins: clientOrigins(clientList),
    api: { repository, router: new FhirRouter(), store, startedAt: new Date(data.now).toISOString() },
    directory: new EhrDirectory(repository),
    key,
  };

  return {
    origin,
    fhirBaseUrl: origin + FHIR_PATH,
    ehrUrl: `${origin}/ehr`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
