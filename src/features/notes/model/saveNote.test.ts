import { describe, expect, it } from 'vitest';
import type { DocumentReference } from 'fhir/r4';
import { FhirError } from '../../../lib/fhir/errors.ts';
import { base64ToBytes, decodeBytes } from './base64.ts';
import { buildNoteDocumentReference } from './documentReference.ts';
import {
  idFromLocation,
  NoteSaveError,
  saveNote,
  type CreateResponse,
  type SaveTransport,
} from './saveNote.ts';

const IDENTIFIER = 'urn:uuid:33333333-3333-4333-8333-333333333333';

function resource(text = 'Patient is well.'): DocumentReference {
  return buildNoteDocumentReference({
    patientId: 'patient-1',
    practitionerRef: 'Practitioner/1',
    encounterId: 'encounter-1',
    noteType: { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' },
    title: 'Follow-up',
    text,
    docStatus: 'final',
    identifier: IDENTIFIER,
    now: new Date('2026-12-03T08:30:00Z'),
  });
}

/**
 * What a POST does on the fake EHR: store and answer (`ok`), store but lose the answer (`store-then-drop`: the
 * connection died after the commit), fail without storing, or answer with a status.
 */
type PostBehaviour = 'ok' | 'ok-empty' | 'ok-location' | 'store-then-drop' | 'drop' | number;

/** An EHR in memory that behaves like Epic: it ignores If-None-Exist unless told otherwise. */
class FakeEhr implements SaveTransport {
  readonly notes: DocumentReference[] = [];
  readonly postHeaders: Readonly<Record<string, string>>[] = [];
  readonly searches: string[] = [];
  token = 'token-1';
  tokenExpiring = false;
  refreshWorks = true;
  honourIfNoneExist = false;
  private readonly behaviours: PostBehaviour[];

  constructor(...behaviours: PostBehaviour[]) {
    this.behaviours = behaviours;
  }

  refreshIfNeeded(): Promise<void> {
    return this.tokenExpiring ? this.refresh() : Promise.resolve();
  }

  refresh(): Promise<void> {
    if (!this.refreshWorks)
      return Promise.reject(new FhirError('unauthorized', 'invalid_grant', { status: 400 }));
    this.token = 'token-2';
    this.tokenExpiring = false;
    return Promise.resolve();
  }

  private store(note: DocumentReference): DocumentReference {
    const stored = { ...note, id: `doc-${this.notes.length + 1}` };
    this.notes.push(stored);
    return stored;
  }

  create(note: DocumentReference, headers: Readonly<Record<string, string>>): Promise<CreateResponse> {
    this.postHeaders.push(headers);
    if (this.tokenExpiring) return Promise.reject(new FhirError('unauthorized', 'expired', { status: 401 }));
    const behaviour = this.behaviours.shift() ?? 'ok';
    if (this.honourIfNoneExist) {
      const existing = this.notes.find((n) => n.identifier?.[0]?.value === note.identifier?.[0]?.value);
      if (existing) return Promise.resolve({ status: 200, body: existing, location: undefined });
    }
    switch (behaviour) {
      case 'ok':
        return Promise.resolve({ status: 201, body: this.store(note), location: undefined });
      case 'ok-empty':
        this.store(note);
        return Promise.resolve({ status: 201, body: undefined, location: undefined });
      case 'ok-location': {
        const stored = this.store(note);
        return Promise.resolve({
          status: 201,
          body: undefined,
          location: `https://ehr.test/fhir/DocumentReference/${stored.id ?? ''}/_history/1`,
        });
      }
      case 'store-then-drop':
        this.store(note);
        return Promise.reject(new TypeError('Failed to fetch'));
      case 'drop':
        return Promise.reject(new TypeError('Failed to fetch'));
      default:
        return Promise.reject(
          Object.assign(
            new Error(
              `${behaviour}\n\n${JSON.stringify({
                resourceType: 'OperationOutcome',
                issue: [
                  { severity: 'error', code: 'invalid', diagnostics: 'context.period.end is required' },
                ],
              })}`,
            ),
            { status: behaviour },
          ),
        );
    }
  }

  searchByIdentifier(patientId: string, token: string): Promise<readonly unknown[]> {
    this.searches.push(`${patientId} ${token}`);
    return Promise.resolve(
      this.notes.filter(
        (n) => `${n.identifier?.[0]?.system ?? ''}|${n.identifier?.[0]?.value ?? ''}` === token,
      ),
    );
  }
}

function run(ehr: FakeEhr, options: { priorOutcomeUnknown?: boolean; text?: string } = {}) {
  const sleeps: number[] = [];
  const ended: string[] = [];
  const promise = saveNote(
    {
      resource: resource(options.text),
      patientId: 'patient-1',
      identifier: IDENTIFIER,
      priorOutcomeUnknown: options.priorOutcomeUnknown ?? false,
    },
    ehr,
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      onSessionEnded: (reason) => ended.push(reason),
    },
  );
  return { promise, sleeps, ended };
}

async function failure(promise: Promise<unknown>): Promise<NoteSaveError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NoteSaveError) return error;
    throw error;
  }
  throw new Error('expected the save to fail');
}

function storedText(note: DocumentReference | undefined): string | undefined {
  const bytes = base64ToBytes(note?.content[0]?.attachment.data ?? '');
  return bytes ? decodeBytes(bytes, 'utf-8') : undefined;
}

describe('saveNote', () => {
  it('posts once, conditionally, asking for the stored note back', async () => {
    const ehr = new FakeEhr('ok');
    const { promise } = run(ehr);
    await expect(promise).resolves.toMatchObject({
      id: 'doc-1',
      confirmedBy: 'response',
      matchesDraft: true,
      posts: 1,
    });
    expect(ehr.postHeaders).toEqual([
      { 'If-None-Exist': `identifier=urn:ietf:rfc:3986|${IDENTIFIER}`, Prefer: 'return=representation' },
    ]);
    expect(ehr.notes).toHaveLength(1);
    expect(storedText(ehr.notes[0])).toBe('Patient is well.');
  });

  it('finds the note the EHR stored before the connection dropped, and files no second one', async () => {
    const ehr = new FakeEhr('store-then-drop', 'ok');
    const { promise, sleeps } = run(ehr);
    await expect(promise).resolves.toMatchObject({
      id: 'doc-1',
      confirmedBy: 'search',
      matchesDraft: true,
      posts: 1,
    });
    expect(ehr.notes).toHaveLength(1);
    expect(ehr.searches).toEqual([`patient-1 urn:ietf:rfc:3986|${IDENTIFIER}`]);
    expect(sleeps).toEqual([1000]);
  });

  it('retries 5xx with backoff and files one note', async () => {
    const ehr = new FakeEhr(503, 500, 'ok');
    const { promise, sleeps } = run(ehr);
    await expect(promise).resolves.toMatchObject({ id: 'doc-1', posts: 3 });
    expect(ehr.notes).toHaveLength(1);
    expect(sleeps).toEqual([1000, 2000]);
    expect(ehr.searches).toHaveLength(2); // checked before each retry
  });

  it('gives up after 3 attempts, saying the note may be stored', async () => {
    const ehr = new FakeEhr('drop', 'drop', 'drop', 'ok');
    const { promise, sleeps } = run(ehr);
    const error = await failure(promise);
    expect(error.kind).toBe('network');
    expect(error.mayBeStored).toBe(true);
    expect(ehr.postHeaders).toHaveLength(3);
    expect(ehr.notes).toHaveLength(0);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('does not retry a 400 and keeps the OperationOutcome messages', async () => {
    const ehr = new FakeEhr(400, 'ok');
    const { promise, sleeps } = run(ehr);
    const error = await failure(promise);
    expect(error.kind).toBe('invalid');
    expect(error.issues).toEqual(['context.period.end is required']);
    expect(error.mayBeStored).toBe(false);
    expect(ehr.postHeaders).toHaveLength(1);
    expect(ehr.notes).toHaveLength(0);
    expect(sleeps).toEqual([]);
  });

  it.each([403, 409, 412, 422])('does not retry %i', async (status) => {
    const ehr = new FakeEhr(status, 'ok');
    const error = await failure(run(ehr).promise);
    expect(error.status).toBe(status);
    expect(ehr.postHeaders).toHaveLength(1);
    expect(ehr.notes).toHaveLength(0);
  });

  it('refreshes after a 401 and retries once', async () => {
    const ehr = new FakeEhr(401, 'ok');
    await expect(run(ehr).promise).resolves.toMatchObject({ id: 'doc-1', posts: 2 });
    expect(ehr.token).toBe('token-2');
    expect(ehr.notes).toHaveLength(1);
  });

  it('ends the session when the refresh is refused, keeping nothing on the server', async () => {
    const ehr = new FakeEhr(401, 'ok');
    ehr.refreshWorks = false;
    const { promise, ended } = run(ehr);
    const error = await failure(promise);
    expect(error.kind).toBe('session-ended');
    expect(ended).toHaveLength(1);
    expect(ehr.postHeaders).toHaveLength(1);
    expect(ehr.notes).toHaveLength(0);
  });

  it('ends the session on a second 401', async () => {
    const ehr = new FakeEhr(401, 401, 'ok');
    const { promise, ended } = run(ehr);
    expect((await failure(promise)).kind).toBe('session-ended');
    expect(ended).toHaveLength(1);
    expect(ehr.postHeaders).toHaveLength(2);
  });

  it('refreshes an expiring token before writing (fhirclient create() would not)', async () => {
    const ehr = new FakeEhr('ok');
    ehr.tokenExpiring = true;
    await expect(run(ehr).promise).resolves.toMatchObject({ posts: 1 });
    expect(ehr.token).toBe('token-2');
  });

  it('ends the session when the refresh before writing is refused, without posting', async () => {
    const ehr = new FakeEhr('ok');
    ehr.tokenExpiring = true;
    ehr.refreshWorks = false;
    const { promise, ended } = run(ehr);
    expect((await failure(promise)).kind).toBe('session-ended');
    expect(ended).toHaveLength(1);
    expect(ehr.postHeaders).toHaveLength(0);
  });

  it('copes with 201 and an empty body: Location first, then a search', async () => {
    const withLocation = new FakeEhr('ok-location');
    await expect(run(withLocation).promise).resolves.toMatchObject({ id: 'doc-1', confirmedBy: 'location' });
    const hidden = new FakeEhr('ok-empty');
    await expect(run(hidden).promise).resolves.toMatchObject({ id: 'doc-1', confirmedBy: 'search' });
    expect(hidden.notes).toHaveLength(1);
  });

  it('searches before the first POST when an earlier save of the draft had an unknown outcome', async () => {
    const ehr = new FakeEhr('store-then-drop');
    await failure(
      saveNote({ resource: resource(), patientId: 'patient-1', identifier: IDENTIFIER }, ehr, {
        policy: { maxAttempts: 1, baseDelayMs: 0 },
      }),
    );
    expect(ehr.notes).toHaveLength(1);
    // The page reloads; the draft says "outcome unknown".
    await expect(run(ehr, { priorOutcomeUnknown: true }).promise).resolves.toMatchObject({
      confirmedBy: 'search',
      posts: 0,
    });
    expect(ehr.notes).toHaveLength(1);
  });

  it('reports an earlier version filed when the draft changed after an unknown outcome', async () => {
    const ehr = new FakeEhr('store-then-drop');
    await failure(
      saveNote({ resource: resource('first text'), patientId: 'patient-1', identifier: IDENTIFIER }, ehr, {
        policy: { maxAttempts: 1, baseDelayMs: 0 },
      }),
    );
    await expect(
      run(ehr, { priorOutcomeUnknown: true, text: 'first text, then more' }).promise,
    ).resolves.toMatchObject({
      matchesDraft: false,
    });
    expect(ehr.notes).toHaveLength(1);
    expect(storedText(ehr.notes[0])).toBe('first text');
  });

  it('does not mistake other notes for this one when the EHR ignores the identifier parameter', async () => {
    const ehr = new FakeEhr('drop', 'ok');
    ehr.notes.push({ ...resource('another note'), id: 'old-1', identifier: [] });
    ehr.searchByIdentifier = () => Promise.resolve(ehr.notes); // every note of the patient
    await expect(run(ehr).promise).resolves.toMatchObject({ id: 'doc-2', confirmedBy: 'response', posts: 2 });
    expect(ehr.notes.map((n) => n.id)).toEqual(['old-1', 'doc-2']);
  });

  it('uses a server that honours If-None-Exist without relying on it', async () => {
    const ehr = new FakeEhr('store-then-drop', 'ok');
    ehr.honourIfNoneExist = true;
    await expect(run(ehr).promise).resolves.toMatchObject({ id: 'doc-1' });
    expect(ehr.notes).toHaveLength(1);
  });
});

describe('idFromLocation', () => {
  it('reads absolute, relative and versioned Locations', () => {
    expect(idFromLocation('https://ehr.test/fhir/DocumentReference/abc-1/_history/2')).toBe('abc-1');
    expect(idFromLocation('DocumentReference/eX1.2')).toBe('eX1.2');
    expect(idFromLocation('https://ehr.test/fhir/Binary/1')).toBeUndefined();
    expect(idFromLocation(undefined)).toBeUndefined();
  });
});
