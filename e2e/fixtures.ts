/**
 * Test fixtures. The normal case runs in a persistent browser profile that allows third-party storage, as a
 * clinician's browser does where the EHR embeds apps: a cross-site iframe can then use sessionStorage. Measured
 * with Chromium 156 here: a fresh Playwright context AND a plain persistent profile both block it (SecurityError);
 * the profile needs `cookie_controls_mode: 0`. The blocked case has its own test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, chromium, type BrowserContext, type FrameLocator, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './browser.ts';
import { e2eEnvironment, type E2eEnvironment } from './env.ts';
import { ehrLaunch } from '../sandbox/testing/smart-client.ts';

export interface LaunchOptions {
  patient: string;
  practitioner?: string;
  encounter?: string;
  /** false: the EHR shows its own banner (need_patient_banner: false). */
  banner?: boolean;
  tokenLifetime?: number;
  /** 'read-only' or a space-separated scope list. */
  grant?: string;
  refresh?: 'deny';
  v1?: boolean;
}

export const DEFAULT_PRACTITIONER = 'practitioner-1';

function launchQuery(env: E2eEnvironment, options: LaunchOptions): string {
  const params = new URLSearchParams({
    client_id: 'movo-x',
    patient: options.patient,
    practitioner: options.practitioner ?? DEFAULT_PRACTITIONER,
    app_origin: env.appOrigin,
  });
  if (options.encounter) params.set('encounter', options.encounter);
  if (options.banner === false) params.set('banner', '0');
  if (options.tokenLifetime) params.set('token_lifetime', String(options.tokenLifetime));
  if (options.grant) params.set('grant', options.grant);
  if (options.refresh) params.set('refresh', options.refresh);
  if (options.v1) params.set('v1', '1');
  return params.toString();
}

export interface Ehr {
  readonly env: E2eEnvironment;
  /** The sandbox EHR's chart page with MOVO-X in its iframe (cross-site, as in Epic or Oracle Health). */
  openChart(page: Page, options: LaunchOptions): Promise<FrameLocator>;
  /** The scripted launch URL that redirects to MOVO-X's launch.html (top-level: "new tab"). */
  launchUrl(options: LaunchOptions): string;
  /** Reads the FHIR server directly, outside the app, with a token the test obtains itself. */
  fhir<T>(path: string): Promise<T>;
}

/** A token of the test's own, from the sandbox's real OAuth flow (sandbox/testing/smart-client.ts). */
async function serverToken(env: E2eEnvironment): Promise<string> {
  const sandbox = {
    origin: env.sandboxOrigin,
    fhirBaseUrl: env.fhirBaseUrl,
    ehrUrl: `${env.sandboxOrigin}/ehr`,
    close: () => Promise.resolve(),
  };
  const response = await ehrLaunch(sandbox, {
    redirectUri: `${env.appOrigin}/index.html`,
    scope: 'launch user/Patient.rs user/Observation.rs user/DocumentReference.rs user/Encounter.rs',
  });
  return response.access_token;
}

/** Chromium's "allow third-party cookies" setting, which also governs storage in cross-site frames. */
export function allowThirdPartyStorage(profileDir: string): void {
  mkdirSync(join(profileDir, 'Default'), { recursive: true });
  writeFileSync(
    join(profileDir, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }),
  );
}

export const test = base.extend<{ ehr: Ehr }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument.
  context: async ({}, use) => {
    const profile = mkdtempSync(join(tmpdir(), 'movo-x-e2e-'));
    allowThirdPartyStorage(profile);
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
      headless: true,
    });
    await use(context);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  },
  page: async ({ context }, use) => {
    const page = context.pages()[0] ?? (await context.newPage());
    await use(page);
  },
  // eslint-disable-next-line no-empty-pattern
  ehr: async ({}, use) => {
    const env = e2eEnvironment();
    let token: string | undefined;
    await use({
      env,
      launchUrl: (options) => `${env.sandboxOrigin}/ehr/launch?${launchQuery(env, options)}`,
      openChart: async (page, options) => {
        await page.goto(`${env.sandboxOrigin}/ehr/chart?${launchQuery(env, options)}`);
        return page.frameLocator('iframe[title="MOVO-X"]');
      },
      fhir: async <T>(path: string): Promise<T> => {
        token ??= await serverToken(env);
        const response = await fetch(`${env.fhirBaseUrl}/${path}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
        });
        if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
        return (await response.json()) as T;
      },
    });
  },
});

export { expect } from '@playwright/test';
