/**
 * The overview: latest vital signs with sparklines, labs by panel, social history, other categories, uncategorized.
 * Cost is O(groups) plus a bounded amount per vital sign, so recomputing it after every page is cheap; it is
 * memoised per store so that every consumer of the same store shares one computation.
 */
import {
  CONCEPTS,
  LAB_PANELS,
  VITAL_ORDER,
  type ConceptDef,
  type LabPanelId,
  type VitalConceptId,
} from './codeSets.ts';
import { buildSeries, type SeriesPoint } from './series.ts';
import type { ObservationGroup, ObservationStore } from './store.ts';
import type { ObservationView } from './types.ts';

/** Points drawn in a sparkline (the newest ones). */
export const SPARKLINE_POINTS = 30;

export interface SparklineModel {
  /** Oldest first; one number per line (BP has two). */
  readonly points: readonly { readonly time: number; readonly values: readonly number[] }[];
  readonly lines: number;
}

export interface OverviewItem {
  /** Group key, to open the detail. */
  readonly key: string;
  readonly label: string;
  readonly latest: ObservationView;
  readonly count: number;
}

export interface VitalItem extends OverviewItem {
  readonly concept: ConceptDef;
  readonly sparkline: SparklineModel | undefined;
}

export interface LabPanelModel {
  readonly id: LabPanelId | 'other';
  readonly label: string;
  readonly items: readonly OverviewItem[];
}

export interface CategorySection {
  readonly label: string;
  readonly items: readonly OverviewItem[];
}

export interface Overview {
  readonly vitals: readonly VitalItem[];
  readonly labPanels: readonly LabPanelModel[];
  readonly socialHistory: readonly OverviewItem[];
  readonly otherCategories: readonly CategorySection[];
  readonly uncategorized: readonly OverviewItem[];
  readonly isEmpty: boolean;
}

/** The value to show as "latest": the newest that is not cancelled and not a grouping panel. */
export function latestOf(views: readonly ObservationView[]): ObservationView | undefined {
  return views.find((v) => v.status !== 'cancelled' && !v.isPanel) ?? views.find((v) => !v.isPanel);
}

const cache = new WeakMap<ObservationStore, Overview>();

export function buildOverview(store: ObservationStore): Overview {
  const cached = cache.get(store);
  if (cached) return cached;
  const overview = computeOverview(store);
  cache.set(store, overview);
  return overview;
}

const byLabel = (a: OverviewItem, b: OverviewItem) => a.label.localeCompare(b.label);

function computeOverview(store: ObservationStore): Overview {
  const vitals = new Map<VitalConceptId, VitalItem>();
  const labs = new Map<LabPanelId | 'other', OverviewItem[]>();
  const social: OverviewItem[] = [];
  const others = new Map<string, OverviewItem[]>();
  const uncategorized: OverviewItem[] = [];

  for (const group of store.groups.values()) {
    const latest = latestOf(group.views);
    if (!latest) continue; // only grouping panels: their members are shown
    const item: OverviewItem = {
      key: group.key,
      label: group.concept.label,
      latest,
      count: group.views.length,
    };
    const section = group.concept.known?.section;
    const known = group.concept.known;
    if (known && section?.kind === 'vital') {
      vitals.set(known.id as VitalConceptId, {
        ...item,
        concept: known,
        sparkline: sparklineOf(group, latest),
      });
      continue;
    }
    if (section?.kind === 'lab') {
      push(labs, section.panel, item);
      continue;
    }
    const code = latest.category.code;
    if (code === 'laboratory') push(labs, 'other', item);
    else if (code === 'social-history') social.push(item);
    else if (code === 'uncategorized') uncategorized.push(item);
    // Vital signs MOVO-X has no card for (pain score, head circumference) are listed under "Vital signs".
    else push(others, latest.category.label, item);
  }

  const labPanels: LabPanelModel[] = [
    ...LAB_PANELS.map((panel) => ({
      id: panel.id,
      label: panel.label,
      items: orderByConcepts(labs.get(panel.id) ?? []),
    })),
    { id: 'other' as const, label: 'Other labs', items: (labs.get('other') ?? []).sort(byLabel) },
  ].filter((p) => p.items.length > 0);

  const vitalItems = VITAL_ORDER.map((id) => vitals.get(id)).filter((v): v is VitalItem => v !== undefined);
  const otherCategories = [...others]
    .map(([label, items]) => ({ label, items: items.sort(byLabel) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return {
    vitals: vitalItems,
    labPanels,
    socialHistory: social.sort(byLabel),
    otherCategories,
    uncategorized: uncategorized.sort(byLabel),
    isEmpty: store.groups.size === 0,
  };
}

function push<K>(map: Map<K, OverviewItem[]>, key: K, item: OverviewItem) {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** Panel rows in the order the code-set table lists them (the order a lab report uses). */
function orderByConcepts(items: OverviewItem[]): OverviewItem[] {
  const rank = (item: OverviewItem) => {
    const id = item.latest.concept.known?.id;
    return (id === undefined ? undefined : CONCEPT_RANK.get(id)) ?? Number.MAX_SAFE_INTEGER;
  };
  return items.sort((a, b) => rank(a) - rank(b));
}

const CONCEPT_RANK = new Map<string, number>(CONCEPTS.map((c, index) => [c.id, index]));

/** Sparkline: the newest values in the latest value's unit (no conversion needed on first paint). */
function sparklineOf(group: ObservationGroup, latest: ObservationView): SparklineModel | undefined {
  // Bounded work: only the newest values are looked at, however long the history.
  const recent = group.views.slice(0, SPARKLINE_POINTS * 2);
  const series = buildSeries(recent).find((s) => s.points.some((p) => p.id === latest.id));
  if (!series) return undefined;
  const dated = series.points.filter((p): p is SeriesPoint & { time: number } => p.time !== undefined);
  const points = dated.slice(-SPARKLINE_POINTS).map((p) => ({ time: p.time, values: p.values }));
  return points.length < 2 ? undefined : { points, lines: series.lines.length };
}
