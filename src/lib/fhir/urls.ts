/**
 * Which URLs may receive the access token. SMART: never send the token to a server other than the one it was
 * issued for (https://hl7.org/fhir/smart-app-launch/app-launch.html#step-5-access-protected-resources); a
 * DocumentReference or a Bundle's `next` link can name any server.
 */

/** The FHIR base with exactly one trailing slash, so that relative references resolve under it. */
function baseWithSlash(serverUrl: string): string {
  return serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`;
}

/** `DocumentReference?…` or `Binary/1` relative to the FHIR base (not to its parent, as plain URL resolution would). */
export function resolveFhirUrl(url: string, serverUrl: string): string {
  return new URL(url, baseWithSlash(serverUrl)).href;
}

/**
 * Resolves `url` (absolute, or relative to the FHIR base such as `Binary/1`) and returns it when it lies on the
 * FHIR server: same origin, and the path equal to the base path or under it. Undefined otherwise (another
 * origin, a sibling path, a malformed URL, a non-http scheme).
 */
export function resolveOnFhirServer(url: string, serverUrl: string): string | undefined {
  try {
    const base = new URL(baseWithSlash(serverUrl));
    const resolved = new URL(url, base);
    if (resolved.origin !== base.origin) return undefined;
    if (resolved.username || resolved.password) return undefined;
    const basePath = base.pathname.replace(/\/$/, '');
    const path = resolved.pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return undefined;
    return resolved.href;
  } catch {
    return undefined;
  }
}
