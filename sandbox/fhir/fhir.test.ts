/** The FHIR API over real HTTP: authorisation, scopes, search, paging, writes, validation, CORS. */
import type { Bundle, DocumentReference, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../server.ts';
import { startSandbox } from '../server.ts';
import { ehrLaunch, fhir } from '../testing/smart-client.ts';

let sandbox: RunningSandbox;
/** patient/ scopes for patient-adult-1, write access to notes in v1 and v2 grammar. */
let patientToken: string;
/** user/ scopes: any patient. */
let userToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ heavyPatient: false });
  patientToken = (
    await ehrLaunch(sandbox, {
      scope:
        'launch patient/Patient.rs patient/Observation.rs patient/Encounter.rs patient/DocumentReference.write patient/DocumentReference.rs',
    })
  ).access_token;
  userToken = (
    await ehrLaunch(sandbox, { scope: 'launch user/Patient.rs user/Observation.rs user/Encounter.rs' })
  ).access_token;
});

afterAll(async () => {
  await sandbox.close();
});

const json = async <T>(response: Response) => (await response.json()) as T;

function note(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
          },
        ],
      },
    ],
    subject: { reference: 'Patient/patient-adult-1' },
    date: new Date().toISOString(),
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from('Seen today.').toString('base64'),
        },
      },
    ],
    ...overrides,
  };
}

async function collectAllPages(
  firstUrl: string,
  token: string,
): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let next: string | undefined = firstUrl;
  while (next) {
    const response: Response = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const bundle = await json<Bundle>(response);
    totals.push(bundle.total ?? -1);
    for (const entry of bundle.entry ?? []) ids.push(entry.resource?.id ?? '');
    next = bundle.link?.find((link) => link.relation === 'next')?.url;
  }
  return { ids, totals };
}

describe('authentication and scopes', () => {
  it('serves the CapabilityStatement without a token', async () => {
    const response = await fetch(`${sandbox.fhirBaseUrl}/metadata`);
    expect(response.status).toBe(200);
    const statement = await json<{
      resourceType: string;
      fhirVersion: string;
      rest: { security: unknown }[];
    }>(response);
    expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    expect(JSON.stringify(statement.rest[0]?.security)).toContain(`${sandbox.origin}/auth/token`);
  });

  it('answers 401 with an OperationOutcome and a Bearer challenge without a valid token', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const response = await fhir(sandbox, token, 'Patient/patient-adult-1');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await json<OperationOutcome>(response)).toMatchObject({ resourceType: 'OperationOutcome' });
    }
  });

  it('answers 403 for a resource type the grant does not cover', async () => {
    const response = await fhir(sandbox, userToken, 'DocumentReference?patient=patient-adult-1');
    expect(response.status).toBe(403);
    const outcome = await json<OperationOutcome>(response);
    expect(outcome.issue[0]?.code).toBe('forbidden');
    expect(outcome.issue[0]?.diagnostics).toContain('DocumentReference');
  });

  it('binds patient/ scopes to the launch patient', async () => {
    expect((await fhir(sandbox, patientToken, 'Patient/patient-adult-1')).status).toBe(200);
    expect((await fhir(sandbox, patientToken, 'Patient/patient-adult-2')).status).toBe(403);
    expect((await fhir(sandbox, patientToken, 'Observation?patient=patient-adult-2')).status).toBe(403);
    const otherPatientsObservation = (
      await json<Bundle<Observation>>(
        await fhir(sandbox, userToken, 'Observation?patient=patient-adult-2&_count=1'),
      )
    ).entry?.[0]?.resource?.id;
    expect((await fhir(sandbox, patientToken, `Observation/${otherPatientsObservation ?? ''}`)).status).toBe(
      403,
    );

    // Without a patient parameter, a patient/ search covers the launch patient only.
    const unrestricted = await json<Bundle<Observation>>(
      await fhir(sandbox, patientToken, 'Observation?_count=1000'),
    );
    const ofPatient = await json<Bundle>(
      await fhir(sandbox, userToken, 'Observation?patient=patient-adult-1&_count=0'),
    );
    expect(unrestricted.total).toBe(ofPatient.total);
    expect(
      unrestricted.entry?.every((entry) => entry.resource?.subject?.reference === 'Patient/patient-adult-1'),
    ).toBe(true);
  });

  it('user/ scopes reach any patient', async () => {
    expect((await fhir(sandbox, userToken, 'Patient/patient-adult-2')).status).toBe(200);
    expect((await fhir(sandbox, userToken, 'Observation?patient=patient-adult-2&_count=1')).status).toBe(200);
  });

  it('filters searches to the category of a granular scope and refuses reads outside it', async () => {
    const labs = 'category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
    const { access_token } = await ehrLaunch(sandbox, { scope: `launch patient/Observation.rs?${labs}` });
    const bundle = await json<Bundle<Observation>>(
      await fhir(sandbox, access_token, 'Observation?patient=patient-adult-1&_count=1000'),
    );
    expect(bundle.total).toBeGreaterThan(0);
    expect(
      bundle.entry?.every((entry) =>
        entry.resource?.category?.some((concept) => concept.coding?.some((c) => c.code === 'laboratory')),
      ),
    ).toBe(true);
    const vitals = await json<Bundle>(
      await fhir(sandbox, access_token, 'Observation?patient=patient-adult-1&category=vital-signs'),
    );
    expect(vitals.total).toBe(0);
    const vital = (
      await json<Bundle<Observation>>(
        await fhir(sandbox, userToken, 'Observation?patient=patient-adult-1&category=vital-signs&_count=1'),
      )
    ).entry?.[0]?.resource?.id;
    expect((await fhir(sandbox, access_token, `Observation/${vital ?? ''}`)).status).toBe(403);
  });
});

describe('search', () => {
  it('matches patient by bare id and by reference alike, and answers a searchset with fullUrl', async () => {
    const bare = await json<Bundle>(
      await fhir(sandbox, userToken, 'Observation?patient=patient-adult-3&_count=5'),
    );
    const reference = await json<Bundle>(
      await fhir(sandbox, userToken, 'Observation?patient=Patient/patient-adult-3&_count=5'),
    );
    expect(bare.type).toBe('searchset');
    expect(bare.total).toBeGreaterThan(100);
    expect(reference.total).toBe(bare.total);
    expect(bare.entry?.[0]?.fullUrl).toBe(
      `${sandbox.fhirBaseUrl}/Observation/${bare.entry?.[0]?.resource?.id ?? ''}`,
    );
  });

  it('pages with next links to the last entry; the entries counted equal total', async () => {
    const { ids, totals } = await collectAllPages(
      `${sandbox.fhirBaseUrl}/Observation?patient=patient-adult-1&_sort=-date&_count=100`,
      userToken,
    );
    expect(new Set(totals).size).toBe(1);
    expect(ids.length).toBe(totals[0]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts by -date and filters by code (comma = OR), category and date prefixes', async () => {
    const glucose = await json<Bundle<Observation>>(
      await fhir(
        sandbox,
        userToken,
        'Observation?patient=patient-adult-1&code=http://loinc.org|2345-7&_sort=-date&_count=1000',
      ),
    );
    const units = new Set(glucose.entry?.map((entry) => entry.resource?.valueQuantity?.unit));
    expect(units).toEqual(new Set(['mg/dL', 'mmol/L']));
    const dates = glucose.entry?.map((entry) => entry.resource?.effectiveDateTime ?? '') ?? [];
    expect(dates).toEqual([...dates].sort().reverse());

    const either = await json<Bundle>(
      await fhir(sandbox, userToken, 'Observation?patient=patient-adult-1&code=2345-7,4548-4&_count=0'),
    );
    const hba1c = await json<Bundle>(
      await fhir(sandbox, userToken, 'Observation?patient=patient-adult-1&code=4548-4&_count=0'),
    );
    expect(either.total).toBe((glucose.total ?? 0) + (hba1c.total ?? 0));

    const lastYear = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const recent = await json<Bundle<Observation>>(
      await fhir(
        sandbox,
        userToken,
        `Observation?patient=patient-adult-1&code=2345-7&date=ge${lastYear}&_count=1000`,
      ),
    );
    expect(recent.total).toBeGreaterThan(0);
    expect(recent.total).toBeLessThan(glucose.total ?? 0);
    expect(recent.entry?.every((entry) => (entry.resource?.effectiveDateTime ?? '') >= lastYear)).toBe(true);
  });

  it('matches other parameters on the indexed candidates, and answers _summary=count with the total only', async () => {
    const uncategorised = await json<Bundle<Observation>>(
      await fhir(sandbox, userToken, 'Observation?patient=patient-adult-2&category:missing=true&_count=1000'),
    );
    expect(uncategorised.total).toBeGreaterThan(0);
    expect(uncategorised.entry?.every((entry) => entry.resource?.category === undefined)).toBe(true);
    const counted = await json<Bundle>(
      await fhir(sandbox, userToken, 'Observation?patient=patient-adult-2&_summary=count'),
    );
    expect(counted.total).toBeGreaterThan(uncategorised.total ?? 0);
    expect(counted.entry).toBeUndefined();
  });

  it('says 400 rather than match nothing for what it does not support', async () => {
    for (const query of [
      'Observation?patient=patient-adult-1&_sort=code',
      'Observation?patient=patient-adult-1&code:text=glucose',
      'Observation?patient=patient-adult-1&value-quantity=gt100',
      'Observation?patient=patient-adult-1&_include=Observation:performer',
    ]) {
      const response = await fhir(sandbox, userToken, query);
      expect(response.status, query).toBe(400);
      expect((await json<OperationOutcome>(response)).issue[0]?.code, query).toBe('not-supported');
    }
  });

  it('answers 400 for an unknown search parameter and 404 for an unknown type', async () => {
    const unknownParameter = await fhir(sandbox, userToken, 'Observation?colour=blue');
    expect(unknownParameter.status).toBe(400);
    expect((await json<OperationOutcome>(unknownParameter)).issue[0]?.diagnostics).toContain('colour');
    expect((await fhir(sandbox, userToken, 'Spaceship?patient=patient-adult-1')).status).toBe(404);
    expect((await fhir(sandbox, userToken, 'Observation/does-not-exist')).status).toBe(404);
  });
});

describe('writes', () => {
  it('create answers 201 with an absolute Location and an ETag, and the resource reads back', async () => {
    const response = await fhir(sandbox, patientToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(note()),
    });
    expect(response.status).toBe(201);
    const created = await json<DocumentReference>(response);
    const versionId = created.meta?.versionId ?? '';
    expect(response.headers.get('location')).toBe(
      `${sandbox.fhirBaseUrl}/DocumentReference/${created.id ?? ''}/_history/${versionId}`,
    );
    expect(response.headers.get('etag')).toBe(`W/"${versionId}"`);
    const read = await fhir(sandbox, patientToken, `DocumentReference/${created.id ?? ''}`);
    expect(read.status).toBe(200);
    expect((await json<DocumentReference>(read)).content[0]?.attachment.data).toBe(
      note().content[0]?.attachment.data,
    );
  });

  it('Prefer: return=minimal answers an empty body with the headers', async () => {
    const response = await fhir(sandbox, patientToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(note()),
      headers: { Prefer: 'return=minimal' },
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
    expect(response.headers.get('location')).toMatch(/\/DocumentReference\/[^/]+\/_history\/[^/]+$/);
  });

  it('conditional create with If-None-Exist creates once', async () => {
    const identifier = { system: 'urn:movo-x:note', value: `draft-${Date.now()}` };
    const body = JSON.stringify(note({ identifier: [identifier] }));
    const headers = { 'If-None-Exist': `identifier=${identifier.system}|${identifier.value}` };
    const first = await fhir(sandbox, patientToken, 'DocumentReference', { method: 'POST', body, headers });
    const second = await fhir(sandbox, patientToken, 'DocumentReference', { method: 'POST', body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await json<DocumentReference>(second)).id).toBe((await json<DocumentReference>(first)).id);
    const found = await json<Bundle>(
      await fhir(
        sandbox,
        patientToken,
        `DocumentReference?patient=patient-adult-1&identifier=${identifier.system}|${identifier.value}`,
      ),
    );
    expect(found.total).toBe(1);
  });

  it('new notes appear in searches at once (indexes follow writes)', async () => {
    const before = await json<Bundle>(
      await fhir(
        sandbox,
        patientToken,
        'DocumentReference?patient=patient-adult-1&category=clinical-note&_count=0',
      ),
    );
    await fhir(sandbox, patientToken, 'DocumentReference', { method: 'POST', body: JSON.stringify(note()) });
    const after = await json<Bundle>(
      await fhir(
        sandbox,
        patientToken,
        'DocumentReference?patient=patient-adult-1&category=clinical-note&_count=0',
      ),
    );
    expect(after.total).toBe((before.total ?? 0) + 1);
  });

  it('refuses invalid resources with 400 and an OperationOutcome that names the problem', async () => {
    const withoutSubject = note();
    delete withoutSubject.subject;
    const noSubject = await fhir(sandbox, userToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(withoutSubject),
    });
    // userToken has no DocumentReference scope: scopes are checked first.
    expect(noSubject.status).toBe(403);

    const { access_token } = await ehrLaunch(sandbox, { scope: 'launch user/DocumentReference.crs' });
    const response = await fhir(sandbox, access_token, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(withoutSubject),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await json<OperationOutcome>(response))).toContain('DocumentReference.subject');

    const badStatus = await fhir(sandbox, patientToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(note({ status: 'draft' as DocumentReference['status'] })),
    });
    expect(badStatus.status).toBe(400);
    expect(JSON.stringify(await json<OperationOutcome>(badStatus))).toContain('DocumentReference.status');

    const foreignEncounter = await fhir(sandbox, patientToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(note({ context: { encounter: [{ reference: 'Encounter/enc-adult-2-01' }] } })),
    });
    expect(foreignEncounter.status).toBe(400);
    expect(JSON.stringify(await json<OperationOutcome>(foreignEncounter))).toContain('another patient');

    const notJson = await fhir(sandbox, patientToken, 'DocumentReference', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('refuses a note about another patient under patient/ scopes', async () => {
    const response = await fhir(sandbox, patientToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(note({ subject: { reference: 'Patient/patient-adult-2' } })),
    });
    expect(response.status).toBe(403);
  });

  it('update with If-Match: 412 on a stale version, 200 and a new ETag on the current one', async () => {
    const created = await json<DocumentReference>(
      await fhir(sandbox, patientToken, 'DocumentReference', {
        method: 'POST',
        body: JSON.stringify(note()),
      }),
    );
    const id = created.id ?? '';
    const changed = JSON.stringify({ ...created, docStatus: 'amended' });
    const stale = await fhir(sandbox, patientToken, `DocumentReference/${id}`, {
      method: 'PUT',
      body: changed,
      headers: { 'If-Match': 'W/"not-the-version"' },
    });
    expect(stale.status).toBe(412);
    const current = await fhir(sandbox, patientToken, `DocumentReference/${id}`, {
      method: 'PUT',
      body: changed,
      headers: { 'If-Match': `W/"${created.meta?.versionId ?? ''}"` },
    });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).not.toBe(`W/"${created.meta?.versionId ?? ''}"`);
    expect((await json<DocumentReference>(current)).docStatus).toBe('amended');
    const missing = await fhir(sandbox, patientToken, 'DocumentReference/nope', {
      method: 'PUT',
      body: JSON.stringify({ ...note(), id: 'nope' }),
    });
    expect(missing.status).toBe(405);
  });
});

describe('CORS', () => {
  it('answers preflights itself for a registered app origin and exposes Location and ETag', async () => {
    const preflight = await fetch(`${sandbox.fhirBaseUrl}/DocumentReference`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, if-none-exist, prefer',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-exist');

    const response = await fhir(sandbox, patientToken, 'DocumentReference', {
      method: 'POST',
      body: JSON.stringify(note()),
      headers: { Origin: 'http://localhost:4173' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/Location.*ETag|ETag.*Location/);

    const token = await fetch(`${sandbox.origin}/auth/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(token.status).toBe(204);
  });

  it('gives nothing to an origin that is not registered', async () => {
    const preflight = await fetch(`${sandbox.fhirBaseUrl}/Observation`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
