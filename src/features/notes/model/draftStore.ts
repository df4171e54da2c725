/**
 * Where a note draft lives while the clinician writes it, and for how long.
 *
 * Decision: localStorage, one draft per (EHR `iss`, patient, clinician `fhirUser`), for at most 12 hours after
 * its last change, removed as soon as the EHR confirms the note (or the clinician discards it).
 *
 * Why not sessionStorage: it dies with the tab, and a relaunch from the EHR usually opens a new browser window
 * or a new embedded browser instance (Epic opens apps in a new window or Hyperspace activity; Oracle PowerChart
 * in a new IE/WebView2 control), so a note lost to an expired session could not be offered back. PowerChart can
 * also share one sessionStorage between chart instances (smart-facts.md), which is no isolation at all.
 *
 * Why localStorage is acceptable on a shared workstation, and its bounds:
 * - keyed by EHR, patient and clinician: another clinician, or another patient's chart, never sees the draft;
 * - 12 h (one shift, the longest a half-written note is still meaningful): expired drafts are purged every
 *   time the store is first used on a page load, whatever their key;
 * - removed once the server confirms the note; "Discard draft" removes it at once;
 * - readable by script on MOVO-X's origin only, the same exposure as the SMART tokens in sessionStorage, which
 *   the strict Content-Security-Policy protects; encrypting it would need a key stored next to it.
 *
 * When storage is unavailable (Chromium blocks it for a cross-site iframe in privacy modes: SecurityError;
 * a full quota: QuotaExceededError), drafts fall back to memory for the page's life, and the editor says that a
 * reload would lose the text. Typing never fails because of storage.
 *
 * The same reasoning, for the README: src/features/notes/DRAFTS.md.
 */
import type { NoteDocStatus } from './documentReference.ts';
import type { NoteTypeOption } from './noteTypes.ts';

export const DRAFT_TTL_MS = 12 * 60 * 60 * 1000;
const PREFIX = 'movo-x.note-draft.v1:';
const PROBE_KEY = 'movo-x.storage-probe';

/**
 * The state of the last save attempt, which decides what the next attempt must do first:
 * - `unsent`: never sent, or every attempt was refused before it could be stored;
 * - `sending`: a save was in flight when the draft was last written (the page may have died mid-request):
 *   treated like `outcome-unknown`;
 * - `outcome-unknown`: a network drop, timeout or 5xx: the EHR may hold the note, so search for its identifier
 *   before posting again;
 * - `refused`: the EHR answered with a 4xx: nothing was stored.
 */
export type SaveAttemptState = 'unsent' | 'sending' | 'outcome-unknown' | 'refused';

export interface NoteDraft {
  /** `urn:uuid:…`, sent as the DocumentReference identifier: the same for every retry of this draft. */
  readonly id: string;
  readonly noteType: NoteTypeOption;
  readonly title: string;
  readonly text: string;
  /** The status chosen at the last save ("Sign and file" or "Save for review"), reused by "Retry". */
  readonly docStatus: NoteDocStatus;
  /** The encounter in context when the draft was started. */
  readonly encounterId: string | undefined;
  /** ISO 8601. Also the start of `context.period`: writing started then. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastSave: SaveAttemptState;
}

export interface DraftKey {
  readonly serverUrl: string;
  readonly patientId: string;
  readonly fhirUser: string;
}

export type DraftPersistence = 'local' | 'memory';

export interface DraftStore {
  load(key: DraftKey): NoteDraft | undefined;
  /** Returns where the draft now lives; `memory` means a reload would lose it. */
  save(key: DraftKey, draft: NoteDraft): DraftPersistence;
  /** Removes the draft; with `draftId`, only if the stored draft is that one (a newer draft stays). */
  remove(key: DraftKey, draftId?: string): void;
  persistence(): DraftPersistence;
}

export interface DraftStoreOptions {
  /** Returns the Storage; may throw (SecurityError) when the browser blocks it. */
  readonly storage: () => Storage;
  readonly now?: () => number;
  readonly ttlMs?: number;
}

export function draftStorageKey(key: DraftKey): string {
  return PREFIX + [key.serverUrl, key.patientId, key.fhirUser].map(encodeURIComponent).join(':');
}

/** Whether a draft holds anything worth keeping. */
export function draftHasContent(draft: Pick<NoteDraft, 'title' | 'text'>): boolean {
  return draft.title.trim() !== '' || draft.text.trim() !== '';
}

const SAVE_STATES: readonly string[] = [
  'unsent',
  'sending',
  'outcome-unknown',
  'refused',
] satisfies SaveAttemptState[];

/** Validates what storage held (another version of MOVO-X, or a hand edit, may have written it). */
export function parseDraft(json: string | null): NoteDraft | undefined {
  if (json === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Record<string, unknown>;
  const type = (typeof d.noteType === 'object' && d.noteType !== null ? d.noteType : {}) as Record<
    string,
    unknown
  >;
  const isString = (v: unknown): v is string => typeof v === 'string';
  if (
    !isString(d.id) ||
    !d.id.startsWith('urn:uuid:') ||
    !isString(type.system) ||
    !isString(type.code) ||
    !isString(type.display) ||
    !isString(d.title) ||
    !isString(d.text) ||
    (d.docStatus !== 'final' && d.docStatus !== 'preliminary') ||
    !(d.encounterId === undefined || isString(d.encounterId)) ||
    !isString(d.createdAt) ||
    !isString(d.updatedAt) ||
    Number.isNaN(Date.parse(d.updatedAt)) ||
    !isString(d.lastSave) ||
    !SAVE_STATES.includes(d.lastSave)
  ) {
    return undefined;
  }
  return {
    id: d.id,
    noteType: { system: type.system, code: type.code, display: type.display },
    title: d.title,
    text: d.text,
    docStatus: d.docStatus,
    encounterId: d.encounterId,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    lastSave: d.lastSave as SaveAttemptState,
  };
}

export function createDraftStore(options: DraftStoreOptions): DraftStore {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? DRAFT_TTL_MS;
  const memory = new Map<string, NoteDraft>();
  let storage: Storage | undefined;
  let mode: DraftPersistence | undefined;

  const expired = (draft: NoteDraft): boolean => now() - Date.parse(draft.updatedAt) > ttlMs;

  function fallBackToMemory(reason: unknown): void {
    if (mode !== 'memory') console.warn('MOVO-X: drafts are kept in memory only:', reason);
    mode = 'memory';
    storage = undefined;
  }

  /** Every key of ours in storage, expired or unreadable drafts removed (whatever patient or clinician). */
  function purge(store: Storage): void {
    const keys: string[] = [];
    for (let index = 0; index < store.length; index += 1) {
      const name = store.key(index);
      if (name?.startsWith(PREFIX)) keys.push(name);
    }
    for (const name of keys) {
      const draft = parseDraft(store.getItem(name));
      if (!draft || expired(draft)) store.removeItem(name);
    }
  }

  /** First use on this page: probe that storage works at all, then purge. */
  function open(): Storage | undefined {
    if (mode !== undefined) return storage;
    try {
      const store = options.storage();
      store.setItem(PROBE_KEY, '1');
      store.removeItem(PROBE_KEY);
      purge(store);
      storage = store;
      mode = 'local';
    } catch (error) {
      fallBackToMemory(error);
    }
    return storage;
  }

  function remove(key: DraftKey, draftId?: string): void {
    const name = draftStorageKey(key);
    const store = open();
    const inMemory = memory.get(name);
    if (inMemory && (draftId === undefined || inMemory.id === draftId)) memory.delete(name);
    if (!store) return;
    try {
      const stored = parseDraft(store.getItem(name));
      if (draftId === undefined || !stored || stored.id === draftId) store.removeItem(name);
    } catch (error) {
      fallBackToMemory(error);
    }
  }

  return {
    load(key) {
      const name = draftStorageKey(key);
      const store = open();
      let draft = memory.get(name);
      if (!draft && store) {
        try {
          draft = parseDraft(store.getItem(name));
        } catch (error) {
          fallBackToMemory(error);
        }
      }
      if (draft && expired(draft)) {
        remove(key);
        return undefined;
      }
      return draft;
    },
    save(key, draft) {
      const name = draftStorageKey(key);
      const store = open();
      if (store) {
        try {
          store.setItem(name, JSON.stringify(draft));
          memory.delete(name);
          return 'local';
        } catch (error) {
          fallBackToMemory(error);
        }
      }
      memory.set(name, draft);
      return 'memory';
    },
    remove,
    persistence() {
      open();
      return mode ?? 'memory';
    },
  };
}

/** The app's store: the browser's localStorage (its getter itself throws when storage is blocked). */
export const noteDrafts: DraftStore = createDraftStore({ storage: () => window.localStorage });
