/**
 * Checks a running deployment of MOVO-X from the outside, as a browser and an EHR administrator see it:
 * its headers, its runtime configuration and its registration document. Used by `npm run check-deployment`.
 *
 * The expected headers are computed from the deployment's own /config/registrations.json with the rules of
 * config/security-headers.ts, so a host whose header snippet was not regenerated after adding an EHR fails here.
 */
import { parseRegistrations, type Registration } from '../src/config/registrations.ts';
import {
  cspDirectives,
  HASHED_ASSETS_PREFIX,
  parseContentSecurityPolicy,
} from '../config/security-headers.ts';
import {
  CLIENT_METADATA_PATH,
  isLoopback,
  LAUNCH_PATH,
  PLACEHOLDER_POLICY_PATH,
  PLACEHOLDER_TOS_PATH,
  registrationScopes,
} from '../config/client-metadata.ts';

export type CheckStatus = 'pass' | 'fail' | 'warn';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly name: string;
  /** Why it failed (or what was seen). */
  readonly detail?: string;
}

export interface CheckOptions {
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * Also read each registration's `/.well-known/smart-configuration` and check that its token endpoint is
   * allowed by connect-src and that it offers PKCE S256 when the registration requires it. Needs network access
   * to every configured EHR (placeholders fail).
   */
  readonly discover?: boolean;
}

/** fetch() says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) is what helps. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
    return `${error.message} (${code}${cause.message})`;
  }
  return error.message;
}

interface Fetched {
  readonly response: Response;
  readonly body: string;
}

class Checks {
  readonly results: CheckResult[] = [];

  check(name: string, ok: boolean, detail?: string): boolean {
    this.results.push(ok ? { status: 'pass', name } : { status: 'fail', name, detail });
    return ok;
  }

  warn(name: string, detail: string): void {
    this.results.push({ status: 'warn', name, detail });
  }
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && new Set(a).size === new Set([...a, ...b]).size;

const describe = (sources: readonly string[] | undefined): string =>
  sources ? sources.join(' ') || '(empty)' : '(missing)';

function isRevalidated(cacheControl: string | null): boolean {
  const directives = (cacheControl ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim());
  return (
    directives.includes('no-cache') ||
    directives.includes('no-store') ||
    (directives.includes('max-age=0') && directives.includes('must-revalidate'))
  );
}

function isImmutable(cacheControl: string | null): boolean {
  const directives = (cacheControl ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim());
  const maxAge = directives
    .map((part) => /^max-age=(\d+)$/.exec(part)?.[1])
    .find((value) => value !== undefined);
  return directives.includes('immutable') && maxAge !== undefined && Number(maxAge) >= 31536000;
}

/** Headers every response of the app must carry, whatever its path. */
function checkCommonHeaders(checks: Checks, label: string, response: Response, https: boolean): void {
  checks.check(
    `${label}: X-Content-Type-Options nosniff`,
    response.headers.get('x-content-type-options')?.toLowerCase() === 'nosniff',
    `got ${response.headers.get('x-content-type-options') ?? '(missing)'}`,
  );
  checks.check(
    `${label}: Referrer-Policy no-referrer`,
    response.headers.get('referrer-policy')?.toLowerCase() === 'no-referrer',
    `got ${response.headers.get('referrer-policy') ?? '(missing)'}`,
  );
  if (https) {
    const hsts = /max-age=(\d+)/i.exec(response.headers.get('strict-transport-security') ?? '')?.[1];
    checks.check(
      `${label}: Strict-Transport-Security`,
      hsts !== undefined && Number(hsts) > 0,
      `got ${response.headers.get('strict-transport-security') ?? '(missing)'}`,
    );
  }
}

/** The Content-Security-Policy of an HTML entry, directive by directive, against the configuration. */
function checkPolicy(
  checks: Checks,
  label: string,
  response: Response,
  registrations: readonly Registration[],
): void {
  const header = response.headers.get('content-security-policy');
  if (!checks.check(`${label}: Content-Security-Policy present`, header !== null && header.trim() !== ''))
    return;
  const policy = parseContentSecurityPolicy(header ?? '');
  for (const [name, expected] of cspDirectives(registrations)) {
    const actual = policy.get(name);
    checks.check(
      `${label}: CSP ${name} ${expected.join(' ')}`,
      actual !== undefined && sameSet(actual, expected),
      `got ${describe(actual)}`,
    );
  }
  checks.check(
    `${label}: no X-Frame-Options (frame-ancestors decides)`,
    response.headers.get('x-frame-options') === null,
    `got X-Frame-Options: ${response.headers.get('x-frame-options') ?? ''}`,
  );
  if (response.headers.get('content-security-policy-report-only') !== null) {
    checks.warn(
      `${label}: Content-Security-Policy-Report-Only`,
      'also present: make sure the enforced policy is the one above',
    );
  }
}

/** Runs every check against the deployment at `baseUrl` (its origin is used). Never throws for a failed check. */
export async function checkDeployment(baseUrl: string, options: CheckOptions = {}): Promise<CheckResult[]> {
  const doFetch = options.fetch ?? fetch;
  const checks = new Checks();
  let origin: URL;
  try {
    origin = new URL(new URL(baseUrl).origin);
  } catch {
    checks.check('deployment URL is an absolute URL', false, baseUrl);
    return checks.results;
  }
  const https = origin.protocol === 'https:';
  checks.check(
    'deployment is served over https (or on loopback)',
    https || (origin.protocol === 'http:' && isLoopback(origin)),
    `${origin.origin}: EHRs require https redirect URIs`,
  );

  async function get(path: string, name: string): Promise<Fetched | undefined> {
    const url = new URL(path, origin);
    try {
      const response = await doFetch(url, { redirect: 'manual', headers: { 'Cache-Control': 'no-cache' } });
      const body = await response.text();
      return { response, body };
    } catch (error) {
      checks.check(`${name}: reachable`, false, `${url.href}: ${errorText(error)}`);
      return undefined;
    }
  }

  function expectOk(name: string, fetched: Fetched, contentType: RegExp): boolean {
    const type = fetched.response.headers.get('content-type') ?? '';
    return (
      checks.check(`${name}: 200`, fetched.response.status === 200, `got ${fetched.response.status}`) &&
      checks.check(
        `${name}: Content-Type ${contentType.source}`,
        contentType.test(type),
        `got ${type || '(missing)'}`,
      )
    );
  }

  // 1. The runtime configuration: everything else is checked against it.
  let registrations: Registration[] | undefined;
  const config = await get('/config/registrations.json', 'GET /config/registrations.json');
  if (config && expectOk('GET /config/registrations.json', config, /^application\/json/)) {
    try {
      registrations = parseRegistrations(JSON.parse(config.body)).registrations;
      checks.check('registrations: valid', true);
    } catch (error) {
      checks.check('registrations: valid', false, error instanceof Error ? error.message : String(error));
    }
    checks.check(
      'GET /config/registrations.json: not cached (no-cache)',
      isRevalidated(config.response.headers.get('cache-control')),
      `got ${config.response.headers.get('cache-control') ?? '(missing)'}`,
    );
    checkCommonHeaders(checks, 'GET /config/registrations.json', config.response, https);
  }

  // 2. The two HTML entries.
  let indexHtml: string | undefined;
  for (const path of ['/', LAUNCH_PATH]) {
    const name = `GET ${path}`;
    const page = await get(path, name);
    if (!page || !expectOk(name, page, /^text\/html/)) continue;
    if (path === '/') indexHtml = page.body;
    if (registrations) checkPolicy(checks, name, page.response, registrations);
    checkCommonHeaders(checks, name, page.response, https);
    checks.check(
      `${name}: not cached (no-cache)`,
      isRevalidated(page.response.headers.get('cache-control')),
      `got ${page.response.headers.get('cache-control') ?? '(missing)'}`,
    );
  }

  // 3. The registration document.
  const metadataName = `GET ${CLIENT_METADATA_PATH}`;
  const metadataPage = await get(CLIENT_METADATA_PATH, metadataName);
  if (metadataPage && expectOk(metadataName, metadataPage, /^application\/json/)) {
    checks.check(
      `${metadataName}: not cached (no-cache)`,
      isRevalidated(metadataPage.response.headers.get('cache-control')),
      `got ${metadataPage.response.headers.get('cache-control') ?? '(missing)'}`,
    );
    checkCommonHeaders(checks, metadataName, metadataPage.response, https);
    checkMetadata(checks, metadataPage.body, origin, registrations);
  }

  // 4. One hashed asset, and a missing one (an error must never be cached as immutable).
  const assetPath = indexHtml
    ? /(?:src|href)="((?:https?:\/\/[^"/]+)?\/assets\/[^"]+)"/.exec(indexHtml)?.[1]
    : undefined;
  if (
    checks.check('index.html references a hashed asset under /assets/', assetPath !== undefined, 'none found')
  ) {
    const path = new URL(assetPath ?? '', origin).pathname;
    const name = `GET ${path}`;
    const asset = await get(path, name);
    if (asset && expectOk(name, asset, /^(text\/javascript|application\/javascript|text\/css)/)) {
      checks.check(
        `${name}: cached immutable for a year`,
        isImmutable(asset.response.headers.get('cache-control')),
        `got ${asset.response.headers.get('cache-control') ?? '(missing)'}`,
      );
      checkCommonHeaders(checks, name, asset.response, https);
    }
  }
  const missingPath = `${HASHED_ASSETS_PREFIX}movo-x-check-deployment-missing-0000.js`;
  const missing = await get(missingPath, `GET ${missingPath}`);
  if (missing) {
    checks.check(
      `GET ${missingPath}: 404`,
      missing.response.status === 404,
      `got ${missing.response.status}`,
    );
    checks.check(
      `GET ${missingPath}: error not cached as immutable`,
      !isImmutable(missing.response.headers.get('cache-control')),
      `got ${missing.response.headers.get('cache-control') ?? ''}`,
    );
  }

  if (options.discover && registrations) await checkDiscovery(checks, registrations, doFetch);
  return checks.results;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function checkMetadata(
  checks: Checks,
  body: string,
  origin: URL,
  registrations: readonly Registration[] | undefined,
): void {
  let metadata: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not a JSON object');
    metadata = parsed as Record<string, unknown>;
  } catch (error) {
    checks.check(
      'client metadata: JSON object',
      false,
      error instanceof Error ? error.message : String(error),
    );
    return;
  }
  const onOrigin = (value: unknown): boolean => {
    if (typeof value !== 'string') return false;
    try {
      const url = new URL(value);
      return url.origin === origin.origin && url.hash === '' && !value.includes('#');
    } catch {
      return false;
    }
  };
  const redirectUris = stringArray(metadata.redirect_uris);
  checks.check(
    `client metadata: redirect_uris on ${origin.origin}, no fragment`,
    redirectUris !== undefined && redirectUris.length > 0 && redirectUris.every(onOrigin),
    `got ${JSON.stringify(metadata.redirect_uris)}`,
  );
  checks.check(
    `client metadata: launch_url is ${origin.origin}${LAUNCH_PATH}`,
    metadata.launch_url === `${origin.origin}${LAUNCH_PATH}`,
    `got ${JSON.stringify(metadata.launch_url)}`,
  );
  const expectedScope = registrationScopes('v2');
  checks.check(
    'client metadata: scope matches the scopes MOVO-X requests (v2)',
    typeof metadata.scope === 'string' &&
      sameSet(metadata.scope.split(/\s+/).filter(Boolean), expectedScope.split(' ')),
    `got ${JSON.stringify(metadata.scope)}, expected "${expectedScope}"`,
  );
  checks.check(
    'client metadata: token_endpoint_auth_method none (public client)',
    metadata.token_endpoint_auth_method === 'none',
    `got ${JSON.stringify(metadata.token_endpoint_auth_method)}`,
  );
  checks.check(
    'client metadata: response_types ["code"]',
    JSON.stringify(metadata.response_types) === '["code"]',
    `got ${JSON.stringify(metadata.response_types)}`,
  );
  checks.check(
    'client metadata: grant_types include authorization_code',
    stringArray(metadata.grant_types)?.includes('authorization_code') === true,
    `got ${JSON.stringify(metadata.grant_types)}`,
  );
  checks.check(
    'client metadata: fhir_versions include 4.0.1',
    stringArray(metadata.fhir_versions)?.includes('4.0.1') === true,
    `got ${JSON.stringify(metadata.fhir_versions)}`,
  );
  const missing = [
    'client_name',
    'client_uri',
    'logo_uri',
    'policy_uri',
    'tos_uri',
    'software_id',
    'software_version',
  ].filter((field) => typeof metadata[field] !== 'string' || metadata[field] === '');
  checks.check(
    'client metadata: RFC 7591 descriptive fields present',
    missing.length === 0,
    `missing ${missing.join(', ')}`,
  );
  const contacts = stringArray(metadata.contacts) ?? [];
  checks.check('client metadata: contacts present', contacts.length > 0, 'no contacts');
  if (contacts.some((contact) => /@example\.(org|com|net)$/i.test(contact))) {
    checks.warn(
      'client metadata: contacts',
      `placeholder address ${contacts.join(', ')}: build with APP_CONTACTS`,
    );
  }
  for (const [field, path, variable] of [
    ['policy_uri', PLACEHOLDER_POLICY_PATH, 'APP_POLICY_URL'],
    ['tos_uri', PLACEHOLDER_TOS_PATH, 'APP_TOS_URL'],
  ] as const) {
    if (metadata[field] === `${origin.origin}${path}`) {
      checks.warn(`client metadata: ${field}`, `still the placeholder page ${path}: build with ${variable}`);
    }
  }
  // A registration with its own scope list must stay within what the EHR was told to allow.
  if (registrations) {
    const registered = new Set([
      ...registrationScopes('v2').split(' '),
      ...registrationScopes('v1').split(' '),
    ]);
    for (const registration of registrations) {
      if (!registration.scopes) continue;
      const extra = registration.scopes.split(/\s+/).filter((scope) => scope && !registered.has(scope));
      checks.check(
        `registration ${registration.id}: scopes within the registered scopes`,
        extra.length === 0,
        `not in the registration document: ${extra.join(' ')}`,
      );
    }
  }
}

async function checkDiscovery(
  checks: Checks,
  registrations: readonly Registration[],
  doFetch: typeof fetch,
): Promise<void> {
  const connect = new Set(new Map(cspDirectives(registrations)).get('connect-src') ?? []);
  for (const registration of registrations) {
    const name = `registration ${registration.id}: discovery`;
    const url = `${registration.issuer.replace(/\/$/, '')}/.well-known/smart-configuration`;
    let configuration: Record<string, unknown>;
    try {
      const response = await doFetch(url, {
        headers: { Accept: 'application/json', ...registration.discoveryHeaders },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed: unknown = await response.json();
      if (typeof parsed !== 'object' || parsed === null) throw new Error('not a JSON object');
      configuration = parsed as Record<string, unknown>;
    } catch (error) {
      checks.check(`${name} reachable`, false, `${url}: ${errorText(error)}`);
      continue;
    }
    const token = configuration.token_endpoint;
    let tokenOrigin: string;
    try {
      tokenOrigin = typeof token === 'string' ? new URL(token, registration.issuer).origin : '';
    } catch {
      tokenOrigin = '';
    }
    checks.check(
      `${name}: token endpoint allowed by connect-src`,
      tokenOrigin !== '' && connect.has(tokenOrigin),
      `token_endpoint ${JSON.stringify(token)}: add its origin to connectOrigins`,
    );
    if (registration.pkce === 'required') {
      checks.check(
        `${name}: offers PKCE S256 (pkce "required")`,
        stringArray(configuration.code_challenge_methods_supported)?.includes('S256') === true,
        `code_challenge_methods_supported ${JSON.stringify(configuration.code_challenge_methods_supported)}: use pkce "unsafeV1" if the server accepts S256 without saying so`,
      );
    }
  }
}

/** One line per check; returns the text and whether the deployment passed (no failure). */
export function formatResults(results: readonly CheckResult[]): { text: string; ok: boolean } {
  const label: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN' };
  const lines = results.map(
    (result) =>
      `${label[result.status]}  ${result.name}${result.status === 'pass' || !result.detail ? '' : ` — ${result.detail}`}`,
  );
  const failed = results.filter((result) => result.status === 'fail').length;
  const warned = results.filter((result) => result.status === 'warn').length;
  lines.push(
    failed === 0
      ? `OK: ${results.length - warned} checks passed${warned ? `, ${warned} warnings` : ''}`
      : `FAILED: ${failed} of ${results.length} checks failed`,
  );
  return { text: lines.join('\n'), ok: failed === 0 };
}
