/**
 * The FHIR R4 REST API over HTTP: authorisation (bearer token, scopes), then Medplum's FhirRouter on the indexed
 * MemoryRepository, then what the router leaves out (http://hl7.org/fhir/R4/http.html): Bundle `total`, `fullUrl`
 * and paging links, `Location` and `ETag` on create, `Prefer: return=...`, validation on write, a
 * CapabilityStatement, and an OperationOutcome with the right status for every error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getSearchParameters, getStatus, isResourceType, normalizeOperationOutcome } from '@medplum/core';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { FhirRequest, FhirRouter, HttpMethod } from '@medplum/fhir-router';
import { HttpError, mediaType, readBody, send } from '../http.ts';
import type { Authorization, AuthorizationStore, FhirBase } from '../oauth/store.ts';
import type { AccessContext } from './access.ts';
import { checkResource, planSearch } from './access.ts';
import { capabilityStatement } from './capability.ts';
import type { IndexedRepository } from './repository.ts';
import { issue, validateForWrite } from './validate.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Search parameters every type understands (besides its own), and result parameters. */
const CONTROL_PARAMETERS = new Set([
  '_count',
  '_offset',
  '_sort',
  '_total',
  '_summary',
  '_elements',
  '_format',
  '_pretty',
]);
const COMMON_PARAMETERS = new Set(['_id', '_lastUpdated']);
const SORTABLE = ['date', '_lastUpdated', '_id'];
/** Modifiers the indexes or Medplum's matcher really apply (others would silently match nothing). */
const SUPPORTED_MODIFIERS = ['missing', 'not', 'exact', 'contains'];

export interface FhirApi {
  readonly repository: IndexedRepository;
  readonly router: FhirRouter;
  readonly store: AuthorizationStore;
  readonly startedAt: string;
}

export interface FhirRequestContext {
  readonly base: FhirBase;
  /** `http://127.0.0.1:PORT` as the client reached the sandbox. */
  readonly origin: string;
  /** The path after the FHIR base, without a leading slash (`Observation/123`). */
  readonly path: string;
  readonly query: URLSearchParams;
}

class FhirHttpError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue[0]?.diagnostics ?? 'FHIR error');
  }
}

function outcomeOf(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

function fail(
  status: number,
  diagnostics: string,
  code: OperationOutcomeIssue['code'],
  headers?: Record<string, string>,
): never {
  throw new FhirHttpError(status, outcomeOf([issue(diagnostics, undefined, code)]), headers);
}

function sendResource(
  response: ServerResponse,
  status: number,
  body: Resource | undefined,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    send(response, status, '', headers);
    return;
  }
  send(response, status, JSON.stringify(body), { 'Content-Type': FHIR_JSON, ...headers });
}

/** Medplum's outcomes carry `details.text` only; give every issue `diagnostics` too (what clients show). */
function withDiagnostics(outcome: OperationOutcome): OperationOutcome {
  return {
    ...outcome,
    issue: outcome.issue.map((each) => ({
      ...each,
      diagnostics: each.diagnostics ?? each.details?.text ?? each.code,
    })),
  };
}

function versionHeaders(base: FhirBase, resource: Resource): Record<string, string> {
  const headers: Record<string, string> = {};
  const versionId = resource.meta?.versionId;
  if (versionId) {
    headers.ETag = `W/"${versionId}"`;
    headers.Location = `${base.url}/${resource.resourceType}/${resource.id ?? ''}/_history/${versionId}`;
  }
  if (resource.meta?.lastUpdated)
    headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  return headers;
}

/** RFC 6750 §3: a missing, unknown or expired token answers 401 with a WWW-Authenticate challenge. */
function authenticate(api: FhirApi, request: IncomingMessage, base: FhirBase): Authorization {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    fail(401, 'This FHIR server needs an access token (Authorization: Bearer ...).', 'login', {
      'WWW-Authenticate': 'Bearer realm="sandbox-ehr"',
    });
  }
  const found = api.store.accessTokens.lookup(match[1]);
  function invalid(description: string): never {
    fail(401, description, found === 'expired' ? 'expired' : 'security', {
      'WWW-Authenticate': `Bearer realm="sandbox-ehr", error="invalid_token", error_description="${description}"`,
    });
  }
  if (found === 'expired') invalid('The access token has expired.');
  if (!found) invalid('The access token is not valid.');
  if (found.value.base.url !== base.url) invalid(`The access token was issued for ${found.value.base.url}.`);
  return found.value;
}

async function parseResourceBody(request: IncomingMessage, resourceType: string): Promise<Resource> {
  const type = mediaType(request);
  if (type !== 'application/fhir+json' && type !== 'application/json') {
    fail(415, `Content-Type must be application/fhir+json (got "${type || 'none'}").`, 'not-supported');
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(request)).toString('utf8'));
  } catch {
    fail(400, 'The request body is not valid JSON.', 'structure');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    fail(400, 'The request body must be a FHIR resource.', 'structure');
  const found = (body as { resourceType?: unknown }).resourceType;
  if (found !== resourceType) {
    fail(
      400,
      `The body's resourceType must be ${resourceType} (got ${typeof found === 'string' ? found : 'none'}).`,
      'invalid',
    );
  }
  return body as Resource;
}

function preferredReturn(request: IncomingMessage): 'representation' | 'minimal' | 'OperationOutcome' {
  const header = request.headers.prefer;
  const prefer = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /return=(representation|minimal|OperationOutcome)/.exec(prefer);
  return (match?.[1] as 'representation' | 'minimal' | 'OperationOutcome' | undefined) ?? 'representation';
}

async function route(
  api: FhirApi,
  method: HttpMethod,
  url: string,
  body?: unknown,
  headers?: IncomingMessage['headers'],
) {
  const fhirRequest: FhirRequest = {
    method,
    url,
    pathname: '',
    body,
    params: {},
    query: {},
    ...(headers ? { headers } : {}),
  };
  const [outcome, resource] = await api.router.handleRequest(fhirRequest, api.repository);
  const status = getStatus(outcome);
  if (status >= 400) throw new FhirHttpError(status, withDiagnostics(outcome));
  return { status, resource };
}

function checkOrFail(decision: { allowed: true } | { allowed: false; reason: string }): void {
  if (!decision.allowed) fail(403, decision.reason, 'forbidden');
}

function validateSearchParameters(resourceType: string, query: URLSearchParams): void {
  const known = getSearchParameters(resourceType) ?? {};
  for (const name of new Set(query.keys())) {
    const base = name.split(':')[0] ?? name;
    if (name === '_include' || name === '_revinclude') {
      fail(
        400,
        `${name} is not supported by the sandbox; read referenced resources one by one.`,
        'not-supported',
      );
    }
    if (CONTROL_PARAMETERS.has(base) || COMMON_PARAMETERS.has(base)) continue;
    const modifier = name.includes(':') ? name.slice(name.indexOf(':') + 1) : undefined;
    if (modifier !== undefined && !SUPPORTED_MODIFIERS.includes(modifier)) {
      fail(
        400,
        `The :${modifier} modifier is not supported by the sandbox (${SUPPORTED_MODIFIERS.join(', ')} are).`,
        'not-supported',
      );
    }
    const definition = known[base];
    if (!definition) fail(400, `Unknown search parameter "${name}" for ${resourceType}.`, 'not-supported');
    // Medplum's matcher has no quantity, number, composite or special search: say so rather than match nothing.
    if (!['token', 'reference', 'date', 'string', 'uri'].includes(definition.type)) {
      fail(
        400,
        `Search parameter "${name}" (${definition.type}) is not supported by the sandbox.`,
        'not-supported',
      );
    }
  }
  for (const field of (query.get('_sort') ?? '').split(',').filter(Boolean)) {
    const key = field.replace(/^-/, '');
    if (!SORTABLE.includes(key) || (key === 'date' && !('date' in known))) {
      fail(
        400,
        `_sort by "${key}" is not supported by the sandbox (it sorts by ${SORTABLE.join(', ')}).`,
        'not-supported',
      );
    }
  }
  for (const name of ['_count', '_offset']) {
    const value = query.get(name);
    if (value !== null && !/^\d+$/.test(value))
      fail(400, `${name} must be a non-negative integer (got "${value}").`, 'invalid');
  }
}

async function search(
  api: FhirApi,
  response: ServerResponse,
  context: FhirRequestContext,
  access: AccessContext,
  resourceType: string,
  query: URLSearchParams,
): Promise<void> {
  validateSearchParameters(resourceType, query);
  const plan = planSearch(access, resourceType, query);
  if (!plan.allowed) fail(403, plan.reason, 'forbidden');
  // `_summary=count`: the total only (FHIR R4 search.html#summary).
  const count =
    query.get('_summary') === 'count'
      ? 0
      : Math.min(MAX_PAGE_SIZE, Number(query.get('_count') ?? DEFAULT_PAGE_SIZE));
  const offset = Number(query.get('_offset') ?? 0);
  const effective = new URLSearchParams(plan.params);
  effective.set('_count', String(count));
  effective.set('_offset', String(offset));
  const { resource } = await route(api, 'GET', `${resourceType}?${effective.toString()}`);
  const bundle = resource as Bundle;
  const total = bundle.total ?? bundle.entry?.length ?? 0;

  // Links carry the client's own parameters (the scope restrictions are added again on every page).
  const pageLink = (pageOffset: number) => {
    const params = new URLSearchParams(query);
    params.set('_count', String(count));
    params.set('_offset', String(pageOffset));
    return `${context.base.url}/${resourceType}?${params.toString()}`;
  };
  const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: pageLink(offset) }];
  if (count > 0) {
    link.push({ relation: 'first', url: pageLink(0) });
    if (offset > 0) link.push({ relation: 'previous', url: pageLink(Math.max(0, offset - count)) });
    if (offset + count < total) link.push({ relation: 'next', url: pageLink(offset + count) });
    link.push({ relation: 'last', url: pageLink(total === 0 ? 0 : Math.floor((total - 1) / count) * count) });
  }
  const result: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    meta: { lastUpdated: new Date().toISOString() },
    total,
    link,
    ...(bundle.entry?.length
      ? {
          entry: bundle.entry.map((entry) => ({
            fullUrl: `${context.base.url}/${entry.resource?.resourceType ?? resourceType}/${entry.resource?.id ?? ''}`,
            resource: entry.resource,
            search: { mode: 'match' as const },
          })),
        }
      : {}),
  };
  sendResource(response, 200, result);
}

async function handleResourceRequest(
  api: FhirApi,
  request: IncomingMessage,
  response: ServerResponse,
  context: FhirRequestContext,
): Promise<void> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST' && method !== 'PUT') {
    fail(405, `${method} is not supported by the sandbox (GET, POST and PUT are).`, 'not-supported', {
      Allow: 'GET, POST, PUT',
    });
  }
  const token = authenticate(api, request, context.base);
  const access: AccessContext = {
    scopes: token.scopes,
    patientId: token.patientId,
  };

  const found = api.router.find(method, context.path);
  const interaction = found?.data?.interaction;
  const resourceType = found?.params.resourceType;
  if (!found || !interaction || !resourceType)
    fail(404, `Unknown FHIR endpoint: ${method} ${context.path || '/'}`, 'not-found');
  if (!isResourceType(resourceType)) fail(404, `Unknown resource type "${resourceType}".`, 'not-supported');
  const id = found.params.id;

  switch (interaction) {
    case 'search-type': {
      const query = new URLSearchParams(context.query);
      if (method === 'POST') {
        // POST {type}/_search with form parameters (FHIR search via POST).
        if (mediaType(request) !== 'application/x-www-form-urlencoded') {
          fail(415, 'POST _search needs Content-Type application/x-www-form-urlencoded.', 'not-supported');
        }
        for (const [key, value] of new URLSearchParams((await readBody(request)).toString('utf8')))
          query.append(key, value);
      }
      await search(api, response, context, access, resourceType, query);
      return;
    }
    case 'read':
    case 'vread':
    case 'history-instance': {
      const current = await route(api, 'GET', `${resourceType}/${id ?? ''}`);
      if (current.resource) checkOrFail(checkResource(access, current.resource, 'r'));
      const { resource } =
        interaction === 'read'
          ? current
          : await route(api, 'GET', `${context.path}?${context.query.toString()}`);
      sendResource(
        response,
        200,
        resource,
        resource && interaction !== 'history-instance' ? versionHeaders(context.base, resource) : {},
      );
      return;
    }
    case 'create': {
      const body = await parseResourceBody(request, resourceType);
      // FHIR create: the server assigns id and version; whatever the client sent there is ignored.
      delete body.id;
      if (body.meta) body.meta = { ...body.meta, versionId: undefined, lastUpdated: undefined };
      checkOrFail(checkResource(access, body, 'c'));
      await validateOrFail(api, body);
      const ifNoneExist = request.headers['if-none-exist'];
      const created = await route(
        api,
        'POST',
        resourceType,
        body,
        ifNoneExist ? { 'if-none-exist': ifNoneExist } : {},
      );
      respondWritten(request, response, context, created.status, created.resource);
      return;
    }
    case 'update': {
      if (!id)
        fail(400, 'Conditional update is not supported by the sandbox: PUT {type}/{id}.', 'not-supported');
      const body = await parseResourceBody(request, resourceType);
      if (body.id !== id)
        fail(400, `The body's id (${body.id ?? 'none'}) must equal the URL's id (${id}).`, 'invalid');
      let existing: Resource;
      try {
        existing = await api.repository.readResource(resourceType, id);
      } catch {
        fail(
          405,
          `${resourceType}/${id} does not exist, and the sandbox does not create resources by update.`,
          'not-supported',
        );
      }
      checkOrFail(checkResource(access, existing, 'u'));
      checkOrFail(checkResource(access, body, 'u'));
      await validateOrFail(api, body);
      const ifMatch = request.headers['if-match'];
      const updated = await route(
        api,
        'PUT',
        `${resourceType}/${id}`,
        body,
        ifMatch ? { 'if-match': ifMatch } : {},
      );
      respondWritten(request, response, context, updated.status, updated.resource);
      return;
    }
    case 'search-system':
    case 'history-system':
    case 'history-type':
    case 'batch':
    case 'transaction':
    case 'delete':
    case 'patch':
    case 'operation':
      fail(405, `The ${interaction} interaction is not supported by the sandbox.`, 'not-supported');
  }
}

async function validateOrFail(api: FhirApi, resource: Resource): Promise<void> {
  const issues = await validateForWrite(resource, {
    resolve: async (reference) => {
      const [type, id] = reference.split('/');
      if (!type || !id || reference.split('/').length !== 2) return undefined;
      try {
        return await api.repository.readResource(type, id);
      } catch {
        return undefined;
      }
    },
  });
  if (issues.length > 0) throw new FhirHttpError(400, outcomeOf(issues));
}

function respondWritten(
  request: IncomingMessage,
  response: ServerResponse,
  context: FhirRequestContext,
  status: number,
  resource: Resource | undefined,
): void {
  const headers = resource ? versionHeaders(context.base, resource) : {};
  switch (preferredReturn(request)) {
    case 'minimal':
      sendResource(response, status, undefined, headers);
      return;
    case 'OperationOutcome':
      sendResource(
        response,
        status,
        outcomeOf([
          { severity: 'information', code: 'informational', diagnostics: status === 201 ? 'Created' : 'OK' },
        ]),
        headers,
      );
      return;
    case 'representation':
      sendResource(response, status, resource, headers);
      return;
  }
}

/** Serves one request under a FHIR base (`/fhir` or `/v1/fhir`); always answers, with an OperationOutcome on error. */
export async function handleFhir(
  api: FhirApi,
  request: IncomingMessage,
  response: ServerResponse,
  context: FhirRequestContext,
): Promise<void> {
  try {
    if (context.path === 'metadata') {
      if (request.method !== 'GET')
        fail(405, 'metadata answers GET only.', 'not-supported', { Allow: 'GET' });
      sendResource(response, 200, capabilityStatement(context.origin, context.base, api.startedAt));
      return;
    }
    await handleResourceRequest(api, request, response, context);
  } catch (error) {
    if (error instanceof FhirHttpError) {
      sendResource(response, error.status, error.outcome, error.headers);
    } else if (error instanceof HttpError) {
      sendResource(response, error.status, outcomeOf([issue(error.message, undefined, 'invalid')]));
    } else {
      const outcome = withDiagnostics(normalizeOperationOutcome(error));
      console.error('sandbox FHIR error', error);
      sendResource(response, getStatus(outcome) >= 400 ? getStatus(outcome) : 500, outcome);
    }
  }
}
