/**
 * What the sandbox grants: the requested scopes intersected with the client's registration and the launch's
 * options, in the grammar the request used (SMART App Launch 2.2, "Scopes for requesting clinical data":
 * https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
 *
 * Parsing reuses the app's own parser (src/session/scopes.ts), so the app and the sandbox read scopes alike.
 * - v1 (`user/Observation.read`, `.write`, `.*`) is intersected with the client's v1 scopes, v2 (`.rs`, `.cruds`,
 *   `?category=` granular) with its v2 scopes: a grant never changes grammar, so it never widens (a v2 `.c` cannot
 *   become a v1 `.write`, which would also allow update).
 * - A v1-only server does not know v2: it reads a v2 scope as the v1 scope that covers it (`.rs` → `.read`, `.c` →
 *   `.write`, `.crs` → `.*`) and ignores granular ones (v1 has no `?category=`).
 * - Wildcards: `user/*.rs` against a registered `user/Observation.rs` grants `user/Observation.rs`.
 */
import type { Permission, ResourceScope } from '../../src/session/scopes.ts';
import { parseResourceScope } from '../../src/session/scopes.ts';

export type { Permission, ResourceScope };

const PERMISSION_ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

/** Scopes that are not about resources; granted when registered, `launch` only for an EHR launch. */
export const CONTEXT_SCOPES = [
  'launch',
  'launch/patient',
  'launch/encounter',
  'openid',
  'fhirUser',
  'profile',
  'online_access',
  'offline_access',
] as const;

/** What the EHR user chose to grant on the launch page (or `grant=` on a scripted launch). */
export type LaunchGrant =
  | { readonly kind: 'all' }
  | { readonly kind: 'read-only' }
  /** Only these resource scopes (context scopes such as `launch` or `openid` are not restricted by it). */
  | { readonly kind: 'custom'; readonly scopes: readonly string[] };

export interface GrantRequest {
  /** The `scope` parameter as the app sent it. */
  readonly requested: string;
  /** The scopes the client is registered for. */
  readonly registered: readonly string[];
  readonly grant: LaunchGrant;
  readonly launchType: 'ehr' | 'standalone';
  /** The FHIR base is the SMART v1-only one. */
  readonly v1Only: boolean;
}

export function formatScope(scope: ResourceScope): string {
  const prefix = `${scope.context}/${scope.resourceType}.`;
  if (scope.version === 'v1') {
    const has = (permission: Permission) => scope.permissions.has(permission);
    const read = has('r') || has('s');
    const write = has('c') || has('u') || has('d');
    return prefix + (read && write ? '*' : read ? 'read' : 'write');
  }
  const letters = PERMISSION_ORDER.filter((permission) => scope.permissions.has(permission)).join('');
  return prefix + letters + (scope.filter === undefined ? '' : `?${scope.filter}`);
}

/** The v1 scope a v1-only server reads a v2 scope as; `undefined` for granular scopes. */
export function toV1(scope: ResourceScope): ResourceScope | undefined {
  if (scope.version === 'v1') return scope;
  if (scope.filter !== undefined) return undefined;
  const read = scope.permissions.has('r') || scope.permissions.has('s');
  const write = ['c', 'u', 'd'].some((permission) => scope.permissions.has(permission as Permission));
  const permissions = new Set<Permission>([
    ...(read ? (['r', 's'] as const) : []),
    ...(write ? (['c', 'u', 'd'] as const) : []),
  ]);
  return { ...scope, permissions, version: 'v1' };
}

/** The part of `requested` that `allowed` covers, in the same grammar; `undefined` when they share nothing. */
export function intersectScopes(requested: ResourceScope, allowed: ResourceScope): ResourceScope | undefined {
  if (requested.version !== allowed.version || requested.context !== allowed.context) return undefined;
  let resourceType: string;
  if (requested.resourceType === allowed.resourceType || allowed.resourceType === '*') {
    resourceType = requested.resourceType;
  } else if (requested.resourceType === '*') {
    resourceType = allowed.resourceType;
  } else {
    return undefined;
  }
  const permissions = new Set(
    [...requested.permissions].filter((permission) => allowed.permissions.has(permission)),
  );
  if (permissions.size === 0) return undefined;
  let filter: string | undefined;
  if (requested.filter === undefined) filter = allowed.filter;
  else if (allowed.filter === undefined || allowed.filter === requested.filter) filter = requested.filter;
  // Two different granular restrictions: nothing both allow that a scope string could say.
  else return undefined;
  return { ...requested, resourceType, permissions, filter };
}

function readOnly(scope: ResourceScope): ResourceScope | undefined {
  const permissions = new Set(
    [...scope.permissions].filter((permission) => permission === 'r' || permission === 's'),
  );
  return permissions.size === 0 ? undefined : { ...scope, permissions };
}

function parseAll(scopes: readonly string[]): ResourceScope[] {
  return scopes.map(parseResourceScope).filter((scope): scope is ResourceScope => scope !== undefined);
}

export function splitScopes(scope: string | null | undefined): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))];
}

/**
 * The granted scopes, in the order first requested. Grants for the same context, type, filter and grammar are
 * merged (`.rs` and `.c` from two registrations → `.crs`).
 */
export function grantScopes(request: GrantRequest): string[] {
  const registered = parseAll(request.registered);
  const custom = request.grant.kind === 'custom' ? parseAll(request.grant.scopes) : undefined;
  const granted = new Map<string, string | ResourceScope>();
  const grantResource = (scope: ResourceScope) => {
    const key = `${scope.version} ${scope.context}/${scope.resourceType}?${scope.filter ?? ''}`;
    const existing = granted.get(key);
    const permissions = new Set([
      ...(typeof existing === 'object' ? existing.permissions : []),
      ...scope.permissions,
    ]);
    granted.set(key, { ...scope, permissions });
  };
  for (const token of splitScopes(request.requested)) {
    let scope = parseResourceScope(token);
    if (!scope) {
      const isContextScope = (CONTEXT_SCOPES as readonly string[]).includes(token);
      if (!isContextScope || !request.registered.includes(token)) continue;
      if (token === 'launch' && request.launchType !== 'ehr') continue;
      granted.set(token, token);
      continue;
    }
    if (request.v1Only) {
      scope = toV1(scope);
      if (!scope) continue;
    }
    for (const allowed of registered) {
      let result = intersectScopes(scope, allowed);
      if (result && request.grant.kind === 'read-only') result = readOnly(result);
      if (result && custom) {
        for (const limit of custom) {
          const narrowed = intersectScopes(result, limit);
          if (narrowed) grantResource(narrowed);
        }
        continue;
      }
      if (result) grantResource(result);
    }
  }
  return [...granted.values()].map((value) => (typeof value === 'string' ? value : formatScope(value)));
}

export function parseLaunchGrant(
  value: string | null | undefined,
  customScopes?: string | null,
): LaunchGrant {
  if (!value || value === 'all') return { kind: 'all' };
  if (value === 'read-only') return { kind: 'read-only' };
  const scopes = splitScopes(value === 'custom' ? customScopes : value);
  return { kind: 'custom', scopes };
}

/** The granted resource scopes that allow `permission` on `resourceType` (any context but system/). */
export function coveringScopes(
  granted: readonly string[],
  resourceType: string,
  permission: Permission,
): ResourceScope[] {
  return parseAll(granted).filter(
    (scope) =>
      scope.context !== 'system' &&
      (scope.resourceType === resourceType || scope.resourceType === '*') &&
      scope.permissions.has(permission),
  );
}
