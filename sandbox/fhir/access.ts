/**
 * Enforcing the granted scopes on the FHIR API (SMART App Launch 2.2 scopes; stricter than the public SMART
 * sandbox, which enforces nothing):
 * - reads need `r`, searches `s`, creates `c`, updates `u` on the resource type (or `*`);
 * - `patient/` scopes cover only the launch patient's compartment (the Patient itself, and resources whose
 *   subject/patient is that patient); resources outside any patient compartment (Practitioner) are not limited;
 * - granular scopes (`?category=...`) cover resources with a matching category. Searches are FILTERED to what the
 *   scope covers (the category is added to the query: a search for other categories answers an empty Bundle),
 *   reads and writes outside it answer 403.
 * A search is served under one covering scope: the first one the query already satisfies, else the broadest,
 * whose restrictions are then added to the query. A search that names another patient than the launch patient
 * under `patient/` scopes only answers 403.
 */
import { getSearchParameters } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { Permission, ResourceScope } from '../oauth/scopes.ts';
import { coveringScopes } from '../oauth/scopes.ts';
import { patientIdOf } from './search-index.ts';

export interface AccessContext {
  readonly scopes: readonly string[];
  /** The launch patient, when the launch has one. */
  readonly patientId: string | undefined;
}

export type AccessDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export type SearchDecision =
  | { readonly allowed: true; readonly params: URLSearchParams }
  | { readonly allowed: false; readonly reason: string };

const ALLOWED: AccessDecision = { allowed: true };

/** Types in the patient compartment: the Patient itself and anything searchable by `patient`. */
export function inPatientCompartment(resourceType: string): boolean {
  return resourceType === 'Patient' || getSearchParameters(resourceType)?.patient !== undefined;
}

interface CategoryFilter {
  readonly system: string | undefined;
  readonly code: string;
}

/** `category=system|code` (the only granular parameter the sandbox understands; others cover nothing). */
function categoryFilters(scope: ResourceScope): CategoryFilter[] | 'unsupported' | undefined {
  if (scope.filter === undefined) return undefined;
  const params = new URLSearchParams(scope.filter);
  const keys = [...new Set(params.keys())];
  if (keys.length !== 1 || keys[0] !== 'category') return 'unsupported';
  return params
    .getAll('category')
    .flatMap((value) => value.split(','))
    .map((value) => {
      const bar = value.indexOf('|');
      return bar < 0
        ? { system: undefined, code: value }
        : { system: value.slice(0, bar), code: value.slice(bar + 1) };
    });
}

function categoryMatches(resource: Resource, filters: readonly CategoryFilter[]): boolean {
  const record = resource as unknown as { category?: unknown };
  const concepts = Array.isArray(record.category)
    ? record.category
    : record.category
      ? [record.category]
      : [];
  return (concepts as { coding?: { system?: string; code?: string }[] }[]).some((concept) =>
    (concept.coding ?? []).some((coding) =>
      filters.some(
        (filter) =>
          coding.code === filter.code && (filter.system === undefined || coding.system === filter.system),
      ),
    ),
  );
}

function describe(permission: Permission): string {
  return { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }[permission];
}

/** May the token `permission` this resource (read, create or update)? */
export function checkResource(
  context: AccessContext,
  resource: Resource,
  permission: Permission,
): AccessDecision {
  const covering = coveringScopes(context.scopes, resource.resourceType, permission);
  if (covering.length === 0) {
    return {
      allowed: false,
      reason: `The granted scopes do not allow ${describe(permission)} on ${resource.resourceType}.`,
    };
  }
  const compartment = inPatientCompartment(resource.resourceType);
  const owner = patientIdOf(resource);
  for (const scope of covering) {
    if (
      scope.context === 'patient' &&
      compartment &&
      (context.patientId === undefined || owner !== context.patientId)
    ) {
      continue;
    }
    const filters = categoryFilters(scope);
    if (filters === 'unsupported') continue;
    if (filters && !categoryMatches(resource, filters)) continue;
    return ALLOWED;
  }
  return {
    allowed: false,
    reason: `${resource.resourceType}/${resource.id ?? '(new)'} is outside what the granted scopes allow (${covering
      .map((scope) => `${scope.context}/${scope.resourceType}${scope.filter ? `?${scope.filter}` : ''}`)
      .join(', ')}).`,
  };
}

interface Restriction {
  readonly patient: boolean;
  readonly categories: readonly CategoryFilter[] | undefined;
}

function namedPatients(resourceType: string, params: URLSearchParams): string[] | undefined {
  const names = resourceType === 'Patient' ? ['_id'] : ['patient', 'subject'];
  const values = names.flatMap((name) => params.getAll(name)).flatMap((value) => value.split(','));
  if (values.length === 0) return undefined;
  return values.map((value) =>
    value.includes('/') ? value.split('/').slice(-2).join('/') : `Patient/${value}`,
  );
}

function satisfies(
  restriction: Restriction,
  resourceType: string,
  params: URLSearchParams,
  patientId: string | undefined,
): boolean {
  if (restriction.patient) {
    const named = namedPatients(resourceType, params);
    if (!named || patientId === undefined || named.some((reference) => reference !== `Patient/${patientId}`))
      return false;
  }
  if (restriction.categories) {
    const asked = params.getAll('category').map((value) => value.split(','));
    const allowedCodes = restriction.categories;
    const withinAllowed = (value: string) =>
      allowedCodes.some(
        (filter) => value === filter.code || value === `${filter.system ?? ''}|${filter.code}`,
      );
    if (!asked.some((alternatives) => alternatives.every(withinAllowed))) return false;
  }
  return true;
}

/** Decides a search and returns the query to run (the request's parameters plus the scope's restrictions). */
export function planSearch(
  context: AccessContext,
  resourceType: string,
  params: URLSearchParams,
): SearchDecision {
  const covering = coveringScopes(context.scopes, resourceType, 's');
  if (covering.length === 0) {
    return { allowed: false, reason: `The granted scopes do not allow search on ${resourceType}.` };
  }
  const compartment = inPatientCompartment(resourceType);
  const restrictions: Restriction[] = [];
  for (const scope of covering) {
    const categories = categoryFilters(scope);
    if (categories === 'unsupported') continue;
    restrictions.push({ patient: scope.context === 'patient' && compartment, categories });
  }
  // Broadest first: no patient restriction before patient-bound, unfiltered before granular.
  restrictions.sort(
    (a, b) =>
      Number(a.patient) - Number(b.patient) ||
      Number(a.categories !== undefined) - Number(b.categories !== undefined),
  );
  const chosen =
    restrictions.find((restriction) => satisfies(restriction, resourceType, params, context.patientId)) ??
    restrictions[0];
  if (!chosen)
    return { allowed: false, reason: `The granted scopes do not allow search on ${resourceType}.` };

  const result = new URLSearchParams(params);
  if (chosen.patient) {
    if (context.patientId === undefined) {
      return {
        allowed: false,
        reason: 'patient/ scopes were granted but the launch has no patient in context.',
      };
    }
    const named = namedPatients(resourceType, params);
    if (named?.some((reference) => reference !== `Patient/${context.patientId ?? ''}`)) {
      return {
        allowed: false,
        reason: `The granted patient/ scopes cover Patient/${context.patientId} only.`,
      };
    }
    if (!named) result.append(resourceType === 'Patient' ? '_id' : 'patient', context.patientId);
  }
  if (chosen.categories) {
    result.append(
      'category',
      chosen.categories
        .map((filter) => (filter.system === undefined ? filter.code : `${filter.system}|${filter.code}`))
        .join(','),
    );
  }
  return { allowed: true, params: result };
}
