/**
 * An EHR's DocumentReference endpoint in memory, answered through msw: what the tests assert against is what
 * this "server" holds. Like Epic, it ignores If-None-Exist (so only MOVO-X's own search prevents duplicates).
 */
import { http, HttpResponse } from 'msw';
import type { Bundle, DocumentReference, OperationOutcome } from 'fhir/r4';
import { mswServer, TEST_FHIR_BASE } from '../../../testing/msw.ts';
import { TEST_PATIENT_ID } from '../../../testing/render.tsx';
import { base64ToBytes, decodeBytes, utf8ToBase64 } from '../model/base64.ts';

/** What one POST does: store and answer, store but drop the connection, drop without storing, or an error status. */
export type PostBehaviour =
  | 'ok'
  | 'ok-empty'
  | 'store-then-drop'
  | 'drop'
  | { readonly status: number; readonly issues?: readonly string[] };

export interface RecordedPost {
  readonly headers: Headers;
  readonly body: DocumentReference;
}

export function outcome(issues: readonly string[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((diagnostics) => ({ severity: 'error', code: 'invalid', diagnostics })),
  };
}

export function noteText(note: DocumentReference | undefined): string | undefined {
  const bytes = base64ToBytes(note?.content[0]?.attachment.data ?? '');
  return bytes ? decodeBytes(bytes, 'utf-8') : undefined;
}

/** A note already on the EHR; `plainText` becomes its text/plain attachment unless `content` is overridden. */
export function existingNote(
  overrides: Partial<DocumentReference> = {},
  plainText = 'Stable overnight.',
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: 'existing-1',
    status: 'current',
    docStatus: 'final',
    type: {
      coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }],
      text: 'Progress note',
    },
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
    subject: { reference: `Patient/${TEST_PATIENT_ID}` },
    description: 'Night shift summary',
    date: '2026-12-02T22:00:00Z',
    author: [{ reference: 'Practitioner/9', display: 'Dr. Grace Hopper' }],
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: utf8ToBase64(plainText) } }],
    ...overrides,
  };
}

export class NotesServer {
  readonly notes: DocumentReference[] = [];
  readonly posts: RecordedPost[] = [];
  /** Identifier searches (the check before a retry), in order. */
  readonly identifierSearches: string[] = [];
  readonly tokenRequests: string[] = [];
  /** The access token the server accepts; the token endpoint issues `refreshed-token`. */
  validToken = 'test-access-token';
  refreshAllowed = true;
  /** Fails the notes list: `{ status }` for an HTTP error. */
  listFailure: { status: number } | undefined;
  /** The next this-many identifier searches lose their connection. */
  failIdentifierSearches = 0;
  private readonly behaviours: PostBehaviour[] = [];
  private nextId = 1;

  constructor(...initial: DocumentReference[]) {
    this.notes.push(...initial);
  }

  /** The next POSTs behave like this, in order; afterwards they succeed. */
  willAnswer(...behaviours: PostBehaviour[]): this {
    this.behaviours.push(...behaviours);
    return this;
  }

  /** The token the app holds stops working (expired or revoked at the EHR). */
  expireToken(): void {
    this.validToken = 'not-yet-issued';
  }

  private authorised(request: Request): boolean {
    return request.headers.get('authorization') === `Bearer ${this.validToken}`;
  }

  private store(body: DocumentReference): DocumentReference {
    const stored: DocumentReference = { ...body, id: `note-${this.nextId++}`, meta: { versionId: '1' } };
    this.notes.push(stored);
    return stored;
  }

  private bundle(resources: readonly DocumentReference[]): Bundle {
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: resources.length,
      entry: resources.map((resource) => ({
        fullUrl: `${TEST_FHIR_BASE}/DocumentReference/${resource.id ?? ''}`,
        resource,
      })),
    };
  }

  listen(): this {
    mswServer.use(
      http.post(`${TEST_FHIR_BASE}/auth/token`, async ({ request }) => {
        this.tokenRequests.push(await request.text());
        if (!this.refreshAllowed) return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
        this.validToken = 'refreshed-token';
        return HttpResponse.json({
          access_token: 'refreshed-token',
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'launch openid fhirUser online_access user/DocumentReference.rs user/DocumentReference.c',
          refresh_token: 'refresh-2',
        });
      }),
      http.post(`${TEST_FHIR_BASE}/DocumentReference`, async ({ request }) => {
        if (!this.authorised(request)) return HttpResponse.json(outcome(['Token expired']), { status: 401 });
        const body = (await request.json()) as DocumentReference;
        this.posts.push({ headers: request.headers, body });
        const behaviour = this.behaviours.shift() ?? 'ok';
        switch (behaviour) {
          case 'ok': {
            const stored = this.store(body);
            return HttpResponse.json(stored, {
              status: 201,
              headers: { location: `${TEST_FHIR_BASE}/DocumentReference/${stored.id ?? ''}/_history/1` },
            });
          }
          case 'ok-empty':
            this.store(body);
            return new HttpResponse(null, { status: 201 });
          case 'store-then-drop':
            this.store(body);
            return HttpResponse.error();
          case 'drop':
            return HttpResponse.error();
          default:
            return HttpResponse.json(outcome(behaviour.issues ?? []), { status: behaviour.status });
        }
      }),
      http.get(`${TEST_FHIR_BASE}/DocumentReference`, ({ request }) => {
        if (!this.authorised(request)) return HttpResponse.json(outcome(['Token expired']), { status: 401 });
        const params = new URL(request.url).searchParams;
        const forPatient = this.notes.filter(
          (note) => note.subject?.reference === `Patient/${params.get('patient') ?? ''}`,
        );
        const identifier = params.get('identifier');
        if (identifier !== null) {
          this.identifierSearches.push(identifier);
          if (this.failIdentifierSearches > 0) {
            this.failIdentifierSearches -= 1;
            return HttpResponse.error();
          }
          return HttpResponse.json(
            this.bundle(
              forPatient.filter((note) =>
                note.identifier?.some((id) => `${id.system ?? ''}|${id.value ?? ''}` === identifier),
              ),
            ),
          );
        }
        if (this.listFailure) return HttpResponse.json(outcome(['List failed']), this.listFailure);
        const sorted = [...forPatient].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
        return HttpResponse.json(this.bundle(sorted));
      }),
    );
    return this;
  }
}
