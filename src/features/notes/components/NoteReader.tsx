/**
 * One note's content. Plain text is shown as text (React escapes it); HTML goes through DOMPurify first;
 * anything MOVO-X cannot show safely is left to the EHR's own viewer.
 */
import { useQuery } from '@tanstack/react-query';
import DOMPurify from 'dompurify';
import { useSession } from '../../../session/session.ts';
import { noteContentOptions } from '../api/notesQueries.ts';
import type { NoteContent, NoteView } from '../model/noteView.ts';

/**
 * EHR HTML can carry script, event handlers, forms and remote images (which would tell another server that
 * this note was opened). DOMPurify's HTML profile drops script, SVG/MathML and `on*` handlers; we also drop
 * what has no place in a read-only note. (SMART security: sanitise narrative and HTML attachments.)
 */
export function sanitizeNoteHtml(
  html: string,
  purify: Pick<typeof DOMPurify, 'sanitize'> = DOMPurify,
): string {
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: [
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'img',
      'picture',
      'video',
      'audio',
      'iframe',
    ],
    FORBID_ATTR: ['style', 'srcset'],
  });
}

function OpenInEhr({ children }: { children: string }) {
  return <p className="notes-message">{children}</p>;
}

function ShowContent({ note, content }: { note: NoteView; content: NoteContent }) {
  switch (content.kind) {
    case 'text':
      return <pre className="note-text">{content.text}</pre>;
    case 'html':
      return (
        <div
          className="note-html"
          // Sanitised just above: the only place MOVO-X renders markup from the EHR.
          dangerouslySetInnerHTML={{ __html: sanitizeNoteHtml(content.html) }}
        />
      );
    case 'fetch':
      return <FetchedContent note={note} />;
    case 'elsewhere':
      return (
        <OpenInEhr>
          This note is stored outside the EHR’s FHIR server, where MOVO-X does not send your access: open it
          in the EHR.
        </OpenInEhr>
      );
    case 'unsupported':
      return (
        <OpenInEhr>{`This note's format (${content.contentType}) cannot be shown here: open it in the EHR`}</OpenInEhr>
      );
    case 'unreadable':
      return <OpenInEhr>{`${content.reason} Open the note in the EHR.`}</OpenInEhr>;
    case 'none':
      return <OpenInEhr>This note has no content MOVO-X can show: open it in the EHR.</OpenInEhr>;
  }
}

function FetchedContent({ note }: { note: NoteView }) {
  const session = useSession();
  const query = useQuery(noteContentOptions(session, note));
  if (query.isPending) return <p role="status">Loading the note…</p>;
  if (query.isError) {
    return (
      <div role="alert" className="notes-message notes-error">
        <p>The note could not be loaded: {query.error.message}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  // A fetched document is never itself a `fetch`; guard anyway rather than loop.
  return query.data.kind === 'fetch' ? (
    <OpenInEhr>This note cannot be shown here: open it in the EHR.</OpenInEhr>
  ) : (
    <ShowContent note={note} content={query.data} />
  );
}

export function NoteReader({ note }: { note: NoteView }) {
  return (
    <div className="note-reader">
      <ShowContent note={note} content={note.content} />
    </div>
  );
}
