/**
 * The patient's observations, grouped by concept, built incrementally as pages arrive: each page is mapped once and
 * merged in O(page + touched groups), never re-derived from the whole history. Immutable from the outside: every
 * merge returns a new store (React sees a new reference), sharing the untouched groups with the previous one.
 */
import { conceptById, type ConceptRef } from './codeSets.ts';
import { compareNewestFirst } from './time.ts';
import type { ObservationView } from './types.ts';

export interface ObservationGroup {
  /** The concept key; standalone systolic and diastolic observations join the blood-pressure group. */
  readonly key: string;
  readonly concept: ConceptRef;
  /** Newest first, undated last. */
  readonly views: readonly ObservationView[];
}

export interface ObservationStore {
  readonly groups: ReadonlyMap<string, ObservationGroup>;
  /** Views kept (entered-in-error and duplicates are not). */
  readonly count: number;
  readonly unreadable: number;
  /**
   * Ids seen so far, one set per merged page: a persistent structure (a merge adds a set and copies nothing), so
   * that merging stays O(page) however long the history, and merging into an older store stays correct.
   */
  readonly seenIds: readonly ReadonlySet<string>[];
}

export const EMPTY_STORE: ObservationStore = {
  groups: new Map(),
  count: 0,
  unreadable: 0,
  seenIds: [],
};

function seen(store: ObservationStore, id: string): boolean {
  return store.seenIds.some((ids) => ids.has(id));
}

export function groupKeyOf(view: ObservationView): string {
  const id = view.concept.known?.id;
  return id === 'systolic' || id === 'diastolic' ? 'blood-pressure' : view.concept.key;
}

export function compareViews(a: ObservationView, b: ObservationView): number {
  return (
    compareNewestFirst(a.effective.sortTime, b.effective.sortTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface MergeResult {
  readonly store: ObservationStore;
  /** Views of this page that were already in the store (a server repeating itself). */
  readonly duplicates: number;
}

/** Adds a page of views. Views whose id is already present are skipped (paging that shifted under insertions). */
export function mergeViews(store: ObservationStore, views: readonly ObservationView[]): MergeResult {
  const pageIds = new Set<string>();
  const incoming = new Map<string, ObservationView[]>();
  let duplicates = 0;
  let unreadable = 0;
  for (const view of views) {
    if (pageIds.has(view.id) || seen(store, view.id)) {
      duplicates++;
      continue;
    }
    pageIds.add(view.id);
    if (view.value.kind === 'unreadable') unreadable++;
    const key = groupKeyOf(view);
    const list = incoming.get(key);
    if (list) list.push(view);
    else incoming.set(key, [view]);
  }
  if (incoming.size === 0) return { store, duplicates };

  const groups = new Map(store.groups);
  let added = 0;
  for (const [key, list] of incoming) {
    list.sort(compareViews);
    added += list.length;
    const existing = groups.get(key);
    const merged = existing ? mergeSorted(existing.views, list) : list;
    const newest = merged[0];
    groups.set(key, {
      key,
      // Named after its newest member; the blood-pressure group after the concept, not a component.
      concept: key === 'blood-pressure' ? BLOOD_PRESSURE : (newest?.concept ?? unnamed),
      views: merged,
    });
  }
  return {
    store: {
      groups,
      count: store.count + added,
      unreadable: store.unreadable + unreadable,
      seenIds: [...store.seenIds, pageIds],
    },
    duplicates,
  };
}

const unnamed: ConceptRef = { key: 'unnamed', known: undefined, label: 'Unnamed observation', codeLabel: '' };
const bp = conceptById('blood-pressure');
const BLOOD_PRESSURE: ConceptRef = { key: bp.id, known: bp, label: bp.label, codeLabel: bp.label };

function mergeSorted(a: readonly ObservationView[], b: readonly ObservationView[]): ObservationView[] {
  // Pages arrive newest first, so the common case is "all of b after all of a": a cheap concatenation.
  const lastA = a[a.length - 1];
  const firstB = b[0];
  if (lastA && firstB && compareViews(lastA, firstB) <= 0) return [...a, ...b];
  const out: ObservationView[] = new Array<ObservationView>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (!x || !y) break;
    if (compareViews(x, y) <= 0) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) {
    const x = a[i++];
    if (x) out[k++] = x;
  }
  while (j < b.length) {
    const y = b[j++];
    if (y) out[k++] = y;
  }
  out.length = k;
  return out;
}

/** Builds a store from views in one go (tests, benchmarks). */
export function storeOf(views: readonly ObservationView[]): ObservationStore {
  return mergeViews(EMPTY_STORE, views).store;
}
