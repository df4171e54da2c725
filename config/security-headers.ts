/**
 * The production HTTP headers of MOVO-X, defined once.
 *
 * Every server that hands out the built app uses these rules: the preview server of the e2e suite
 * (scripts/preview-server.ts), the generated host samples (scripts/deploy-headers.ts → deploy/) and the
 * deployment checker (scripts/check-deployment.ts). The only input is the runtime registrations file, so that
 * adding an EHR customer changes the headers without rebuilding the app.
 *
 * Why each directive is what it is (CSP Level 3, https://www.w3.org/TR/CSP3/):
 * - `script-src 'self'`: no inline script, no eval. Access tokens live in sessionStorage, readable by any
 *   script on the origin (SMART App Launch, "App Protection"): only our own bundled files may run.
 * - `style-src 'self'` WITHOUT 'unsafe-inline': React's `style` prop and recharts (3.x measures text with
 *   `Object.assign(span.style, …)`) write styles through the CSSOM, which CSP does not govern; only `<style>`
 *   elements and `style="…"` attributes in parsed markup (or `setAttribute('style')`) are blocked. Consequence
 *   for the app: HTML inserted with `dangerouslySetInnerHTML` (FHIR narrative) must have `style` attributes
 *   stripped by the sanitiser, or each one is a CSP violation (harmless, but reported).
 * - `img-src 'self' data: blob:`: Vite inlines small imported images as `data:` URLs (build.assetsInlineLimit);
 *   `blob:` for locally generated images (chart export, attachment preview).
 * - `connect-src 'self' <EHR origins>`: the app fetches its own configuration, then only the configured FHIR
 *   servers and their authorisation servers (token endpoint on another host: `connectOrigins`).
 * - `frame-ancestors <EHR origins>`: only configured EHRs may frame the app ('none' when none is configured).
 *   No 'self': the app never frames itself. No `X-Frame-Options`: it cannot express an allow-list (its
 *   `ALLOW-FROM` took one origin and is obsolete), and browsers that know `frame-ancestors` ignore it anyway
 *   (https://html.spec.whatwg.org/multipage/document-lifecycle.html#the-x-frame-options-header).
 * - `object-src 'none'`, `base-uri 'none'`: no plugins; no `<base>` injection redirecting relative URLs.
 * - `form-action 'none'`: the launch page reaches the EHR's authorize endpoint by navigation
 *   (`location.href`; fhirclient's authorize is always a GET), which CSP does not restrict, and the note editor
 *   submits through JavaScript. A native form submission would put clinical text into a URL: block it.
 *   (If fhirclient ever uses SMART's `authorize-post`, this must become the EHR origins.)
 *
 * Other headers: `Referrer-Policy: no-referrer` (the launch and code parameters in our URLs must not leak to
 * the EHR or anyone else), `X-Content-Type-Options: nosniff`, and `Strict-Transport-Security` (ignored by
 * browsers over plain http, e.g. the loopback preview: RFC 6797 §8.1).
 *
 * Caching: Vite's `/assets/*` names carry a content hash and never change: cache for a year, immutable.
 * Everything else (the two HTML entries, /config/registrations.json, /smart/client-metadata.json, the logo)
 * keeps its name across releases and configuration changes: `no-cache` (always revalidate; ETags keep it cheap).
 */
import { connectOrigins, frameOrigins, type Registration } from '../src/config/registrations.ts';

/** Vite's output directory for content-hashed files (build.assetsDir). Never put unhashed files there. */
export const HASHED_ASSETS_PREFIX = '/assets/';
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const REVALIDATE_CACHE_CONTROL = 'no-cache';

/** One CSP directive: name and source list, in the order they are emitted. */
export type CspDirective = readonly [name: string, sources: readonly string[]];

/** The Content-Security-Policy as an ordered list of directives (see the file comment for the reasons). */
export function cspDirectives(registrations: readonly Registration[]): CspDirective[] {
  const ancestors = frameOrigins(registrations);
  return [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['connect-src', ["'self'", ...connectOrigins(registrations)]],
    ['frame-ancestors', ancestors.length > 0 ? ancestors : ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
}

export function contentSecurityPolicy(registrations: readonly Registration[]): string {
  return cspDirectives(registrations)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Parses a Content-Security-Policy header value: directive name (lower case) → source list. */
export function parseContentSecurityPolicy(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    // CSP3 §2.2.1: a repeated directive is ignored; the first one wins.
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Headers sent with every response, whatever its type (CSP also protects an SVG or JSON opened directly). */
export function securityHeaders(registrations: readonly Registration[]): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(registrations),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Strict-Transport-Security': 'max-age=31536000',
  };
}

export function isHashedAsset(pathname: string): boolean {
  return pathname.startsWith(HASHED_ASSETS_PREFIX);
}

export function cacheControlFor(pathname: string): string {
  return isHashedAsset(pathname) ? IMMUTABLE_CACHE_CONTROL : REVALIDATE_CACHE_CONTROL;
}

/** All production headers for a response to `pathname` (URL path, without query). */
export function headersForPath(
  pathname: string,
  registrations: readonly Registration[],
): Record<string, string> {
  return { ...securityHeaders(registrations), 'Cache-Control': cacheControlFor(pathname) };
}
