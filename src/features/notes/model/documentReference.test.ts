import { describe, expect, it } from 'vitest';
import { base64ToBytes, decodeBytes, utf8ToBase64 } from './base64.ts';
import {
  NOTE_CONTENT_TYPE,
  US_CORE_DOCUMENT_CATEGORY,
  URI_IDENTIFIER_SYSTEM,
  buildNoteDocumentReference,
  identifierToken,
  newNoteIdentifier,
  type NoteInput,
} from './documentReference.ts';
import { DEFAULT_NOTE_TYPES } from './noteTypes.ts';

const progressNote = { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' };

function input(overrides: Partial<NoteInput> = {}): NoteInput {
  return {
    patientId: 'patient-1',
    practitionerRef: 'Practitioner/practitioner-1',
    encounterId: 'encounter-1',
    noteType: progressNote,
    title: 'Follow-up',
    text: 'Patient is well.',
    docStatus: 'final',
    identifier: 'urn:uuid:0b8e6d4c-6b1a-4c1e-9d0f-2f3e4a5b6c7d',
    now: new Date('2026-12-03T08:30:00Z'),
    periodStart: new Date('2026-12-03T08:00:00Z'),
    ...overrides,
  };
}

function decodedText(data: string | undefined): string | undefined {
  const bytes = data === undefined ? undefined : base64ToBytes(data);
  return bytes ? decodeBytes(bytes, 'utf-8') : undefined;
}

describe('buildNoteDocumentReference', () => {
  it('builds every element US Core, Epic and Oracle Health require', () => {
    const note = buildNoteDocumentReference(input());
    expect(note).toEqual({
      resourceType: 'DocumentReference',
      identifier: [{ system: URI_IDENTIFIER_SYSTEM, value: 'urn:uuid:0b8e6d4c-6b1a-4c1e-9d0f-2f3e4a5b6c7d' }],
      status: 'current',
      docStatus: 'final',
      type: { coding: [progressNote], text: 'Progress note' },
      category: [
        { coding: [{ system: US_CORE_DOCUMENT_CATEGORY, code: 'clinical-note', display: 'Clinical Note' }] },
      ],
      subject: { reference: 'Patient/patient-1' },
      date: '2026-12-03T08:30:00.000Z',
      author: [{ reference: 'Practitioner/practitioner-1' }],
      description: 'Follow-up',
      content: [
        {
          attachment: {
            contentType: 'text/plain; charset=utf-8',
            data: utf8ToBase64('Patient is well.'),
            title: 'Follow-up',
            creation: '2026-12-03T08:30:00.000Z',
          },
        },
      ],
      context: {
        encounter: [{ reference: 'Encounter/encounter-1' }],
        period: { start: '2026-12-03T08:00:00.000Z', end: '2026-12-03T08:30:00.000Z' },
      },
    });
    expect(NOTE_CONTENT_TYPE).toBe('text/plain; charset=utf-8');
  });

  it('names the author by reference and, when known, by display (lists show author.display)', () => {
    expect(buildNoteDocumentReference(input({ practitionerName: 'Omar Haddad' })).author).toEqual([
      { reference: 'Practitioner/practitioner-1', display: 'Omar Haddad' },
    ]);
  });

  it('has exactly one author, one type coding, one content and at most one encounter', () => {
    const note = buildNoteDocumentReference(input());
    expect(note.author).toHaveLength(1);
    expect(note.type?.coding).toHaveLength(1);
    expect(note.content).toHaveLength(1);
    expect(note.context?.encounter).toHaveLength(1);
  });

  it('omits the encounter when none is in context but still sends a period with an end (Oracle)', () => {
    const note = buildNoteDocumentReference(input({ encounterId: undefined, periodStart: undefined }));
    expect(note.context).toEqual({
      period: { start: '2026-12-03T08:30:00.000Z', end: '2026-12-03T08:30:00.000Z' },
    });
  });

  it('never lets the period start after it ends', () => {
    const note = buildNoteDocumentReference(input({ periodStart: new Date('2026-12-03T09:00:00Z') }));
    expect(note.context?.period).toEqual({
      start: '2026-12-03T08:30:00.000Z',
      end: '2026-12-03T08:30:00.000Z',
    });
  });

  it('files a note for review with docStatus preliminary', () => {
    expect(buildNoteDocumentReference(input({ docStatus: 'preliminary' })).docStatus).toBe('preliminary');
  });

  it('uses the note type as title when the clinician gave none', () => {
    const note = buildNoteDocumentReference(
      input({ title: '   ', noteType: DEFAULT_NOTE_TYPES[4] ?? progressNote }),
    );
    expect(note.description).toBe('Discharge summary');
    expect(note.content[0]?.attachment.title).toBe('Discharge summary');
  });

  it('encodes non-Latin text as base64 of its UTF-8 bytes', () => {
    const text = 'Ödem — 37.5 °C — 患者';
    const note = buildNoteDocumentReference(input({ text }));
    const data = note.content[0]?.attachment.data;
    expect(() => btoa(text)).toThrow(); // why the builder must not use btoa on the string
    // Compared as arrays: jsdom and Node each have their own Uint8Array.
    expect(Array.from(base64ToBytes(data ?? '') ?? [])).toEqual(Array.from(new TextEncoder().encode(text)));
    expect(decodedText(data)).toBe(text);
    // Ö is two bytes in UTF-8 (C3 96): the first three base64 characters prove it is not Latin-1.
    expect(data?.startsWith('w5Zk')).toBe(true);
  });

  it('round-trips a 100 KB note', () => {
    const line = 'BP 128/82 mmHg (2026-12-03 08:14) — Ödem, 患者 stabil.\n';
    const text = line.repeat(Math.ceil(100_000 / line.length));
    const note = buildNoteDocumentReference(input({ text }));
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(100_000);
    expect(decodedText(note.content[0]?.attachment.data)).toBe(text);
  });
});

describe('identifiers', () => {
  it('makes a new urn:uuid per draft and a search token with the RFC 3986 system', () => {
    const first = newNoteIdentifier();
    expect(first).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newNoteIdentifier()).not.toBe(first);
    expect(identifierToken(first)).toBe(`urn:ietf:rfc:3986|${first}`);
  });
});
