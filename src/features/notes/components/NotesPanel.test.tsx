import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mswServer, TEST_FHIR_BASE } from '../../../testing/msw.ts';
import { createTestSession, renderWithSession, TEST_PATIENT_ID } from '../../../testing/render.tsx';
import { resetSessionStatus, useSessionStatus } from '../../../session/sessionStatus.ts';
import type { Session } from '../../../session/session.ts';
import { utf8ToBase64 } from '../model/base64.ts';
import { createDraftStore, draftStorageKey, parseDraft, type DraftStore } from '../model/draftStore.ts';
import type { RetryPolicy } from '../model/retryPolicy.ts';
import { existingNote, noteText, NotesServer } from '../testing/notesServer.ts';
import { NotesPanel } from './NotesPanel.tsx';
import { DraftStoreContext } from './draftStoreContext.ts';

const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1 };
const SNIPPETS = [
  { id: 'vital:bp', label: 'Blood pressure', text: 'BP 128/82 mmHg (2026-12-03 08:14)' },
  { id: 'vital:hr', label: 'Heart rate', text: 'HR 72 /min (2026-12-03 08:14)' },
  { id: 'lab:glucose', label: 'Glucose', text: 'Glucose 95 mg/dL (2026-12-02 07:00)' },
];
const DRAFT_KEY = {
  serverUrl: TEST_FHIR_BASE,
  patientId: TEST_PATIENT_ID,
  fhirUser: 'Practitioner/practitioner-1',
};

/** What the app shell shows when a feature reports the session ended (the real overlay is the shell's). */
function SessionStatusProbe() {
  const status = useSessionStatus();
  return status.state === 'ended' ? <p>Session ended: reopen MOVO-X from the patient’s chart</p> : null;
}

function renderPanel(options: { session?: Session; store?: DraftStore; snippets?: typeof SNIPPETS } = {}) {
  const store = options.store ?? createDraftStore({ storage: () => window.localStorage });
  return renderWithSession(
    <DraftStoreContext.Provider value={store}>
      <NotesPanel snippets={options.snippets ?? SNIPPETS} retryPolicy={FAST} />
      <SessionStatusProbe />
    </DraftStoreContext.Provider>,
    options.session ? { session: options.session } : {},
  );
}

function storedDraft() {
  return parseDraft(localStorage.getItem(draftStorageKey(DRAFT_KEY)));
}

async function writeNote(text: string, title = 'Ward round') {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Title'), title);
  await user.type(screen.getByLabelText('Note text'), text);
  return user;
}

afterEach(() => {
  resetSessionStatus();
});

describe('NotesPanel: reading notes', () => {
  it('lists the patient’s notes newest first with type, author, date and status', async () => {
    new NotesServer(
      existingNote({ id: 'old', description: 'Admission', date: '2026-11-30T10:00:00Z' }),
      existingNote({
        id: 'new',
        description: 'Discharge plan',
        docStatus: 'preliminary',
        date: '2026-12-03T09:15:00Z',
      }),
      existingNote({ id: 'gone', description: 'Wrong patient', status: 'entered-in-error' }),
    ).listen();
    renderPanel();
    const list = await screen.findByRole('list', { name: 'Clinical notes' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('button').textContent)).toEqual([
      'Discharge planProgress noteDr. Grace Hopper2026-12-03 09:15For review',
      'AdmissionProgress noteDr. Grace Hopper2026-11-30 10:00Signed',
    ]);
  });

  it('says when the patient has no notes', async () => {
    new NotesServer().listen();
    renderPanel();
    expect(await screen.findByText('No clinical notes for this patient')).toBeInTheDocument();
  });

  it('shows a failed list with a retry that works', async () => {
    const server = new NotesServer(existingNote()).listen();
    server.listFailure = { status: 500 };
    renderPanel();
    expect(await screen.findByText(/The notes could not be loaded/)).toBeInTheDocument();
    server.listFailure = undefined;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Night shift summary')).toBeInTheDocument();
  });

  it('loads older notes page by page, and never follows a next link to another server', async () => {
    const page = (id: string, date: string, next?: string) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      link: next ? [{ relation: 'next', url: next }] : [],
      entry: [{ resource: existingNote({ id, description: `Note ${id}`, date }) }],
    });
    mswServer.use(
      http.get(`${TEST_FHIR_BASE}/DocumentReference`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        expect(params.get('category')).toBe(
          'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category|clinical-note',
        );
        if (params.get('page') === '2') {
          return HttpResponse.json(
            page('p2', '2026-11-01T10:00:00Z', 'https://evil.test/fhir/DocumentReference?page=3'),
          );
        }
        expect(params.get('_sort')).toBe('-date');
        return HttpResponse.json(
          page(
            'p1',
            '2026-12-01T10:00:00Z',
            `${TEST_FHIR_BASE}/DocumentReference?patient=${TEST_PATIENT_ID}&category=${encodeURIComponent(params.get('category') ?? '')}&page=2`,
          ),
        );
      }),
    );
    renderPanel();
    expect(await screen.findByText('Note p1')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load older notes' }));
    expect(await screen.findByText('Note p2')).toBeInTheDocument();
    // The third page is on another origin: no button, and no request went there (msw would fail the test).
    expect(screen.queryByRole('button', { name: /older notes/ })).not.toBeInTheDocument();
  });

  it('decodes a UTF-8 plain-text note', async () => {
    new NotesServer(existingNote({}, 'Ödem — 37.5 °C — 患者')).listen();
    renderPanel();
    await userEvent.setup().click(await screen.findByRole('button', { name: /Night shift summary/ }));
    expect(screen.getByText('Ödem — 37.5 °C — 患者')).toBeInTheDocument();
  });

  it('sanitises an HTML note: no script, no event handler', async () => {
    const html =
      '<p>Wound <b>clean</b></p><script>window.__pwned = true</script><img src=x onerror="window.__pwned=true"><a href="javascript:alert(1)" onclick="x()">link</a>';
    new NotesServer(
      existingNote({
        content: [{ attachment: { contentType: 'text/html; charset=utf-8', data: utf8ToBase64(html) } }],
      }),
    ).listen();
    const { container } = renderPanel();
    await userEvent.setup().click(await screen.findByRole('button', { name: /Night shift summary/ }));
    expect(await screen.findByText('clean')).toBeInTheDocument();
    const reader = container.querySelector('.note-html');
    expect(reader?.innerHTML).not.toMatch(/script|onerror|onclick|javascript:|<img/i);
    expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('fetches a Binary on the FHIR server with the same client and shows it', async () => {
    new NotesServer(
      existingNote({
        content: [{ attachment: { contentType: 'text/plain; charset=utf-8', url: 'Binary/b1' } }],
      }),
    ).listen();
    mswServer.use(
      http.get(`${TEST_FHIR_BASE}/Binary/b1`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer test-access-token'
          ? new HttpResponse('Drain removed, 患者 comfortable.', {
              headers: { 'content-type': 'text/plain; charset=utf-8' },
            })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    renderPanel();
    await userEvent.setup().click(await screen.findByRole('button', { name: /Night shift summary/ }));
    expect(await screen.findByText('Drain removed, 患者 comfortable.')).toBeInTheDocument();
  });

  it('never sends the token to another origin, and offers the EHR instead', async () => {
    // Any request to evil.test would be unhandled by msw and fail the test.
    new NotesServer(
      existingNote({
        content: [{ attachment: { contentType: 'text/plain', url: 'https://evil.test/Binary/1' } }],
      }),
    ).listen();
    renderPanel();
    await userEvent.setup().click(await screen.findByRole('button', { name: /Night shift summary/ }));
    expect(screen.getByText(/stored outside the EHR’s FHIR server/)).toBeInTheDocument();
  });

  it('offers a PDF to the EHR rather than rendering it', async () => {
    new NotesServer(
      existingNote({ content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/p1' } }] }),
    ).listen();
    renderPanel();
    await userEvent.setup().click(await screen.findByRole('button', { name: /Night shift summary/ }));
    expect(
      screen.getByText("This note's format (application/pdf) cannot be shown here: open it in the EHR"),
    ).toBeInTheDocument();
  });
});

describe('NotesPanel: filing a note', () => {
  it('files one US Core note and shows it in the list, read back from the server', async () => {
    const server = new NotesServer(existingNote()).listen();
    renderPanel();
    const user = await writeNote('Ödem — 37.5 °C — 患者');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));

    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.notes).toHaveLength(2);
    const [post] = server.posts;
    expect(post?.headers.get('if-none-exist')).toBe(
      `identifier=urn:ietf:rfc:3986|${post?.body.identifier?.[0]?.value ?? ''}`,
    );
    expect(post?.headers.get('prefer')).toBe('return=representation');
    expect(post?.body).toMatchObject({
      status: 'current',
      docStatus: 'final',
      subject: { reference: `Patient/${TEST_PATIENT_ID}` },
      author: [{ reference: 'Practitioner/practitioner-1' }],
      description: 'Ward round',
      context: { encounter: [{ reference: 'Encounter/encounter-1' }] },
    });
    expect(post?.body.identifier?.[0]?.value).toMatch(/^urn:uuid:/);
    expect(noteText(server.notes[1])).toBe('Ödem — 37.5 °C — 患者');

    expect(await screen.findByText('Ward round')).toBeInTheDocument(); // in the list now
    expect(screen.getByLabelText('Note text')).toHaveValue('');
    expect(storedDraft()).toBeUndefined();
  });

  it('files one note on a double click', async () => {
    const server = new NotesServer().listen();
    renderPanel();
    const user = await writeNote('Once only.');
    await user.dblClick(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.posts).toHaveLength(1);
    expect(server.notes).toHaveLength(1);
  });

  it('shows progress and disables saving while the note is filing', async () => {
    new NotesServer().listen();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    mswServer.use(
      http.post(`${TEST_FHIR_BASE}/DocumentReference`, async () => {
        await held;
        return undefined; // fall through to the NotesServer handler
      }),
    );
    renderPanel();
    const user = await writeNote('Slow EHR.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Filing note…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign and file' })).toBeDisabled();
    expect(screen.getByLabelText('Note text')).toHaveAttribute('readonly');
    release();
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
  });

  it('files a note for review as preliminary', async () => {
    const server = new NotesServer().listen();
    renderPanel();
    const user = await writeNote('Awaiting attending review.');
    await user.click(screen.getByRole('button', { name: 'Save for review' }));
    expect(await screen.findByText('Note filed for review')).toBeInTheDocument();
    expect(server.notes[0]?.docStatus).toBe('preliminary');
  });

  it('offers no "Save for review" when the registration does not allow it', async () => {
    new NotesServer().listen();
    renderPanel({
      session: createTestSession({
        registration: { notes: { encounter: 'optional', docStatus: 'final', allowReview: false } },
      }),
    });
    expect(await screen.findByRole('button', { name: 'Sign and file' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save for review' })).not.toBeInTheDocument();
  });

  it('inserts vital signs and selected results at the cursor', async () => {
    new NotesServer().listen();
    renderPanel();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Note text'), 'Vitals:');
    await user.click(screen.getByRole('button', { name: 'Insert vital signs' }));
    await user.click(screen.getByText('Insert selected results'));
    await user.click(screen.getByRole('checkbox', { name: SNIPPETS[2]?.text }));
    await user.click(screen.getByRole('button', { name: 'Insert selected' }));
    expect(screen.getByLabelText('Note text')).toHaveValue(
      'Vitals:\nBP 128/82 mmHg (2026-12-03 08:14)\nHR 72 /min (2026-12-03 08:14) Glucose 95 mg/dL (2026-12-02 07:00)',
    );
  });
});

describe('NotesPanel: when filing fails', () => {
  it('400: shows the EHR’s reasons and keeps the draft', async () => {
    const server = new NotesServer()
      .willAnswer({ status: 400, issues: ['context.period.end is required', 'type must be LOINC'] })
      .listen();
    renderPanel();
    const user = await writeNote('Rejected text.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The EHR refused the note. Your draft is kept.');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['context.period.end is required', 'type must be LOINC']);
    expect(screen.getByLabelText('Note text')).toHaveValue('Rejected text.');
    expect(storedDraft()).toMatchObject({ text: 'Rejected text.', lastSave: 'refused' });
    expect(server.notes).toHaveLength(0);
    expect(server.posts).toHaveLength(1);
  });

  it('403: says the EHR did not allow it, and the text can be copied', async () => {
    new NotesServer().willAnswer({ status: 403 }).listen();
    renderPanel();
    const user = await writeNote('Copy me.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText(/This EHR did not allow MOVO-X to file notes\./)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Copy note text' }));
    expect(await navigator.clipboard.readText()).toBe('Copy me.');
    expect(screen.getByText('Note text copied.')).toBeInTheDocument();
    expect(storedDraft()?.text).toBe('Copy me.');
  });

  it('409: explains that the note may already be filed', async () => {
    const server = new NotesServer().willAnswer({ status: 409 }).listen();
    renderPanel();
    const user = await writeNote('Conflict.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText(/conflict with a note it already holds/)).toBeInTheDocument();
    expect(server.posts).toHaveLength(1);
    expect(storedDraft()?.text).toBe('Conflict.');
  });

  it('412: explains that more than one note matched the identifier', async () => {
    const server = new NotesServer().willAnswer({ status: 412 }).listen();
    renderPanel();
    const user = await writeNote('Precondition.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText(/more than one note with this draft’s identifier/)).toBeInTheDocument();
    expect(server.posts).toHaveLength(1);
  });

  it('5xx twice, then success: exactly one note on the server', async () => {
    const server = new NotesServer().willAnswer({ status: 503 }, { status: 500 }).listen();
    renderPanel();
    const user = await writeNote('Eventually filed.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.posts).toHaveLength(3);
    expect(server.notes).toHaveLength(1);
    expect(server.identifierSearches).toHaveLength(2);
    expect(new Set(server.posts.map((post) => post.body.identifier?.[0]?.value)).size).toBe(1);
  });

  it('network drop after the EHR stored the note: the search finds it, no second POST', async () => {
    const server = new NotesServer().willAnswer('store-then-drop').listen();
    renderPanel();
    const user = await writeNote('Stored before the drop.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.posts).toHaveLength(1);
    expect(server.notes).toHaveLength(1);
    expect(noteText(server.notes[0])).toBe('Stored before the drop.');
    expect(await screen.findByText('Ward round')).toBeInTheDocument();
  });

  it('the EHR does not answer: the draft is kept, and Retry checks before sending', async () => {
    const server = new NotesServer().willAnswer('drop', 'drop', 'drop').listen();
    renderPanel();
    const user = await writeNote('Offline for a while.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(
      await screen.findByText(/The note could not be sent: the EHR did not answer\. Your draft is kept\./),
    ).toBeInTheDocument();
    expect(storedDraft()).toMatchObject({ text: 'Offline for a while.', lastSave: 'outcome-unknown' });
    const identifier = storedDraft()?.id;
    const searchesBefore = server.identifierSearches.length;

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.identifierSearches.length).toBe(searchesBefore + 1);
    expect(server.notes).toHaveLength(1);
    expect(server.notes[0]?.identifier?.[0]?.value).toBe(identifier);
  });

  it('201 with an empty body: filed, and the list shows it', async () => {
    const server = new NotesServer().willAnswer('ok-empty').listen();
    renderPanel();
    const user = await writeNote('Oracle-style answer.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.notes).toHaveLength(1);
    expect(await screen.findByText('Ward round')).toBeInTheDocument();
  });

  it('401: refreshes the token and files the note once', async () => {
    const server = new NotesServer().listen();
    renderPanel({ session: createTestSession({ refreshToken: 'refresh-1' }) });
    const user = await writeNote('After a refresh.');
    server.expireToken();
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.tokenRequests).toEqual(['grant_type=refresh_token&refresh_token=refresh-1']);
    expect(server.notes).toHaveLength(1);
    expect(screen.queryByText(/Session ended/)).not.toBeInTheDocument();
  });

  it('refresh refused: the session ends, the draft stays', async () => {
    const server = new NotesServer().listen();
    server.refreshAllowed = false;
    renderPanel({ session: createTestSession({ refreshToken: 'refresh-1' }) });
    const user = await writeNote('Keep me through the relaunch.');
    server.expireToken();
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(
      await screen.findByText('Session ended: reopen MOVO-X from the patient’s chart'),
    ).toBeInTheDocument();
    expect(screen.getByText(/The session with the EHR has ended\. Your draft is kept\./)).toBeInTheDocument();
    expect(screen.getByLabelText('Note text')).toHaveValue('Keep me through the relaunch.');
    expect(storedDraft()?.text).toBe('Keep me through the relaunch.');
    expect(server.notes).toHaveLength(0);
  });
});

describe('NotesPanel: when writing is not possible', () => {
  it('read-only grant: the editor is disabled and says why', async () => {
    new NotesServer().listen();
    renderPanel({
      session: createTestSession({
        scope: 'launch openid fhirUser user/DocumentReference.rs user/Observation.rs',
      }),
    });
    expect(
      screen.getByText('This EHR granted MOVO-X read-only access: notes cannot be filed from here.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Note text')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Sign and file' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Insert vital signs' })).not.toBeInTheDocument();
    // Reading still works with a read grant.
    expect(await screen.findByText('No clinical notes for this patient')).toBeInTheDocument();
  });

  it('encounter required and missing: says so before the clinician types', () => {
    new NotesServer().listen();
    renderPanel({
      session: createTestSession({
        encounterId: undefined,
        registration: { notes: { encounter: 'required', docStatus: 'final', allowReview: true } },
      }),
    });
    expect(
      screen.getByText('This EHR files notes only against an encounter; reopen MOVO-X from an encounter.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Note text')).toBeDisabled();
  });
});

describe('NotesPanel: drafts', () => {
  it('survives a reload (unmount and a new render) and is offered back', async () => {
    new NotesServer().listen();
    const first = renderPanel();
    await writeNote('Half-written assessment.', 'Assessment');
    first.unmount();

    renderPanel();
    expect(screen.getByText(/^Draft restored from \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)).toBeInTheDocument();
    expect(screen.getByLabelText('Note text')).toHaveValue('Half-written assessment.');
    expect(screen.getByLabelText('Title')).toHaveValue('Assessment');
  });

  it('after a reload mid-save, checks the EHR first and files nothing twice', async () => {
    const server = new NotesServer().willAnswer('store-then-drop').listen();
    server.failIdentifierSearches = 2;
    const first = renderPanel();
    const user = await writeNote('Sent just before the reload.');
    await user.click(screen.getByRole('button', { name: 'Sign and file' }));
    // The drop is followed by failing checks: the searches find the note only once the network is back.
    expect(await screen.findByText(/The note could not be sent/)).toBeInTheDocument();
    first.unmount();

    renderPanel();
    expect(
      screen.getByText(/An earlier attempt to file this draft may have reached the EHR/),
    ).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign and file' }));
    expect(await screen.findByText('Note filed')).toBeInTheDocument();
    expect(server.notes).toHaveLength(1);
    expect(noteText(server.notes[0])).toBe('Sent just before the reload.');
    expect(server.posts).toHaveLength(1);
  });

  it('is saved while typing, without waiting for an unmount', async () => {
    new NotesServer().listen();
    renderPanel();
    await writeNote('Typed.');
    await waitFor(() => {
      expect(storedDraft()?.text).toBe('Typed.');
    });
  });

  it('is discarded only after confirmation', async () => {
    new NotesServer().listen();
    renderPanel();
    const user = await writeNote('Not needed.');
    await user.click(screen.getByRole('button', { name: 'Discard draft' }));
    await user.click(screen.getByRole('button', { name: 'Keep draft' }));
    expect(screen.getByLabelText('Note text')).toHaveValue('Not needed.');
    await user.click(screen.getByRole('button', { name: 'Discard draft' }));
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(screen.getByLabelText('Note text')).toHaveValue('');
    expect(storedDraft()).toBeUndefined();
  });

  it('keeps typing working when the browser blocks storage, and says a reload would lose the text', async () => {
    new NotesServer().listen();
    const blocked = createDraftStore({
      storage: () => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
    const first = renderPanel({ store: blocked });
    expect(
      screen.getByText(
        'This browser does not let MOVO-X keep a draft if the page reloads; copy your text before leaving.',
      ),
    ).toBeInTheDocument();
    await writeNote('Only in memory.');
    expect(screen.getByLabelText('Note text')).toHaveValue('Only in memory.');
    first.unmount();
    // Same page (the store lives on): the draft is still offered.
    renderPanel({ store: blocked });
    expect(screen.getByLabelText('Note text')).toHaveValue('Only in memory.');
  });
});
