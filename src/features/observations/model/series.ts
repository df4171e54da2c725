/**
 * Time series for charts and tables. One series never mixes units: values in units the converter can map to the
 * series unit are converted (and counted, so the UI can say so); the rest form separate series.
 */
import { conceptById } from './codeSets.ts';
import type { Flag, FlagSource } from './interpretation.ts';
import { displayUnit, formatComputedNumber, formatQuantity, type NumericQuantity } from './quantity.ts';
import { formatBloodPressure } from './mapObservation.ts';
import type { ObservationView, StatusMark } from './types.ts';
import { exactUnitConverter, normalizeUcum, type UnitConverter } from './units.ts';

export type LineKey = 'value' | 'systolic' | 'diastolic';

export interface SeriesLine {
  readonly key: LineKey;
  readonly label: string;
}

export interface SeriesPoint {
  readonly id: string;
  /** Epoch ms; undefined when the date is unknown (listed in tables, not drawn). */
  readonly time: number | undefined;
  readonly timeLabel: string;
  /** One number per line of the series, in the series unit. */
  readonly values: readonly number[];
  /** The value in the series unit, as shown ("5.55 mmol/L", "128/82 mmHg"). */
  readonly text: string;
  /** The value as the EHR sent it, when it was converted ("100 mg/dL"). */
  readonly originalText: string | undefined;
  readonly flag: Flag | undefined;
  readonly flagSource: FlagSource | undefined;
  readonly status: string | undefined;
  readonly statusMark: StatusMark | undefined;
  readonly referenceRangeText: string | undefined;
}

export interface SeriesRange {
  readonly low: number | undefined;
  readonly high: number | undefined;
}

export interface Series {
  /** Stable: concept key and unit. */
  readonly key: string;
  readonly conceptKey: string;
  readonly label: string;
  /** Display unit of every value in the series. */
  readonly unit: string | undefined;
  readonly lines: readonly SeriesLine[];
  /** Oldest first; undated points last. Every value: tables and tooltips use all of them. */
  readonly points: readonly SeriesPoint[];
  /** The newest reference range expressible in the series unit, for the chart's band. */
  readonly referenceRange: SeriesRange | undefined;
  /** Values converted into the series unit, by original unit ("12 values converted from mmol/L"). */
  readonly converted: readonly { readonly unit: string; readonly count: number }[];
}

interface NumericEntry {
  readonly view: ObservationView;
  readonly quantities: readonly NumericQuantity[];
  readonly line: 'single' | 'bp' | 'systolic' | 'diastolic';
}

function numericEntry(view: ObservationView): NumericEntry | undefined {
  // Cancelled observations have no result to trend (http://hl7.org/fhir/R4/valueset-observation-status.html).
  if (view.status === 'cancelled') return undefined;
  const value = view.value;
  if (value.kind === 'quantity' || value.kind === 'integer') {
    const known = view.concept.known?.id;
    const line = known === 'systolic' ? 'systolic' : known === 'diastolic' ? 'diastolic' : 'single';
    return { view, quantities: [value.quantity], line };
  }
  if (value.kind === 'blood-pressure') {
    return { view, quantities: [value.systolic, value.diastolic], line: 'bp' };
  }
  return undefined;
}

/** The unit a quantity is compared by: its UCUM code, else its unit text (never converted). */
function unitIdentity(q: NumericQuantity): { key: string; ucum: string | undefined } {
  if (q.ucum !== undefined) return { key: `ucum:${normalizeUcum(q.ucum)}`, ucum: q.ucum };
  return { key: `text:${q.unit ?? ''}`, ucum: undefined };
}

interface Family {
  readonly target: NumericQuantity;
  readonly targetKey: string;
  readonly entries: { entry: NumericEntry; factor: ((v: number) => number) | undefined }[];
  readonly converted: Map<string, number>;
}

/**
 * Builds the series of one concept's views (any order). Blood pressure panels give one two-line series; standalone
 * systolic and diastolic observations taken at the same time are paired into it, unpaired ones get their own series.
 * The series unit is the newest value's unit.
 */
export function buildSeries(
  views: readonly ObservationView[],
  converter: UnitConverter = exactUnitConverter,
): Series[] {
  const entries = views
    .map(numericEntry)
    .filter((e): e is NumericEntry => e !== undefined)
    .sort((a, b) => compareTime(b.view.effective.sortTime, a.view.effective.sortTime));
  const bp = pairBloodPressure(entries);
  const byConcept = new Map<string, NumericEntry[]>();
  for (const entry of bp) {
    const key = entry.line === 'bp' ? 'blood-pressure' : entry.view.concept.key;
    const list = byConcept.get(key);
    if (list) list.push(entry);
    else byConcept.set(key, [entry]);
  }
  const series: Series[] = [];
  for (const [conceptKey, list] of byConcept) {
    for (const family of unitFamilies(list, converter)) series.push(toSeries(conceptKey, family));
  }
  return series;
}

/** Ascending, undated first (callers swap the arguments for newest first, undated last). */
function compareTime(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a - b;
}

function pairBloodPressure(entries: readonly NumericEntry[]): NumericEntry[] {
  const diastolicByTime = new Map<number, NumericEntry[]>();
  for (const e of entries) {
    const t = e.view.effective.sortTime;
    if (e.line !== 'diastolic' || t === undefined) continue;
    const list = diastolicByTime.get(t);
    if (list) list.push(e);
    else diastolicByTime.set(t, [e]);
  }
  if (diastolicByTime.size === 0) return [...entries];
  const paired = new Set<NumericEntry>();
  const result: NumericEntry[] = [];
  for (const e of entries) {
    const t = e.view.effective.sortTime;
    if (e.line === 'systolic' && t !== undefined) {
      const partner = diastolicByTime.get(t)?.find((d) => !paired.has(d));
      const [systolic] = e.quantities;
      const [diastolic] = partner?.quantities ?? [];
      if (partner && systolic && diastolic) {
        paired.add(partner);
        result.push({ view: e.view, quantities: [systolic, diastolic], line: 'bp' });
        continue;
      }
    }
    result.push(e);
  }
  return result.filter((e) => !paired.has(e));
}

function unitFamilies(entries: readonly NumericEntry[], converter: UnitConverter): Family[] {
  const families: Family[] = [];
  const familyOfUnit = new Map<string, { family: Family; factor: ((v: number) => number) | undefined }>();
  for (const entry of entries) {
    const first = entry.quantities[0];
    if (!first) continue;
    const identity = unitIdentity(first);
    let placement = familyOfUnit.get(identity.key);
    if (placement === undefined) {
      placement = findFamily(families, first, entry, converter);
      if (!placement) {
        const family: Family = { target: first, targetKey: identity.key, entries: [], converted: new Map() };
        families.push(family);
        placement = { family, factor: undefined };
      }
      familyOfUnit.set(identity.key, placement);
    }
    placement.family.entries.push({ entry, factor: placement.factor });
    if (placement.factor) {
      const unit = first.unit ?? first.ucum ?? '';
      placement.family.converted.set(unit, (placement.family.converted.get(unit) ?? 0) + 1);
    }
  }
  return families;
}

function findFamily(
  families: readonly Family[],
  quantity: NumericQuantity,
  entry: NumericEntry,
  converter: UnitConverter,
): { family: Family; factor: ((v: number) => number) | undefined } | undefined {
  const from = quantity.ucum;
  const molarMass = entry.view.concept.known?.molarMass;
  for (const family of families) {
    if (family.entries[0]?.entry.line === 'bp' ? entry.line !== 'bp' : entry.line === 'bp') continue;
    const to = family.target.ucum;
    if (from === undefined || to === undefined) continue;
    if (converter.convert(1, from, to, molarMass) === undefined) continue;
    return { family, factor: (v: number) => converter.convert(v, from, to, molarMass) ?? Number.NaN };
  }
  return undefined;
}

function toSeries(conceptKey: string, family: Family): Series {
  const { target } = family;
  const isBp = family.entries[0]?.entry.line === 'bp';
  const first = family.entries[0]?.entry.view;
  const label = isBp ? conceptById('blood-pressure').label : (first?.concept.label ?? conceptKey);
  const unit = target.unit ?? (target.ucum === undefined ? undefined : displayUnit(target.ucum));
  const points: SeriesPoint[] = [];
  let range: SeriesRange | undefined;
  for (const { entry, factor } of family.entries) {
    const convert = factor ?? ((v: number) => v);
    const values = entry.quantities.map((q) => convert(q.value));
    if (values.some((v) => !Number.isFinite(v))) continue;
    const inUnit = (q: NumericQuantity, v: number): NumericQuantity => ({
      ...q,
      value: v,
      unit,
      ucum: target.ucum,
    });
    const format = factor ? formatComputedNumber : undefined;
    const [a, b] = entry.quantities;
    const [va, vb] = values;
    let text: string;
    if (isBp && a && b && va !== undefined && vb !== undefined) {
      text = factor
        ? formatBloodPressure(
            inUnit(a, Number(formatComputedNumber(va))),
            inUnit(b, Number(formatComputedNumber(vb))),
          )
        : formatBloodPressure(a, b);
    } else {
      text = a && va !== undefined ? formatQuantity(inUnit(a, va), format) : entry.view.value.text;
    }
    const view = entry.view;
    points.push({
      id: view.id,
      time: view.effective.sortTime,
      timeLabel: view.effective.label,
      values,
      text,
      originalText: factor ? view.value.text : undefined,
      flag: view.flag,
      flagSource: view.flagSource,
      status: view.status,
      statusMark: view.statusMark,
      referenceRangeText: view.referenceRange?.text,
    });
    if (!range && !isBp && view.referenceRange && (view.referenceRange.low || view.referenceRange.high)) {
      range = convertRange(view.referenceRange.low, view.referenceRange.high, entry, factor);
    }
  }
  points.reverse(); // oldest first
  const undated = points.filter((p) => p.time === undefined);
  const dated = points.filter((p) => p.time !== undefined);
  return {
    key: `${isBp ? 'blood-pressure' : conceptKey}|${family.targetKey}`,
    conceptKey,
    label,
    unit,
    lines: isBp
      ? [
          { key: 'systolic', label: 'Systolic' },
          { key: 'diastolic', label: 'Diastolic' },
        ]
      : [{ key: 'value', label }],
    points: [...dated, ...undated],
    referenceRange: range,
    converted: [...family.converted].map(([u, count]) => ({ unit: u, count })),
  };
}

/** A bound is usable when it is in the value's own unit (then converted like the value). */
function convertRange(
  low: NumericQuantity | undefined,
  high: NumericQuantity | undefined,
  entry: NumericEntry,
  factor: ((v: number) => number) | undefined,
): SeriesRange | undefined {
  const own = entry.quantities[0];
  if (!own) return undefined;
  const sameAsValue = (q: NumericQuantity | undefined) =>
    q !== undefined && unitIdentity(q).key === unitIdentity(own).key;
  const map = (q: NumericQuantity | undefined) => {
    if (!q || !sameAsValue(q)) return undefined;
    const v = factor ? factor(q.value) : q.value;
    return Number.isFinite(v) ? v : undefined;
  };
  const result = { low: map(low), high: map(high) };
  return result.low === undefined && result.high === undefined ? undefined : result;
}
