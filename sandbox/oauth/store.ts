/**
 * The authorization server's short-lived state, in memory: launch contexts (5 minutes, like Epic's launch tokens),
 * authorization codes (60 s, single use), access tokens and refresh tokens. Values are opaque random strings from
 * node:crypto (256 bits).
 */
import { randomBytes } from 'node:crypto';
import type { LaunchGrant } from './scopes.ts';

export const LAUNCH_LIFETIME_MS = 5 * 60_000;
export const CODE_LIFETIME_MS = 60_000;
export const DEFAULT_TOKEN_LIFETIME_S = 3600;
/** online_access lasts as long as a clinician's working day; offline_access a month. */
export const ONLINE_REFRESH_LIFETIME_MS = 12 * 3600_000;
export const OFFLINE_REFRESH_LIFETIME_MS = 30 * 24 * 3600_000;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Options the EHR user picked for one launch (EHR page or `/ehr/launch` parameters). */
export interface LaunchOptions {
  /** SMART `need_patient_banner`: false when the EHR shows its own patient banner around the app. */
  readonly needPatientBanner: boolean;
  readonly tokenLifetimeSeconds: number;
  readonly grant: LaunchGrant;
  /** Refresh requests are refused (to test an app's "session ended" path). */
  readonly refreshDenied: boolean;
}

export const DEFAULT_LAUNCH_OPTIONS: LaunchOptions = {
  needPatientBanner: true,
  tokenLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_S,
  grant: { kind: 'all' },
  refreshDenied: false,
};

/** A FHIR base of this sandbox: the normal one, or the SMART v1-only one. */
export interface FhirBase {
  readonly url: string;
  readonly v1Only: boolean;
}

export interface LaunchContext {
  readonly clientId: string;
  readonly base: FhirBase;
  readonly patientId: string;
  readonly practitionerId: string;
  readonly encounterId: string | undefined;
  readonly options: LaunchOptions;
}

/** Everything a code, an access token and a refresh token stand for. */
export interface Authorization {
  readonly clientId: string;
  readonly base: FhirBase;
  readonly scopes: readonly string[];
  readonly patientId: string | undefined;
  readonly encounterId: string | undefined;
  readonly practitionerId: string;
  readonly options: LaunchOptions;
  readonly nonce: string | undefined;
}

export interface PendingCode {
  readonly authorization: Authorization;
  readonly redirectUri: string;
  readonly codeChallenge: string;
}

interface Expiring<T> {
  readonly value: T;
  readonly expiresAt: number;
}

/** A map whose entries vanish at their expiry time. */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, Expiring<T>>();
  private writes = 0;

  set(key: string, value: T, lifetimeMs: number): void {
    this.entries.set(key, { value, expiresAt: Date.now() + lifetimeMs });
    // Sweep now and then so that a long-running sandbox does not grow without bound.
    this.writes += 1;
    if (this.writes % 256 === 0) this.sweep();
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Like get, and tells whether the key existed but expired. */
  lookup(key: string): { value: T } | 'expired' | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) return 'expired';
    return { value: entry.value };
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

export interface RefreshToken {
  readonly authorization: Authorization;
  /** The code this chain of tokens came from (revoked together if the code is replayed). */
  readonly code: string;
}

export class AuthorizationStore {
  readonly launches = new ExpiringMap<LaunchContext>();
  readonly codes = new ExpiringMap<PendingCode>();
  readonly accessTokens = new ExpiringMap<Authorization>();
  readonly refreshTokens = new ExpiringMap<RefreshToken>();
  /** Codes already exchanged → the tokens issued from them (RFC 6749 §4.1.2: revoke them if the code comes back). */
  readonly usedCodes = new ExpiringMap<{ accessTokens: string[]; refreshTokens: string[] }>();

  createLaunch(context: LaunchContext): string {
    const launch = randomToken();
    this.launches.set(launch, context, LAUNCH_LIFETIME_MS);
    return launch;
  }

  createCode(pending: PendingCode): string {
    const code = randomToken();
    this.codes.set(code, pending, CODE_LIFETIME_MS);
    return code;
  }

  /** Revokes everything issued from a code that was presented twice. */
  revokeFromCode(code: string): void {
    const issued = this.usedCodes.get(code);
    if (!issued) return;
    for (const token of issued.accessTokens) this.accessTokens.delete(token);
    for (const token of issued.refreshTokens) this.refreshTokens.delete(token);
  }
}
