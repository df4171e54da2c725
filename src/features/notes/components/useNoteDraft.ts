/**
 * The draft being edited, kept in React state for rendering and written to the draft store
 * (model/draftStore.ts) 400 ms after the last keystroke, on unmount and when the page is hidden (pagehide
 * fires on reload, tab close and navigation, where unload handlers are unreliable).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { newNoteIdentifier, type NoteDocStatus } from '../model/documentReference.ts';
import {
  draftHasContent,
  type DraftKey,
  type DraftPersistence,
  type DraftStore,
  type NoteDraft,
} from '../model/draftStore.ts';
import type { NoteTypeOption } from '../model/noteTypes.ts';

export const DRAFT_SAVE_DELAY_MS = 400;

export interface DraftDefaults {
  readonly noteType: NoteTypeOption;
  readonly docStatus: NoteDocStatus;
  readonly encounterId: string | undefined;
}

export type DraftPatch = Partial<Omit<NoteDraft, 'createdAt' | 'updatedAt'>>;

export interface NoteDraftState {
  readonly draft: NoteDraft;
  /** `updatedAt` of a draft found in the store when the editor opened (reload, relaunch). */
  readonly restoredFrom: string | undefined;
  readonly persistence: DraftPersistence;
  /** Typing: saved after a pause. */
  readonly edit: (patch: DraftPatch) => void;
  /** Save-state changes: written at once, so a reload mid-save knows a POST may have gone out. */
  readonly commit: (patch: DraftPatch) => NoteDraft;
  /** The note was filed (the mutation removed the stored copy): start an empty draft. */
  readonly startNew: () => void;
  /** The clinician threw the draft away. */
  readonly discard: () => void;
}

function freshDraft(defaults: DraftDefaults): NoteDraft {
  const now = new Date().toISOString();
  return {
    id: newNoteIdentifier(),
    noteType: defaults.noteType,
    title: '',
    text: '',
    docStatus: defaults.docStatus,
    encounterId: defaults.encounterId,
    createdAt: now,
    updatedAt: now,
    lastSave: 'unsent',
  };
}

export function useNoteDraft(
  key: DraftKey | undefined,
  store: DraftStore,
  defaults: DraftDefaults,
): NoteDraftState {
  const [initial] = useState(() => {
    const stored = key ? store.load(key) : undefined;
    return {
      draft: stored ?? freshDraft(defaults),
      restoredFrom: stored && draftHasContent(stored) ? stored.updatedAt : undefined,
    };
  });
  const [draft, setDraft] = useState<NoteDraft>(initial.draft);
  const [restoredFrom, setRestoredFrom] = useState(initial.restoredFrom);
  const [persistence, setPersistence] = useState<DraftPersistence>(() => store.persistence());
  const latest = useRef(initial.draft);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const write = useCallback(
    (value: NoteDraft) => {
      if (!key) return;
      // An empty, never-sent draft is nothing to keep; one that was sent is kept whatever it holds.
      if (draftHasContent(value) || value.lastSave !== 'unsent') setPersistence(store.save(key, value));
      else store.remove(key, value.id);
    },
    [key, store],
  );

  const cancelPending = useCallback(() => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = undefined;
  }, []);

  const flush = useCallback(() => {
    if (timer.current === undefined) return;
    cancelPending();
    write(latest.current);
  }, [cancelPending, write]);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  const replace = useCallback((next: NoteDraft) => {
    latest.current = next;
    setDraft(next);
  }, []);

  const edit = useCallback(
    (patch: DraftPatch) => {
      replace({ ...latest.current, ...patch, updatedAt: new Date().toISOString() });
      cancelPending();
      timer.current = setTimeout(() => {
        timer.current = undefined;
        write(latest.current);
      }, DRAFT_SAVE_DELAY_MS);
    },
    [cancelPending, replace, write],
  );

  const commit = useCallback(
    (patch: DraftPatch) => {
      const next = { ...latest.current, ...patch, updatedAt: new Date().toISOString() };
      replace(next);
      cancelPending();
      write(next);
      return next;
    },
    [cancelPending, replace, write],
  );

  const startNew = useCallback(() => {
    cancelPending();
    replace(freshDraft({ ...defaults, noteType: latest.current.noteType }));
    setRestoredFrom(undefined);
  }, [cancelPending, defaults, replace]);

  const discard = useCallback(() => {
    cancelPending();
    if (key) store.remove(key, latest.current.id);
    replace(freshDraft(defaults));
    setRestoredFrom(undefined);
  }, [cancelPending, defaults, key, replace, store]);

  return { draft, restoredFrom, persistence, edit, commit, startNew, discard };
}
