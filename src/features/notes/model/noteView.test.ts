import { describe, expect, it } from 'vitest';
import type { DocumentReference } from 'fhir/r4';
import { utf8ToBase64 } from './base64.ts';
import { fetchedContent, formatNoteDate, toNoteView, toNoteViews, UNKNOWN_AUTHOR } from './noteView.ts';

const BASE = 'https://ehr.test/fhir';

function note(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: 'note-1',
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
    description: 'Follow-up',
    date: '2026-12-03T08:30:00Z',
    author: [{ reference: 'Practitioner/1', display: 'Dr. Ada Lovelace' }],
    content: [
      { attachment: { contentType: 'text/plain; charset=utf-8', data: utf8ToBase64('Ödem — 患者') } },
    ],
    ...overrides,
  };
}

describe('toNoteView', () => {
  it('maps type, title, author, date, status and plain text', () => {
    expect(toNoteView(note(), BASE)).toEqual({
      id: 'note-1',
      typeDisplay: 'Progress note',
      title: 'Follow-up',
      author: 'Dr. Ada Lovelace',
      date: '2026-12-03T08:30:00Z',
      status: 'signed',
      statusLabel: 'Signed',
      content: { kind: 'text', text: 'Ödem — 患者' },
    });
  });

  it('labels preliminary notes "For review" and drops notes entered in error', () => {
    expect(toNoteView(note({ docStatus: 'preliminary' }), BASE)?.statusLabel).toBe('For review');
    expect(toNoteView(note({ status: 'entered-in-error' }), BASE)).toBeUndefined();
  });

  it('falls back for missing author display, title and type', () => {
    const view = toNoteView(
      note({
        author: [{ reference: 'Practitioner/1' }],
        description: undefined,
        type: { text: 'Nursing note' },
      }),
      BASE,
    );
    expect(view?.author).toBe(UNKNOWN_AUTHOR);
    expect(view?.title).toBe('Nursing note');
    expect(view?.typeDisplay).toBe('Nursing note');
  });

  it('honours a declared charset', () => {
    const latin1 = btoa(String.fromCharCode(0xd6, 0x64, 0x65, 0x6d)); // "Ödem" in ISO-8859-1
    const view = toNoteView(
      note({ content: [{ attachment: { contentType: 'text/plain; charset=ISO-8859-1', data: latin1 } }] }),
      BASE,
    );
    expect(view?.content).toEqual({ kind: 'text', text: 'Ödem' });
  });

  it('keeps HTML as untrusted markup to be sanitised', () => {
    const html = '<p>ok</p><script>alert(1)</script>';
    const view = toNoteView(
      note({ content: [{ attachment: { contentType: 'text/html', data: utf8ToBase64(html) } }] }),
      BASE,
    );
    expect(view?.content).toEqual({ kind: 'html', html });
  });

  it('prefers inline text over other formats', () => {
    const view = toNoteView(
      note({
        content: [
          { attachment: { contentType: 'application/pdf', url: 'Binary/pdf' } },
          { attachment: { contentType: 'text/html', url: 'Binary/html' } },
          { attachment: { contentType: 'text/plain', data: utf8ToBase64('plain') } },
        ],
      }),
      BASE,
    );
    expect(view?.content).toEqual({ kind: 'text', text: 'plain' });
  });

  it('fetches attachments on the FHIR server only', () => {
    const onServer = toNoteView(
      note({ content: [{ attachment: { contentType: 'text/plain', url: 'Binary/7' } }] }),
      BASE,
    );
    expect(onServer?.content).toEqual({
      kind: 'fetch',
      url: 'https://ehr.test/fhir/Binary/7',
      contentType: 'text/plain',
      format: 'text',
    });
    const elsewhere = toNoteView(
      note({
        content: [{ attachment: { contentType: 'text/plain', url: 'https://evil.test/fhir/Binary/7' } }],
      }),
      BASE,
    );
    expect(elsewhere?.content).toEqual({ kind: 'elsewhere', contentType: 'text/plain' });
  });

  it('offers PDF, images and CDA to the EHR instead of rendering them', () => {
    const view = toNoteView(
      note({ content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/1' } }] }),
      BASE,
    );
    expect(view?.content).toEqual({ kind: 'unsupported', contentType: 'application/pdf' });
  });

  it('never throws on malformed input', () => {
    const junk: unknown[] = [
      null,
      42,
      'DocumentReference',
      { resourceType: 'DocumentReference' },
      { resourceType: 'DocumentReference', content: 'x', author: {}, type: [] },
      {
        resourceType: 'DocumentReference',
        content: [{ attachment: { contentType: 'text/plain', data: '%%%' } }],
      },
      {
        resourceType: 'DocumentReference',
        content: [{ attachment: { contentType: 'text/plain', data: 'QQ==' } }],
        date: 7,
      },
      { resourceType: 'Observation' },
    ];
    for (const value of junk) expect(() => toNoteView(value, BASE)).not.toThrow();
    expect(toNoteView({ resourceType: 'DocumentReference' }, BASE)).toMatchObject({
      typeDisplay: 'Clinical note',
      author: UNKNOWN_AUTHOR,
      statusLabel: 'Status not stated',
      content: { kind: 'none' },
    });
    expect(toNoteView(junk[5], BASE)?.content.kind).toBe('unreadable');
  });

  it('sorts newest first, undated last', () => {
    const views = toNoteViews(
      [
        note({ id: 'a', date: '2026-01-01' }),
        note({ id: 'b', date: undefined }),
        note({ id: 'c', date: '2026-12-01T10:00:00Z' }),
      ],
      BASE,
    );
    expect(views.map((view) => view.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('fetchedContent', () => {
  it('takes text, HTML and Binary resources', () => {
    expect(fetchedContent('hello', { contentType: 'text/plain', format: 'text' })).toEqual({
      kind: 'text',
      text: 'hello',
    });
    expect(fetchedContent('<b>x</b>', { contentType: 'text/html', format: 'html' })).toEqual({
      kind: 'html',
      html: '<b>x</b>',
    });
    expect(
      fetchedContent(
        { resourceType: 'Binary', contentType: 'text/plain; charset=utf-8', data: utf8ToBase64('患者') },
        { contentType: 'text/plain', format: 'text' },
      ),
    ).toEqual({ kind: 'text', text: '患者' });
    expect(
      fetchedContent({ resourceType: 'OperationOutcome' }, { contentType: 'text/plain', format: 'text' })
        .kind,
    ).toBe('unreadable');
  });
});

describe('formatNoteDate', () => {
  it('shows local date and time, keeps date-only values and raw junk', () => {
    expect(formatNoteDate('2026-12-03T08:14:59Z')).toBe('2026-12-03 08:14');
    expect(formatNoteDate('2026-12-03')).toBe('2026-12-03');
    expect(formatNoteDate('yesterday')).toBe('yesterday');
    expect(formatNoteDate(undefined)).toBe('Date not stated');
  });
});
