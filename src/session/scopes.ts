/**
 * Granted scopes → what MOVO-X may do. Pure and framework-free.
 *
 * SMART App Launch 2.2 scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * - v1: `user/Observation.read`, `.write`, `.*`
 * - v2: `user/Observation.rs`, letters a subset of `cruds` in that order, optionally `?param=value` (granular)
 * - equivalences: `.read` = `.rs`, `.write` = `.cud`, `.*` = `.cruds`; `*` as resource type is a wildcard.
 * The grant can be narrower, broader or differently factored than the request (EHRs answer v1 strings to v2 apps).
 */

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  readonly context: ScopeContext;
  /** A FHIR resource type or `*`. */
  readonly resourceType: string;
  readonly permissions: ReadonlySet<Permission>;
  /** Granular restriction (`category=...|vital-signs`), when present: the grant covers part of the type only. */
  readonly filter: string | undefined;
  readonly version: 'v1' | 'v2';
}

const V1_PERMISSIONS: Record<string, readonly Permission[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/** Parses one resource scope; returns undefined for anything else (`launch`, `openid`, malformed). */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.+))?$/.exec(scope);
  if (!match) return undefined;
  const [, context, resourceType, action, filter] = match;
  if (!context || !resourceType || !action) return undefined;
  const v1 = V1_PERMISSIONS[action];
  if (v1) {
    // v1 has no granular form: `user/Observation.read?category=x` is not a scope.
    if (filter !== undefined) return undefined;
    return {
      context: context as ScopeContext,
      resourceType,
      permissions: new Set(v1),
      filter: undefined,
      version: 'v1',
    };
  }
  if (!V2_PERMISSIONS.test(action)) return undefined;
  return {
    context: context as ScopeContext,
    resourceType,
    permissions: new Set(action.split('') as Permission[]),
    filter,
    version: 'v2',
  };
}

export interface GrantedScopes {
  readonly resourceScopes: readonly ResourceScope[];
  readonly openid: boolean;
  readonly fhirUser: boolean;
  readonly launch: boolean;
  readonly onlineAccess: boolean;
  readonly offlineAccess: boolean;
}

export function parseGrantedScopes(scope: string | undefined): GrantedScopes {
  const tokens = (scope ?? '').split(/\s+/).filter(Boolean);
  const resourceScopes = tokens.map(parseResourceScope).filter((s): s is ResourceScope => s !== undefined);
  return {
    resourceScopes,
    openid: tokens.includes('openid'),
    fhirUser: tokens.includes('fhirUser') || tokens.includes('profile'),
    launch: tokens.some((t) => t === 'launch' || t.startsWith('launch/')),
    onlineAccess: tokens.includes('online_access'),
    offlineAccess: tokens.includes('offline_access'),
  };
}

/** How much of a resource type a grant covers for an action. */
export type Coverage = 'all' | 'some' | 'none';

/**
 * Coverage of `permission` on `resourceType` in any launch context (patient/ or user/ both serve a clinician
 * looking at the launched patient). A scope with a granular filter covers `some`: results may be filtered.
 */
export function coverage(granted: GrantedScopes, resourceType: string, permission: Permission): Coverage {
  let result: Coverage = 'none';
  for (const scope of granted.resourceScopes) {
    if (scope.context === 'system') continue;
    if (scope.resourceType !== resourceType && scope.resourceType !== '*') continue;
    if (!scope.permissions.has(permission)) continue;
    if (scope.filter === undefined) return 'all';
    result = 'some';
  }
  return result;
}

export interface Capabilities {
  readonly readObservations: Coverage;
  readonly readNotes: Coverage;
  /** Creating a DocumentReference: v1 `.write`/`.*`, v2 `.c` (a granular `?category=clinical-note` counts). */
  readonly createNotes: boolean;
  readonly readPatient: boolean;
  readonly readEncounter: boolean;
  readonly readPractitioner: boolean;
  /** A refresh token can be expected (online_access or offline_access granted). */
  readonly canRefresh: boolean;
  /** Nothing writable was granted. */
  readonly readOnly: boolean;
}

export function capabilitiesFromScopes(scope: string | undefined): Capabilities {
  const granted = parseGrantedScopes(scope);
  const createNotes = coverage(granted, 'DocumentReference', 'c') !== 'none';
  const readable = (type: string) =>
    coverage(granted, type, 'r') !== 'none' || coverage(granted, type, 's') !== 'none';
  return {
    // Both lists are FHIR searches, so `s` is what they need (v1 `.read` implies it).
    readObservations: coverage(granted, 'Observation', 's'),
    readNotes: coverage(granted, 'DocumentReference', 's'),
    createNotes,
    readPatient: readable('Patient'),
    readEncounter: readable('Encounter'),
    readPractitioner: readable('Practitioner'),
    canRefresh: granted.onlineAccess || granted.offlineAccess,
    readOnly: !granted.resourceScopes.some(
      (s) =>
        s.context !== 'system' &&
        (s.permissions.has('c') || s.permissions.has('u') || s.permissions.has('d')),
    ),
  };
}
