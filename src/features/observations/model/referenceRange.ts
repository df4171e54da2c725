/**
 * Reference ranges (http://hl7.org/fhir/R4/observation-definitions.html#Observation.referenceRange) and the flag
 * MOVO-X derives from one when the EHR sent no interpretation.
 */
import type { Flag } from './interpretation.ts';
import { formatBounds, readOptionalQuantity, type NumericQuantity } from './quantity.ts';
import { readArray, readRecord, readString, type JsonRecord } from './read.ts';
import type { ReferenceRangeView } from './types.ts';

const MEANING_SYSTEM = 'http://terminology.hl7.org/CodeSystem/referencerange-meaning';

/** The range a flag is judged against: `normal` (or untyped, which the spec reads as normal). */
function isNormalRange(range: JsonRecord): boolean {
  const type = readRecord(range.type);
  if (!type) return true;
  const codings = readArray(type.coding).map(readRecord);
  if (codings.length === 0) return true;
  return codings.some((c) => {
    const system = readString(c?.system);
    return readString(c?.code) === 'normal' && (system === undefined || system === MEANING_SYSTEM);
  });
}

/**
 * Reads Observation.referenceRange (0..*): the first normal (or untyped) range, else the first range.
 * Age- and population-specific ranges (appliesTo, age) are not chosen between: the EHR usually sends only the one
 * that applies to this patient.
 */
export function readReferenceRange(value: unknown): ReferenceRangeView | undefined {
  const ranges = readArray(value)
    .map(readRecord)
    .filter((r): r is JsonRecord => r !== undefined);
  const range = ranges.find(isNormalRange) ?? ranges[0];
  if (!range) return undefined;
  const low = readOptionalQuantity(range.low);
  const high = readOptionalQuantity(range.high);
  const text = formatBounds(low, high) ?? readString(range.text);
  if (text === undefined) return undefined;
  return { low, high, text };
}

/** Same unit without conversion: UCUM codes when both have one, else the unit texts (or a code matching a text). */
export function sameUnit(
  a: Pick<NumericQuantity, 'unit' | 'ucum'>,
  b: Pick<NumericQuantity, 'unit' | 'ucum'>,
): boolean {
  if (a.ucum !== undefined && b.ucum !== undefined) return a.ucum === b.ucum;
  const left = [a.ucum, a.unit].filter((u) => u !== undefined);
  const right = [b.ucum, b.unit].filter((u) => u !== undefined);
  if (left.length === 0 && right.length === 0) return true; // both unitless (scores, counts)
  return left.some((u) => right.includes(u));
}

/**
 * High/low from the reference range, for values the EHR did not interpret. Only when the bound is in the same unit
 * as the value. A value with a comparator is flagged only when the comparator leaves no doubt ("<2" against a low
 * bound of 3 is low; "<5" against 3–10 is undecidable).
 */
export function deriveFlag(
  quantity: NumericQuantity,
  range: ReferenceRangeView | undefined,
): Flag | undefined {
  if (!range) return undefined;
  const low = range.low && sameUnit(range.low, quantity) ? range.low.value : undefined;
  const high = range.high && sameUnit(range.high, quantity) ? range.high.value : undefined;
  if (low === undefined && high === undefined) return undefined;
  const v = quantity.value;
  switch (quantity.comparator) {
    case '<':
      return low !== undefined && v <= low ? 'low' : undefined;
    case '<=':
      return low !== undefined && v < low ? 'low' : undefined;
    case '>':
      return high !== undefined && v >= high ? 'high' : undefined;
    case '>=':
      return high !== undefined && v > high ? 'high' : undefined;
    case undefined:
      if (high !== undefined && v > high) return 'high';
      if (low !== undefined && v < low) return 'low';
      return 'normal';
  }
}
