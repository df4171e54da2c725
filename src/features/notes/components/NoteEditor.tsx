/**
 * The note editor: type, title, plain text, snippets from the observations; "Sign and file" (docStatus
 * final) and, where the registration allows it, "Save for review" (preliminary: Epic files an unsigned note).
 * Why the editor is disabled is said before the clinician types; every failure keeps the draft and says what
 * to do next.
 */
import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { FhirError } from '../../../lib/fhir/errors.ts';
import { useSession } from '../../../session/session.ts';
import { useSaveNote } from '../api/useSaveNote.ts';
import { newNoteIdentifier, type NoteDocStatus } from '../model/documentReference.ts';
import {
  draftHasContent,
  type DraftKey,
  type NoteDraft,
  type SaveAttemptState,
} from '../model/draftStore.ts';
import { insertSnippets, type TextSelection } from '../model/insertText.ts';
import { DEFAULT_NOTE_TYPES, findNoteType, noteTypeKey, noteTypeOptions } from '../model/noteTypes.ts';
import { formatNoteDate } from '../model/noteView.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../model/retryPolicy.ts';
import { NoteSaveError, type SaveProgress } from '../model/saveNote.ts';
import { useDraftStore } from './draftStoreContext.ts';
import { useNoteDraft, type DraftDefaults } from './useNoteDraft.ts';

export interface NoteSnippet {
  readonly id: string;
  readonly label: string;
  readonly text: string;
}

type SaveUi =
  | { readonly state: 'idle' }
  | { readonly state: 'saving'; readonly progress: SaveProgress | undefined }
  | { readonly state: 'filed'; readonly docStatus: NoteDocStatus }
  | { readonly state: 'filed-earlier-version' }
  | { readonly state: 'failed'; readonly error: FhirError; readonly mayBeStored: boolean };

export const READ_ONLY_REASON = 'This EHR granted MOVO-X read-only access: notes cannot be filed from here.';
export const ENCOUNTER_REQUIRED_REASON =
  'This EHR files notes only against an encounter; reopen MOVO-X from an encounter.';
export const NO_USER_REASON =
  'The EHR did not say who is signed in (no fhirUser), so MOVO-X cannot name the author: notes cannot be filed from here.';
export const MEMORY_ONLY_WARNING =
  'This browser does not let MOVO-X keep a draft if the page reloads; copy your text before leaving.';

const DEFAULT_NOTE_TYPE = DEFAULT_NOTE_TYPES[0] ?? {
  system: 'http://loinc.org',
  code: '11506-3',
  display: 'Progress note',
};

/** Snippet ids from the observations feature start with `vital:` for vital signs (clinicalSnippets()). */
const isVitalSign = (snippet: NoteSnippet): boolean => snippet.id.startsWith('vital:');

function lastSaveAfter(error: FhirError): SaveAttemptState {
  if (error instanceof NoteSaveError && error.mayBeStored) return 'outcome-unknown';
  switch (error.kind) {
    case 'invalid':
    case 'forbidden':
    case 'conflict':
    case 'precondition':
    case 'not-found':
      return 'refused';
    case 'network':
    case 'timeout':
    case 'server':
    case 'unauthorized':
    case 'session-ended':
    case 'unreadable':
      return 'unsent';
  }
}

function progressText(progress: SaveProgress | undefined): string {
  switch (progress?.type) {
    case undefined:
    case 'posting':
      return 'Filing note…';
    case 'checking':
      return 'Filing note… checking whether the EHR already received it.';
    case 'waiting':
      return `Filing note… the EHR did not answer; trying again (attempt ${progress.nextAttempt}).`;
    case 'refreshing':
      return 'Filing note… renewing the session with the EHR.';
  }
}

function SaveError({
  error,
  mayBeStored,
  onRetry,
  copyButton,
}: {
  error: FhirError;
  mayBeStored: boolean;
  onRetry: () => void;
  copyButton: ReactNode;
}) {
  const kept = 'Your draft is kept.';
  let body: ReactNode;
  switch (error.kind) {
    case 'invalid':
      body = (
        <>
          <p>The EHR refused the note. {kept}</p>
          {error.issues.length > 0 && (
            <ul aria-label="Reasons given by the EHR">
              {error.issues.map((issue, index) => (
                <li key={index}>{issue}</li>
              ))}
            </ul>
          )}
        </>
      );
      break;
    case 'forbidden':
      body = (
        <>
          <p>This EHR did not allow MOVO-X to file notes. {kept} Copy the text to file it in the EHR.</p>
          {copyButton}
        </>
      );
      break;
    case 'conflict':
      body = (
        <p>
          The EHR reported a conflict with a note it already holds: this note may have been filed already.
          Check the notes list before filing it again. {kept}
        </p>
      );
      break;
    case 'precondition':
      body = (
        <p>
          The EHR found more than one note with this draft’s identifier, so it is probably filed already.
          Check the notes list before filing it again. {kept}
        </p>
      );
      break;
    case 'network':
    case 'timeout':
    case 'server':
    case 'unreadable':
      body = (
        <>
          <p>
            The note could not be sent: the EHR did not answer. {kept}
            {mayBeStored &&
              ' Retrying first checks whether the EHR received it, so it will not be filed twice.'}
          </p>
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        </>
      );
      break;
    case 'unauthorized':
    case 'session-ended':
      body = (
        <>
          <p>The session with the EHR has ended. {kept} Reopen MOVO-X from the patient’s chart to file it.</p>
          {copyButton}
        </>
      );
      break;
    case 'not-found':
      body = <p>The EHR does not accept notes from MOVO-X at this address. {kept}</p>;
      break;
  }
  return (
    <div role="alert" className="notes-message notes-error">
      {body}
    </div>
  );
}

export function NoteEditor({
  snippets,
  retryPolicy = DEFAULT_RETRY_POLICY,
  authorName,
}: {
  snippets: readonly NoteSnippet[];
  retryPolicy?: RetryPolicy | undefined;
  authorName?: string | undefined;
}) {
  const session = useSession();
  const store = useDraftStore();
  const { registration, capabilities, encounterId, fhirUser, identity } = session;
  const notesConfig = registration.notes;
  const types = noteTypeOptions(notesConfig.types);

  const blockedReason = !capabilities.createNotes
    ? READ_ONLY_REASON
    : notesConfig.encounter === 'required' && !encounterId
      ? ENCOUNTER_REQUIRED_REASON
      : !fhirUser
        ? NO_USER_REASON
        : undefined;
  const canWrite = blockedReason === undefined;

  const draftKey = useMemo<DraftKey | undefined>(
    () => (fhirUser ? { serverUrl: identity.serverUrl, patientId: identity.patientId, fhirUser } : undefined),
    [fhirUser, identity.serverUrl, identity.patientId],
  );
  const defaults = useMemo<DraftDefaults>(
    () => ({
      noteType: noteTypeOptions(notesConfig.types)[0] ?? DEFAULT_NOTE_TYPE,
      docStatus: notesConfig.docStatus,
      encounterId,
    }),
    [notesConfig.types, notesConfig.docStatus, encounterId],
  );
  const drafts = useNoteDraft(draftKey, store, defaults);
  const { draft } = drafts;
  const save = useSaveNote({ drafts: store, retryPolicy, authorName });

  const [ui, setUi] = useState<SaveUi>({ state: 'idle' });
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const [copyStatus, setCopyStatus] = useState<string | undefined>(undefined);
  const [selectedSnippets, setSelectedSnippets] = useState<ReadonlySet<string>>(new Set());
  // Synchronous guard: two clicks in one frame both see `ui.state === 'idle'` before React re-renders.
  const saving = useRef(false);
  const selection = useRef<TextSelection | undefined>(undefined);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  const selectedType = findNoteType(types, noteTypeKey(draft.noteType)) ?? draft.noteType;
  const isSaving = ui.state === 'saving';
  const hasText = draft.text.trim() !== '';
  const fieldsDisabled = !canWrite && !draftHasContent(draft);
  const fieldsReadOnly = isSaving || !canWrite;
  // Preliminary-only registrations file every note for review; others sign, and may also offer review.
  const offerSign = notesConfig.docStatus === 'final';
  const offerReview = notesConfig.docStatus === 'preliminary' || notesConfig.allowReview;

  const fileNote = (docStatus: NoteDocStatus) => {
    if (saving.current || !canWrite || !hasText || !draftKey) return;
    saving.current = true;
    setConfirmingDiscard(false);
    // The draft as it was: its last save state tells the algorithm whether to search before posting.
    const toSend: NoteDraft = { ...draft, docStatus };
    drafts.commit({ docStatus, lastSave: 'sending' });
    setUi({ state: 'saving', progress: undefined });
    save.mutate(
      {
        draft: toSend,
        docStatus,
        draftKey,
        onProgress: (progress) => {
          setUi({ state: 'saving', progress });
        },
      },
      {
        onSuccess: (filed) => {
          if (filed.matchesDraft) {
            drafts.startNew();
            setUi({ state: 'filed', docStatus });
          } else {
            // The EHR holds an earlier text of this draft: what was added since becomes a new draft.
            drafts.commit({ id: newNoteIdentifier(), lastSave: 'unsent' });
            setUi({ state: 'filed-earlier-version' });
          }
        },
        onError: (error) => {
          drafts.commit({ lastSave: lastSaveAfter(error) });
          setUi({ state: 'failed', error, mayBeStored: error instanceof NoteSaveError && error.mayBeStored });
        },
        onSettled: () => {
          saving.current = false;
        },
      },
    );
  };

  const copyText = async () => {
    try {
      await navigator.clipboard.writeText(draft.text);
      setCopyStatus('Note text copied.');
    } catch {
      // Clipboard blocked (iframe permissions, older embedded browsers): select the text for Ctrl+C.
      textarea.current?.focus();
      textarea.current?.select();
      setCopyStatus('The text is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };
  const copyButton = (
    <button type="button" onClick={() => void copyText()} disabled={!hasText}>
      Copy note text
    </button>
  );

  const insert = (lines: readonly string[]) => {
    const current = selection.current ?? { start: draft.text.length, end: draft.text.length };
    const result = insertSnippets(draft.text, current, lines);
    drafts.edit({ text: result.text });
    selection.current = { start: result.cursor, end: result.cursor };
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(result.cursor, result.cursor);
    });
  };
  const vitalSigns = snippets.filter(isVitalSign);

  const rememberSelection = (element: HTMLTextAreaElement) => {
    selection.current = { start: element.selectionStart, end: element.selectionEnd };
  };

  return (
    <form
      className="note-editor"
      aria-labelledby={`${ids}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
      }}
    >
      <h3 id={`${ids}-heading`}>New note</h3>
      {blockedReason && (
        <p className="notes-message notes-blocked" role="note">
          {blockedReason}
        </p>
      )}
      {drafts.persistence === 'memory' && canWrite && (
        <p className="notes-message notes-warning" role="note">
          {MEMORY_ONLY_WARNING}
        </p>
      )}
      {drafts.restoredFrom && (
        <p className="notes-message" role="note">
          Draft restored from {formatNoteDate(drafts.restoredFrom)}
        </p>
      )}
      {drafts.restoredFrom &&
        ui.state === 'idle' &&
        (draft.lastSave === 'sending' || draft.lastSave === 'outcome-unknown') && (
          <p className="notes-message notes-warning" role="note">
            An earlier attempt to file this draft may have reached the EHR. Filing it again first checks the
            EHR, so it will not be filed twice.
          </p>
        )}
      {draft.encounterId !== undefined && draft.encounterId !== encounterId && draftHasContent(draft) && (
        <p className="notes-message notes-warning" role="note">
          This draft was started during another encounter; it will be filed against the encounter open now.
        </p>
      )}

      <div className="note-field">
        <label htmlFor={`${ids}-type`}>Note type</label>
        <select
          id={`${ids}-type`}
          value={noteTypeKey(selectedType)}
          disabled={fieldsDisabled || fieldsReadOnly}
          onChange={(event) => {
            const type = findNoteType(types, event.target.value);
            if (type) drafts.edit({ noteType: type });
          }}
        >
          {!findNoteType(types, noteTypeKey(draft.noteType)) && (
            <option value={noteTypeKey(draft.noteType)}>{draft.noteType.display}</option>
          )}
          {types.map((type) => (
            <option key={noteTypeKey(type)} value={noteTypeKey(type)}>
              {type.display}
            </option>
          ))}
        </select>
      </div>

      <div className="note-field">
        <label htmlFor={`${ids}-title`}>Title</label>
        <input
          id={`${ids}-title`}
          type="text"
          value={draft.title}
          disabled={fieldsDisabled}
          readOnly={fieldsReadOnly}
          onChange={(event) => {
            drafts.edit({ title: event.target.value });
          }}
        />
      </div>

      <div className="note-field">
        <label htmlFor={`${ids}-text`}>Note text</label>
        <textarea
          id={`${ids}-text`}
          ref={textarea}
          rows={10}
          value={draft.text}
          disabled={fieldsDisabled}
          readOnly={fieldsReadOnly}
          aria-describedby={`${ids}-text-hint`}
          onChange={(event) => {
            rememberSelection(event.currentTarget);
            drafts.edit({ text: event.target.value });
          }}
          onSelect={(event) => {
            rememberSelection(event.currentTarget);
          }}
        />
        <p id={`${ids}-text-hint`} className="note-hint">
          Plain text. Saved on this device as you type until the EHR confirms the note.
        </p>
      </div>

      {canWrite && snippets.length > 0 && (
        <div className="note-snippets">
          {vitalSigns.length > 0 && (
            <button
              type="button"
              disabled={isSaving}
              onClick={() => {
                insert(vitalSigns.map((s) => s.text));
              }}
            >
              Insert vital signs
            </button>
          )}
          <details>
            <summary>Insert selected results</summary>
            <fieldset>
              <legend className="visually-hidden">Results to insert</legend>
              {snippets.map((snippet) => (
                <label key={snippet.id} className="note-snippet">
                  <input
                    type="checkbox"
                    checked={selectedSnippets.has(snippet.id)}
                    onChange={(event) => {
                      const next = new Set(selectedSnippets);
                      if (event.target.checked) next.add(snippet.id);
                      else next.delete(snippet.id);
                      setSelectedSnippets(next);
                    }}
                  />
                  {snippet.text}
                </label>
              ))}
              <button
                type="button"
                disabled={isSaving || selectedSnippets.size === 0}
                onClick={() => {
                  insert(snippets.filter((s) => selectedSnippets.has(s.id)).map((s) => s.text));
                  setSelectedSnippets(new Set());
                }}
              >
                Insert selected
              </button>
            </fieldset>
          </details>
        </div>
      )}

      <div className="note-actions">
        {offerSign && (
          <button
            type="button"
            className="primary"
            disabled={!canWrite || !hasText || isSaving}
            onClick={() => {
              fileNote('final');
            }}
          >
            Sign and file
          </button>
        )}
        {offerReview && (
          <button
            type="button"
            className={offerSign ? undefined : 'primary'}
            disabled={!canWrite || !hasText || isSaving}
            onClick={() => {
              fileNote('preliminary');
            }}
          >
            Save for review
          </button>
        )}
        {draftHasContent(draft) && !isSaving && !confirmingDiscard && (
          <button
            type="button"
            onClick={() => {
              setConfirmingDiscard(true);
            }}
          >
            Discard draft
          </button>
        )}
        {!canWrite && draftHasContent(draft) && copyButton}
      </div>

      {confirmingDiscard && (
        <div role="group" aria-label="Confirm discarding the draft" className="notes-message notes-warning">
          <p>Discard this draft? Its text will be deleted from this device and cannot be recovered.</p>
          <button
            type="button"
            onClick={() => {
              drafts.discard();
              setConfirmingDiscard(false);
              setUi({ state: 'idle' });
            }}
          >
            Discard
          </button>
          <button
            type="button"
            onClick={() => {
              setConfirmingDiscard(false);
            }}
          >
            Keep draft
          </button>
        </div>
      )}

      <div aria-live="polite" role="status" className="note-save-status">
        {ui.state === 'saving' && <p>{progressText(ui.progress)}</p>}
        {ui.state === 'filed' && <p>{ui.docStatus === 'final' ? 'Note filed' : 'Note filed for review'}</p>}
        {copyStatus && <p>{copyStatus}</p>}
      </div>
      {ui.state === 'filed-earlier-version' && (
        <p role="alert" className="notes-message notes-warning">
          The EHR already holds an earlier version of this note, received before the connection dropped. The
          text changed since was not filed: it is kept here as a new draft.
        </p>
      )}
      {ui.state === 'failed' && (
        <SaveError
          error={ui.error}
          mayBeStored={ui.mayBeStored}
          onRetry={() => {
            fileNote(draft.docStatus);
          }}
          copyButton={copyButton}
        />
      )}
    </form>
  );
}
