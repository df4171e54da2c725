/**
 * The id_token signing key: RS256, generated at start (the sandbox keeps no secrets on disk), published at
 * `/auth/jwks` so an app can verify id_tokens with jose's createRemoteJWKSet (SMART App Launch 2.2,
 * "Scopes for requesting identity data": https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-identity-data).
 */
import type { JSONWebKeySet, CryptoKey } from 'jose';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { randomToken } from './store.ts';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwks: JSONWebKeySet;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomToken().slice(0, 16);
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
}

export interface IdTokenClaims {
  readonly issuer: string;
  readonly clientId: string;
  readonly practitionerId: string;
  /** Absolute URL of the user's FHIR resource (`{fhirBase}/Practitioner/<id>`). */
  readonly fhirUser: string | undefined;
  readonly name: string | undefined;
  readonly nonce: string | undefined;
  readonly lifetimeSeconds: number;
}

export async function signIdToken(key: SigningKey, claims: IdTokenClaims): Promise<string> {
  return new SignJWT({
    ...(claims.fhirUser ? { fhirUser: claims.fhirUser } : {}),
    ...(claims.name ? { name: claims.name } : {}),
    ...(claims.nonce ? { nonce: claims.nonce } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.clientId)
    .setSubject(claims.practitionerId)
    .setIssuedAt()
    .setExpirationTime(`${Math.max(60, claims.lifetimeSeconds)}s`)
    .sign(key.privateKey);
}
