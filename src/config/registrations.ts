/**
 * Runtime configuration of EHR registrations: one build, many deployments.
 *
 * The file is served at `/config/registrations.json` (never hashed, never cached) so that an administrator can
 * add an EHR customer without a rebuild. Validated with zod's tree-shakable `zod/mini` build because the launch
 * page has a 20 KB gzip budget (see README "Performance").
 */
import * as z from 'zod/mini';

export const REGISTRATIONS_PATH = '/config/registrations.json';

/** LOINC note type offered in the note editor (US Core common clinical note types). */
const noteTypeSchema = z.object({
  system: z._default(z.string(), 'http://loinc.org'),
  code: z.string().check(z.minLength(1)),
  display: z.string().check(z.minLength(1)),
});

const httpUrl = z.string().check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL'),
);

// Strict: a misspelt optional key (`frameOrigin`) is an error, not silently ignored.
export const registrationSchema = z.strictObject({
  /** Stable identifier of this registration (used in logs and the standalone picker). */
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes')),
  /** Shown to clinicians (standalone picker) and administrators. */
  displayName: z.string().check(z.minLength(1)),
  /**
   * The FHIR base URL(s) this registration accepts as `iss`: an `iss` matches when its origin is identical and
   * its path equals the issuer's path or continues it after a `/`. Never a substring match.
   */
  issuer: httpUrl,
  /** The client_id the EHR assigned to this MOVO-X registration. */
  clientId: z.string().check(z.minLength(1)),
  /** SMART scope grammar the registration was made with; `discover` reads the server's `permission-v2`. */
  scopeVersion: z._default(z.enum(['v1', 'v2', 'discover']), 'v2'),
  /** Replaces the default scope list entirely (space separated). `launch` etc. are still added. */
  scopes: z.optional(z.string()),
  /** `required`: refuse a server that does not advertise S256. `unsafeV1`: always send S256 (servers that omit the field). */
  pkce: z._default(z.enum(['required', 'unsafeV1']), 'required'),
  /** Extra headers for the discovery request, e.g. Epic's `Epic-Client-ID`. */
  discoveryHeaders: z._default(z.record(z.string(), z.string()), {}),
  /** Oracle PowerChart session isolation: `auto` switches it on when `window.external.DiscernObjectFactory` exists. */
  powerChart: z._default(z.enum(['auto', 'on', 'off']), 'auto'),
  /** Web origins of the EHR that may frame MOVO-X (CSP frame-ancestors). Defaults to the issuer's origin. */
  frameOrigins: z.optional(z.array(httpUrl)),
  /** Extra origins MOVO-X must reach besides the issuer (e.g. a token endpoint on another host; CSP connect-src). */
  connectOrigins: z.optional(z.array(httpUrl)),
  /** Listed on the standalone-launch picker (launch.html without `iss`). */
  standalone: z._default(z.boolean(), false),
  notes: z._default(
    z.strictObject({
      /** Epic files notes only against an encounter of the same patient. */
      encounter: z._default(z.enum(['required', 'optional']), 'optional'),
      /** `final` signs; `preliminary` files an unsigned note for review (Epic). */
      docStatus: z._default(z.enum(['final', 'preliminary']), 'final'),
      /** Offer "Save for review" (docStatus preliminary) beside "Sign and file". */
      allowReview: z._default(z.boolean(), true),
      types: z.optional(z.array(noteTypeSchema).check(z.minLength(1))),
    }),
    { encounter: 'optional', docStatus: 'final', allowReview: true },
  ),
});

export const registrationsFileSchema = z.strictObject({
  registrations: z.array(registrationSchema),
});

export type Registration = z.infer<typeof registrationSchema>;
export type RegistrationsFile = z.infer<typeof registrationsFileSchema>;
export type NoteTypeOption = z.infer<typeof noteTypeSchema>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * zod/mini ships no message texts (they would cost the launch page's budget): say what is wrong ourselves.
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.') || '(root)';
  if (issue.code === 'invalid_type') return `${path}: expected ${issue.expected}`;
  if (issue.code === 'unrecognized_keys') {
    return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_value') {
    return `${path}: must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (issue.code === 'too_small') return `${path}: must not be empty`;
  return `${path}: ${issue.message}`;
}

/** Validates parsed JSON; the error names every broken field by its path ("registrations.1.clientId: ..."). */
export function parseRegistrations(json: unknown): RegistrationsFile {
  const result = z.safeParse(registrationsFileSchema, json);
  if (!result.success) {
    const problems = result.error.issues.map(describeIssue);
    throw new ConfigurationError(`The EHR registration file is invalid. ${problems.join('; ')}`);
  }
  const ids = new Set<string>();
  for (const [index, registration] of result.data.registrations.entries()) {
    if (ids.has(registration.id)) {
      throw new ConfigurationError(
        `The EHR registration file is invalid. registrations.${index}.id: "${registration.id}" is used twice`,
      );
    }
    ids.add(registration.id);
  }
  return result.data;
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
