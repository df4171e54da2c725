/**
 * Draft → the DocumentReference MOVO-X files. Pure: every input (time and identifier included) is passed in.
 *
 * The shape is the intersection of what the three specifications accept:
 * - US Core DocumentReference and "Writing Clinical Notes"
 *   (https://hl7.org/fhir/us/core/StructureDefinition-us-core-documentreference.html,
 *   https://hl7.org/fhir/us/core/writing-clinical-notes.html): status, type, category clinical-note, subject,
 *   date, author, content.attachment with a contentType; a client identifier so that a retry can be recognised.
 * - Epic "DocumentReference.Create (Clinical Notes)" (https://fhir.epic.com/Specifications?api=1048): an
 *   encounter of the same patient in `context.encounter`, text/plain base64 only, only the first attachment
 *   kept, `docStatus` final signs and preliminary files an unsigned note.
 * - Oracle Health Millennium "Create a document reference"
 *   (https://docs.oracle.com/en/industries/health/millennium-platform-apis/mfrap/op-documentreference-post.html):
 *   exactly one author (the authorised provider), exactly one content with a charset'ed content type,
 *   `context.period.end` required, at most one encounter, every date with a time component, type coded with
 *   LOINC or a local code (not both).
 */
import type { DocumentReference } from 'fhir/r4';
import { utf8ToBase64 } from './base64.ts';
import type { NoteTypeOption } from './noteTypes.ts';

export const US_CORE_DOCUMENT_CATEGORY =
  'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
/** RFC 3986 URI identifier system: the value is the URI itself (http://hl7.org/fhir/R4/datatypes.html#Identifier). */
export const URI_IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';
/** US Core: servers SHALL accept text/plain with a UTF-8 charset; Oracle wants the charset spelled out. */
export const NOTE_CONTENT_TYPE = 'text/plain; charset=utf-8';

export type NoteDocStatus = 'final' | 'preliminary';

export interface NoteInput {
  readonly patientId: string;
  /** The signed-in clinician as a relative reference (`Practitioner/123`), from the id_token's `fhirUser`. */
  readonly practitionerRef: string;
  /** The clinician's name, so that lists which show `author.display` name them (many do not resolve references). */
  readonly practitionerName?: string | undefined;
  /** The encounter in the launch context, when there is one. */
  readonly encounterId?: string | undefined;
  readonly noteType: NoteTypeOption;
  readonly title: string;
  readonly text: string;
  readonly docStatus: NoteDocStatus;
  /** `urn:uuid:<uuid>`: one per draft, the same on every retry. */
  readonly identifier: string;
  /** When the note is filed (`date`, `context.period.end`, `attachment.creation`). */
  readonly now: Date;
  /** The start of the clinical time the note documents; defaults to `now`. */
  readonly periodStart?: Date | undefined;
}

/** A fresh draft identifier (RFC 4122 UUID as a URN, RFC 4122 §3). */
export function newNoteIdentifier(): string {
  return `urn:uuid:${crypto.randomUUID()}`;
}

/** The search token that finds a note by its identifier: `urn:ietf:rfc:3986|urn:uuid:…`. */
export function identifierToken(identifier: string): string {
  return `${URI_IDENTIFIER_SYSTEM}|${identifier}`;
}

export function buildNoteDocumentReference(input: NoteInput): DocumentReference {
  const now = input.now.toISOString();
  // A period that ends before it starts is invalid FHIR (Period.start <= end): clamp a start in the future.
  const start =
    input.periodStart && input.periodStart.getTime() <= input.now.getTime()
      ? input.periodStart.toISOString()
      : now;
  const title = input.title.trim() || input.noteType.display;
  return {
    resourceType: 'DocumentReference',
    identifier: [{ system: URI_IDENTIFIER_SYSTEM, value: input.identifier }],
    status: 'current',
    docStatus: input.docStatus,
    // One coding only: Oracle rejects a LOINC and a local code together.
    type: {
      coding: [{ system: input.noteType.system, code: input.noteType.code, display: input.noteType.display }],
      text: input.noteType.display,
    },
    category: [
      { coding: [{ system: US_CORE_DOCUMENT_CATEGORY, code: 'clinical-note', display: 'Clinical Note' }] },
    ],
    subject: { reference: `Patient/${input.patientId}` },
    // US Core: `date` is when the note was written; `context.period` the clinical time it documents.
    date: now,
    author: [
      {
        reference: input.practitionerRef,
        ...(input.practitionerName ? { display: input.practitionerName } : {}),
      },
    ],
    description: title,
    content: [
      {
        attachment: {
          contentType: NOTE_CONTENT_TYPE,
          data: utf8ToBase64(input.text),
          title,
          creation: now,
        },
      },
    ],
    context: {
      ...(input.encounterId ? { encounter: [{ reference: `Encounter/${input.encounterId}` }] } : {}),
      period: { start, end: now },
    },
  };
}
