import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRegistrations, type Registration } from '../src/config/registrations.ts';
import { sandboxRegistrations } from './sandbox-registrations.ts';
import {
  cacheControlFor,
  contentSecurityPolicy,
  headersForPath,
  parseContentSecurityPolicy,
  securityHeaders,
} from './security-headers.ts';

const example = parseRegistrations(
  JSON.parse(readFileSync('config/registrations.example.json', 'utf8')),
).registrations;
const [local] = sandboxRegistrations(4010).registrations;
if (!local) throw new Error('no sandbox registration');

const policy = (registrations: readonly Registration[]): Map<string, string[]> =>
  parseContentSecurityPolicy(contentSecurityPolicy(registrations));

describe('Content-Security-Policy', () => {
  it('allows connections to the configured EHRs only, and framing by the configured EHR origins only', () => {
    const csp = policy(example);
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:4010',
      'https://launch.smarthealthit.org',
      'https://fhir.epic-customer.example',
      'https://fhir-ehr.cerner.com',
      'https://authorization.cerner.com',
    ]);
    // Epic and Oracle examples open the app in their embedded browser: no frame origin configured.
    expect(csp.get('frame-ancestors')).toEqual(['http://127.0.0.1:4010', 'https://launch.smarthealthit.org']);
  });

  it('frames: the issuer origin by default, never the app itself, none when nothing is configured', () => {
    expect(policy([local]).get('frame-ancestors')).toEqual(['http://127.0.0.1:4010']);
    expect(
      policy([{ ...local, frameOrigins: ['https://ehr.example/some/page'] }]).get('frame-ancestors'),
    ).toEqual(['https://ehr.example']);
    expect(policy([{ ...local, frameOrigins: [] }]).get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy([]).get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy([]).get('connect-src')).toEqual(["'self'"]);
  });

  it('allows no inline script, eval or inline style, no plugins, no <base>, no form submission', () => {
    const csp = policy(example);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(contentSecurityPolicy(example)).not.toMatch(/unsafe-|\*/);
  });

  it('parses the first occurrence of a repeated directive, as browsers do', () => {
    const parsed = parseContentSecurityPolicy("script-src 'self';  SCRIPT-SRC * ; img-src 'self' data:");
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(parsed.get('img-src')).toEqual(["'self'", 'data:']);
  });
});

describe('headersForPath', () => {
  it('caches hashed assets for a year and revalidates everything else', () => {
    expect(cacheControlFor('/assets/index-AbC123.js')).toBe('public, max-age=31536000, immutable');
    for (const path of [
      '/',
      '/index.html',
      '/launch.html',
      '/config/registrations.json',
      '/smart/client-metadata.json',
      '/logo.svg',
    ]) {
      expect(cacheControlFor(path), path).toBe('no-cache');
    }
  });

  it('sends the security headers with every path and never X-Frame-Options', () => {
    for (const path of ['/', '/assets/index-AbC123.js', '/config/registrations.json']) {
      const headers = headersForPath(path, example);
      expect(headers).toMatchObject(securityHeaders(example));
      expect(headers['Referrer-Policy']).toBe('no-referrer');
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('x-frame-options');
    }
  });
});
