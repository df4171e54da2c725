/**
 * FHIR Quantity reading and display (http://hl7.org/fhir/R4/datatypes.html#Quantity), in the manner of medplum's
 * format.ts: small total functions, one per shape.
 */
import { readNumber, readRecord, readString } from './read.ts';

export const UCUM = 'http://unitsofmeasure.org';

export type Comparator = '<' | '<=' | '>=' | '>';

export interface NumericQuantity {
  readonly value: number;
  /** Kept and shown: "<5 mg/dL" is not 5 mg/dL. */
  readonly comparator: Comparator | undefined;
  /** Human unit (Quantity.unit, else the code), for display. */
  readonly unit: string | undefined;
  /** The UCUM code, when Quantity.system is UCUM: the only unit MOVO-X converts. */
  readonly ucum: string | undefined;
}

export type QuantityRead =
  | { readonly ok: true; readonly quantity: NumericQuantity }
  | { readonly ok: false; readonly problem: string };

const COMPARATORS = new Set<string>(['<', '<=', '>=', '>']);

/** Reads a Quantity that must carry a number. `undefined` when the field is absent. */
export function readQuantity(value: unknown): QuantityRead | undefined {
  if (value === undefined) return undefined;
  const quantity = readRecord(value);
  if (!quantity) return { ok: false, problem: 'Quantity is not an object' };
  const number = readNumber(quantity.value);
  if (number === undefined) {
    return {
      ok: false,
      problem: 'value' in quantity ? 'Quantity.value is not a number' : 'Quantity has no value',
    };
  }
  const rawComparator = readString(quantity.comparator);
  if (rawComparator !== undefined && !COMPARATORS.has(rawComparator)) {
    return { ok: false, problem: `unknown comparator "${rawComparator}"` };
  }
  const code = readString(quantity.code)?.trim();
  const system = readString(quantity.system);
  return {
    ok: true,
    quantity: {
      value: number,
      comparator: rawComparator as Comparator | undefined,
      // Synthea and others put the UCUM code in `unit` as well ("mm[Hg]"): both are shown in the readable form.
      unit: displayUnitOrUndefined(readString(quantity.unit)?.trim() ?? code),
      ucum: system === UCUM ? code : undefined,
    },
  };
}

/** Reads an optional Quantity: a malformed one counts as absent (reference-range bounds, Range ends). */
export function readOptionalQuantity(value: unknown): NumericQuantity | undefined {
  const read = readQuantity(value);
  return read?.ok ? read.quantity : undefined;
}

/** Friendlier spellings of common UCUM codes, for units that arrive as a code only or after conversion. */
const UCUM_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '[lb_av]': 'lb',
  '[in_i]': 'in',
  '{beats}/min': '/min',
  '{breaths}/min': '/min',
  'kg/m2': 'kg/m²',
  '%{HemoglobinSaturation}': '%',
  // Cell counts and micro-units as laboratory reports print them.
  '10*3/uL': '×10³/µL',
  '10*6/uL': '×10⁶/µL',
  '10*9/L': '×10⁹/L',
  '10*12/L': '×10¹²/L',
  'ug/dL': 'µg/dL',
  'ug/L': 'µg/L',
  'umol/L': 'µmol/L',
  uL: 'µL',
  '[iU]/L': 'IU/L',
  'm[iU]/L': 'mIU/L',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  '/[HPF]': '/HPF',
};

export function displayUnit(code: string): string {
  return UCUM_DISPLAY[code] ?? code;
}

function displayUnitOrUndefined(code: string | undefined): string | undefined {
  return code === undefined ? undefined : displayUnit(code);
}

/**
 * A number as sent, up to three decimals ("5.55", "0.125"). Values with more decimals than any clinical assay
 * reports (Synthea's "180.545131228" mmHg) are rounded to four significant digits ("180.5").
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  const decimals = text.includes('e') ? Infinity : (text.split('.')[1]?.length ?? 0);
  return decimals <= 3 ? text : formatComputedNumber(value);
}

/** For values MOVO-X computed (unit conversion): four significant digits, no trailing zeros. */
export function formatComputedNumber(value: number): string {
  if (value === 0) return '0';
  return String(Number(value.toPrecision(4)));
}

function unitSuffix(unit: string | undefined): string {
  if (unit === undefined || unit === '' || unit === '1') return '';
  // "98%", but "128 mmHg", "72 /min".
  return unit === '%' ? '%' : ` ${unit}`;
}

export function formatQuantity(
  quantity: NumericQuantity,
  format: (n: number) => string = formatNumber,
): string {
  return `${quantity.comparator ?? ''}${format(quantity.value)}${unitSuffix(quantity.unit)}`;
}

/** "70–99 mg/dL", "≥ 70 mg/dL", "≤ 99 mg/dL". */
export function formatBounds(
  low: NumericQuantity | undefined,
  high: NumericQuantity | undefined,
): string | undefined {
  if (low && high) {
    if ((low.unit ?? '') === (high.unit ?? '')) {
      return `${formatNumber(low.value)}–${formatNumber(high.value)}${unitSuffix(high.unit)}`;
    }
    return `${formatQuantity(low)} – ${formatQuantity(high)}`;
  }
  if (low) return `≥ ${formatQuantity(low)}`;
  if (high) return `≤ ${formatQuantity(high)}`;
  return undefined;
}

/** Ratio: "1:128" for unitless titres, else "5 mg / 1 mL". */
export function formatRatio(numerator: NumericQuantity, denominator: NumericQuantity): string {
  if (unitSuffix(numerator.unit) === '' && unitSuffix(denominator.unit) === '') {
    return `${formatQuantity(numerator)}:${formatQuantity(denominator)}`;
  }
  return `${formatQuantity(numerator)} / ${formatQuantity(denominator)}`;
}

/** The key that decides whether two quantities are in the same unit (no conversion): UCUM code, else unit text. */
export function unitKey(quantity: Pick<NumericQuantity, 'unit' | 'ucum'>): string {
  return quantity.ucum ?? quantity.unit ?? '';
}
