/** The EHR's own pages and JSON lists, and the scripted launch, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../server.ts';
import { startSandbox } from '../server.ts';
import { SANDBOX_STYLE } from './style.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    heavyPatient: false,
    appOrigins: ['http://localhost:5173', 'http://localhost:4173'],
  });
});

afterAll(async () => {
  await sandbox.close();
});

const get = (path: string) => fetch(`${sandbox.origin}${path}`, { redirect: 'manual' });

describe('EHR lists', () => {
  it('lists patients with name, birth date, gender and observation count', async () => {
    const patients = (await (await get('/ehr/patients')).json()) as {
      id: string;
      name: string;
      observationCount: number;
    }[];
    expect(patients.map((patient) => patient.id)).toEqual([
      'patient-adult-1',
      'patient-adult-2',
      'patient-adult-3',
      'patient-adult-4',
      'patient-child-1',
      'patient-no-data',
    ]);
    expect(patients[0]).toMatchObject({
      name: 'Alice Marie Rivera',
      birthDate: expect.stringMatching(/-03-14$/) as string,
      gender: 'female',
    });
    expect(patients[0]?.observationCount).toBeGreaterThan(100);
    expect(patients.find((patient) => patient.id === 'patient-no-data')?.observationCount).toBe(0);
  });

  it('lists practitioners and a patient’s encounters, newest first', async () => {
    const practitioners = (await (await get('/ehr/practitioners')).json()) as { id: string; name: string }[];
    expect(practitioners[0]).toEqual({ id: 'practitioner-1', name: 'Dr. Sarah Whitfield MD' });
    const encounters = (await (await get('/ehr/encounters?patient=patient-adult-1')).json()) as {
      id: string;
      start: string;
    }[];
    expect(encounters.length).toBeGreaterThan(10);
    const starts = encounters.map((encounter) => encounter.start);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it('serves the launcher page with its script under a CSP', async () => {
    const page = await get('/ehr');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('Launch in EHR frame');
    expect(html).toContain('Launch in new tab');
    expect((await get('/ehr/ehr.js')).status).toBe(200);
    expect((await get('/')).headers.get('location')).toBe('/ehr');
  });

  it('gives tests a read-only token that reads any patient and cannot write', async () => {
    const response = await fetch(`${sandbox.origin}/ehr/test-token`, { method: 'POST' });
    const { access_token, scope } = (await response.json()) as { access_token: string; scope: string };
    expect(scope).toBe('user/*.rs');
    const headers = { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/fhir+json' };
    const read = await fetch(`${sandbox.fhirBaseUrl}/DocumentReference?patient=patient-adult-3`, { headers });
    expect(((await read.json()) as { total: number }).total).toBe(2);
    const write = await fetch(`${sandbox.fhirBaseUrl}/Observation`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }),
    });
    expect(write.status).toBe(403);
    expect((await get('/ehr/test-token')).status).toBe(404);
  });

  it('serves the style JSON with the SMART fields', async () => {
    expect(await (await get('/ehr/smart-style.json')).json()).toEqual(SANDBOX_STYLE);
  });
});

describe('scripted launch', () => {
  it('redirects to the app’s launch URL with iss and an opaque launch', async () => {
    const response = await get(
      '/ehr/launch?client_id=movo-x&patient=patient-adult-1&practitioner=practitioner-1',
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:5173/launch.html');
    expect(location.searchParams.get('iss')).toBe(sandbox.fhirBaseUrl);
    expect(location.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('picks another registered app origin with app_origin, and refuses unknown ones', async () => {
    const response = await get('/ehr/launch?patient=patient-adult-1&app_origin=http://localhost:4173');
    expect(response.headers.get('location')).toMatch(/^http:\/\/localhost:4173\/launch\.html\?/);
    expect((await get('/ehr/launch?patient=patient-adult-1&app_origin=http://localhost:9999')).status).toBe(
      400,
    );
  });

  it('refuses unknown clients, patients, foreign encounters and bad options with an error page', async () => {
    for (const query of [
      'client_id=nobody&patient=patient-adult-1',
      'patient=patient-nobody',
      'patient=patient-adult-1&encounter=enc-adult-2-01',
      'patient=patient-adult-1&token_lifetime=0',
      'patient=patient-adult-1&banner=maybe',
    ]) {
      const response = await get(`/ehr/launch?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('location'), query).toBeNull();
    }
  });

  it('the chart page frames the launch, without sandbox attribute or CSP, and draws a banner for banner=0', async () => {
    const response = await get(
      '/ehr/chart?client_id=movo-x&patient=patient-adult-4&practitioner=practitioner-1',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBeNull();
    const html = await response.text();
    expect(html).toContain('<title>Sandbox EHR — James Patrick O&#39;Brien</title>');
    const frame = /<iframe title="MOVO-X" src="([^"]+)"><\/iframe>/.exec(html);
    // The app's launch URL itself, with iss and a fresh launch code, as Epic and Oracle Health open it.
    const src = new URL((frame?.[1] ?? '').replace(/&amp;/g, '&'));
    expect(`${src.origin}${src.pathname}`).toBe('http://localhost:5173/launch.html');
    expect(src.searchParams.get('iss')).toBe(`${sandbox.origin}/fhir`);
    expect(src.searchParams.get('launch')).toMatch(/^[\w-]{20,}$/);
    expect(html).not.toMatch(/<iframe[^>]*sandbox/);
    expect(html).not.toContain('data-testid="ehr-patient-banner"');

    const withBanner = await (await get('/ehr/chart?patient=patient-adult-1&banner=0')).text();
    expect(withBanner).toContain('data-testid="ehr-patient-banner"');
    expect(withBanner).toContain('MRN-100001');
  });
});
