/**
 * Runtime configuration of EHR registrations: one build, many deployments.
 *
 * The file is served at `/config/registrations.json` (never hashed, never cached) so that an administrator can
 * add an EHR customer without a rebuild. Validated with valibot, whose modular schemas cost about 2 KB gzip
 * here: the launch page has a 20 KB gzip budget and fhirclient alone takes 16 KB (zod/mini measured 7–8 KB, too
 * much; see README "Performance").
 */
import * as v from 'valibot';

export const REGISTRATIONS_PATH = '/config/registrations.json';

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'));

/** LOINC note type offered in the note editor (US Core common clinical note types). */
const noteTypeSchema = v.strictObject({
  system: v.optional(v.string(), 'http://loinc.org'),
  code: nonEmpty,
  display: nonEmpty,
});

const httpUrl = v.pipe(
  v.string(),
  v.check((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL'),
);

const notesSchema = v.strictObject({
  /** Epic files notes only against an encounter of the same patient. */
  encounter: v.optional(v.picklist(['required', 'optional']), 'optional'),
  /** `final` signs; `preliminary` files an unsigned note for review (Epic). */
  docStatus: v.optional(v.picklist(['final', 'preliminary']), 'final'),
  /** Offer "Save for review" (docStatus preliminary) beside "Sign and file". */
  allowReview: v.optional(v.boolean(), true),
  types: v.optional(v.pipe(v.array(noteTypeSchema), v.minLength(1, 'must not be empty'))),
});

// Strict: a misspelt optional key (`frameOrigin`) is an error, not silently ignored.
export const registrationSchema = v.strictObject({
  /** Stable identifier of this registration (used in logs and the standalone picker). */
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes')),
  /** Shown to clinicians (standalone picker) and administrators. */
  displayName: nonEmpty,
  /**
   * The FHIR base URL this registration accepts as `iss`: an `iss` matches when its origin is identical and
   * its path equals the issuer's path or continues it after a `/`. Never a substring match.
   */
  issuer: httpUrl,
  /** The client_id the EHR assigned to this MOVO-X registration. */
  clientId: nonEmpty,
  /** SMART scope grammar the registration was made with; `discover` reads the server's `permission-v2`. */
  scopeVersion: v.optional(v.picklist(['v1', 'v2', 'discover']), 'v2'),
  /** Replaces the default resource scopes (space separated). `launch`, `openid`, `fhirUser` are still added. */
  scopes: v.optional(v.string()),
  /** `required`: refuse a server that does not advertise S256. `unsafeV1`: always send S256 (servers that omit the field). */
  pkce: v.optional(v.picklist(['required', 'unsafeV1']), 'required'),
  /** Extra headers for the discovery request, e.g. Epic's `Epic-Client-ID`. */
  discoveryHeaders: v.optional(v.record(v.string(), v.string()), {}),
  /** Oracle PowerChart session isolation: `auto` switches it on when `window.external.DiscernObjectFactory` exists. */
  powerChart: v.optional(v.picklist(['auto', 'on', 'off']), 'auto'),
  /** Web origins of the EHR that may frame MOVO-X (CSP frame-ancestors). Defaults to the issuer's origin. */
  frameOrigins: v.optional(v.array(httpUrl)),
  /** Extra origins MOVO-X must reach besides the issuer (e.g. a token endpoint on another host; CSP connect-src). */
  connectOrigins: v.optional(v.array(httpUrl)),
  /**
   * `all`: one Observation search by patient (it also finds observations without a category). `by-category`:
   * one search per category, for EHRs that refuse a search without one (Epic).
   */
  observationSearch: v.optional(v.picklist(['all', 'by-category']), 'all'),
  /** Listed on the standalone-launch picker (launch.html without `iss`). */
  standalone: v.optional(v.boolean(), false),
  notes: v.optional(notesSchema, { encounter: 'optional', docStatus: 'final', allowReview: true }),
});

export const registrationsFileSchema = v.strictObject({
  registrations: v.array(registrationSchema),
});

/** Every field a registration may have (documentation and tests). */
export const REGISTRATION_FIELDS = Object.keys(registrationSchema.entries);

export type Registration = v.InferOutput<typeof registrationSchema>;
export type RegistrationsFile = v.InferOutput<typeof registrationsFileSchema>;
export type NoteTypeOption = v.InferOutput<typeof noteTypeSchema>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** "registrations.1.clientId: must not be empty" — the path of the broken field, then what is wrong. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue) ?? '(root)';
  // A strict object reports an unexpected key as "expected never".
  if (issue.kind === 'schema' && issue.expected === 'never') return `${path}: unknown field`;
  return `${path}: ${issue.message}`;
}

/**
 * Reads and validates the deployment's registrations. Same mode and credentials as the pages'
 * `<link rel=preload as=fetch crossorigin>`, so the preloaded response is reused rather than fetched again.
 */
export async function fetchRegistrations(): Promise<RegistrationsFile> {
  const response = await fetch(REGISTRATIONS_PATH, { credentials: 'same-origin' });
  if (!response.ok)
    throw new ConfigurationError(`The EHR registration file could not be loaded (HTTP ${response.status}).`);
  return parseRegistrations(await response.json());
}

/** Validates parsed JSON; the error names every broken field by its path ("registrations.1.clientId: ..."). */
export function parseRegistrations(json: unknown): RegistrationsFile {
  const result = v.safeParse(registrationsFileSchema, json);
  if (!result.success) {
    const problems = result.issues.map(describeIssue);
    throw new ConfigurationError(`The EHR registration file is invalid. ${problems.join('; ')}`);
  }
  const ids = new Set<string>();
  for (const [index, registration] of result.output.registrations.entries()) {
    if (ids.has(registration.id)) {
      throw new ConfigurationError(
        `The EHR registration file is invalid. registrations.${index}.id: "${registration.id}" is used twice`,
      );
    }
    ids.add(registration.id);
  }
  return result.output;
}

function stripTrailingSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Finds the registration for an `iss`, comparing parsed URLs: exact origin, then the issuer's path as a whole
 * path prefix. `https://ehr.example/fhir` matches `https://ehr.example/fhir/r4` but not `https://ehr.example/fhirx`
 * nor `https://ehr.example.evil.test/fhir`. Query and fragment are not allowed in an `iss`.
 * (SMART App Launch: the app must check `iss` against the servers it trusts — HL7/smart-app-launch#230.)
 */
export function findRegistration(
  registrations: readonly Registration[],
  iss: string | null,
): Registration | undefined {
  if (!iss) return undefined;
  let issUrl: URL;
  try {
    issUrl = new URL(iss);
  } catch {
    return undefined;
  }
  if (issUrl.search || issUrl.hash || issUrl.username || issUrl.password) return undefined;
  const issPath = stripTrailingSlash(issUrl.pathname);
  return registrations.find((registration) => {
    const issuer = new URL(registration.issuer);
    if (issuer.origin !== issUrl.origin) return false;
    const issuerPath = stripTrailingSlash(issuer.pathname);
    return issPath === issuerPath || issPath.startsWith(`${issuerPath}/`);
  });
}

const originOf = (url: string): string => new URL(url).origin;

/** Origins MOVO-X may connect to (CSP connect-src). */
export function connectOrigins(registrations: readonly Registration[]): string[] {
  return [
    ...new Set(registrations.flatMap((r) => [originOf(r.issuer), ...(r.connectOrigins ?? []).map(originOf)])),
  ];
}

/** Origins allowed to frame MOVO-X (CSP frame-ancestors). */
export function frameOrigins(registrations: readonly Registration[]): string[] {
  return [...new Set(registrations.flatMap((r) => (r.frameOrigins ?? [r.issuer]).map(originOf)))];
}
