/** The patient's clinical notes, newest first; each opens in place (disclosure pattern, WAI-ARIA APG). */
import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useSession } from '../../../session/session.ts';
import { notesListOptions } from '../api/notesQueries.ts';
import { formatNoteDate, sortNewestFirst, type NoteView } from '../model/noteView.ts';
import { NoteReader } from './NoteReader.tsx';

function NoteItem({ note }: { note: NoteView }) {
  const [open, setOpen] = useState(false);
  const regionId = `note-content-${note.id}`;
  return (
    <li className="note-item">
      <button
        type="button"
        className="note-summary"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => {
          setOpen((value) => !value);
        }}
      >
        <span className="note-title">{note.title}</span>
        <span className="note-meta">
          <span>{note.typeDisplay}</span>
          <span>{note.author}</span>
          <span>{formatNoteDate(note.date)}</span>
          <span className={`note-status note-status-${note.status}`}>{note.statusLabel}</span>
        </span>
      </button>
      {open && (
        <div id={regionId}>
          <NoteReader note={note} />
        </div>
      )}
    </li>
  );
}

export function NotesList() {
  const session = useSession();
  const query = useInfiniteQuery(notesListOptions(session));

  if (session.capabilities.readNotes === 'none') {
    return (
      <p className="notes-message">
        This EHR did not grant MOVO-X access to read notes: notes filed from here will not be listed.
      </p>
    );
  }
  if (query.isPending) return <p role="status">Loading notes…</p>;
  if (query.isLoadingError) {
    return (
      <div role="alert" className="notes-message notes-error">
        <p>The notes could not be loaded: {query.error.message}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  // Pages are sorted by the server (`_sort=-date`); sort again in case it ignored the parameter.
  const notes = sortNewestFirst(query.data.pages.flatMap((page) => page.notes));
  return (
    <div className="notes-list">
      {session.capabilities.readNotes === 'some' && (
        <p className="notes-message">
          This EHR granted access to some notes only: the list may be incomplete.
        </p>
      )}
      {notes.length === 0 ? (
        <p className="notes-message">No clinical notes for this patient</p>
      ) : (
        <ul aria-label="Clinical notes">
          {notes.map((note) => (
            <NoteItem key={note.id} note={note} />
          ))}
        </ul>
      )}
      {query.isRefetchError && (
        <p role="alert" className="notes-error">
          The list could not be brought up to date: {query.error.message}{' '}
          <button type="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </p>
      )}
      {query.isFetchNextPageError && (
        <p role="alert" className="notes-error">
          Older notes could not be loaded: {query.error.message}
        </p>
      )}
      {query.hasNextPage && (
        <button type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {query.isFetchingNextPage ? 'Loading older notes…' : 'Load older notes'}
        </button>
      )}
    </div>
  );
}
