/** The notes feature as the app shows it: the editor above the patient's notes, each with its own error boundary. */
import type { RetryPolicy } from '../model/retryPolicy.ts';
import { NoteEditor, type NoteSnippet } from './NoteEditor.tsx';
import { PanelErrorBoundary } from '../../../components/PanelErrorBoundary.tsx';
import { NotesList } from './NotesList.tsx';
import './notes.css';

export interface NotesPanelProps {
  /** One-line results from the observations feature ("BP 128/82 mmHg (2026-12-03 08:14)"). */
  readonly snippets: readonly NoteSnippet[];
  /** Automatic retries of a save whose outcome is unknown; tests shorten the backoff. */
  readonly retryPolicy?: RetryPolicy;
  /** The signed-in clinician's name (from the app's session header), written as the note's author display. */
  readonly authorName?: string | undefined;
}

export function NotesPanel({ snippets, retryPolicy, authorName }: NotesPanelProps) {
  return (
    <div className="notes-panel">
      <PanelErrorBoundary name="the note editor" reassurance="Any draft is kept.">
        <NoteEditor snippets={snippets} retryPolicy={retryPolicy} authorName={authorName} />
      </PanelErrorBoundary>
      <section className="notes-section" aria-labelledby="notes-list-heading">
        <h3 id="notes-list-heading">Clinical notes</h3>
        <PanelErrorBoundary name="the notes list">
          <NotesList />
        </PanelErrorBoundary>
      </section>
    </div>
  );
}
