/**
 * `{fhirBase}/.well-known/smart-configuration` (SMART App Launch 2.2, "Conformance":
 * https://hl7.org/fhir/smart-app-launch/conformance.html). One document per FHIR base: the v1-only base advertises
 * no `permission-v2` and only v1 scopes.
 */
import type { FhirBase } from './store.ts';

export const AUTHORIZE_PATH = '/auth/authorize';
export const TOKEN_PATH = '/auth/token';
export const JWKS_PATH = '/auth/jwks';

const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'client-confidential-symmetric',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'sso-openid-connect',
  'permission-v1',
  'permission-v2',
  'permission-online',
  'permission-offline',
  'permission-user',
  'permission-patient',
  'authorize-post',
] as const;

const V2_SCOPES = ['patient/*.cruds', 'user/*.cruds', 'patient/*.rs', 'user/*.rs'];
const V1_SCOPES = [
  'patient/*.read',
  'user/*.read',
  'patient/*.write',
  'user/*.write',
  'patient/*.*',
  'user/*.*',
];
const CONTEXT_SCOPES = ['openid', 'fhirUser', 'launch', 'launch/patient', 'online_access', 'offline_access'];

export function smartConfiguration(origin: string, base: FhirBase): Record<string, unknown> {
  return {
    issuer: base.url,
    jwks_uri: origin + JWKS_PATH,
    authorization_endpoint: origin + AUTHORIZE_PATH,
    token_endpoint: origin + TOKEN_PATH,
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [...CONTEXT_SCOPES, ...(base.v1Only ? V1_SCOPES : [...V2_SCOPES, ...V1_SCOPES])],
    capabilities: CAPABILITIES.filter((capability) => !(base.v1Only && capability === 'permission-v2')),
  };
}
