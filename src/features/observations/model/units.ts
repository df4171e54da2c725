/**
 * Unit conversion as an injected capability: series building asks a UnitConverter, which is either the exact-unit
 * fallback (available at once) or the UCUM converter (loaded lazily: @lhncbc/ucum-lhc is ~59 KB gzip and must not
 * delay the first clinical value).
 */

export interface UnitConverter {
  /**
   * `value` in UCUM unit `from`, expressed in UCUM unit `to`; undefined when the units are not commensurable, not
   * valid UCUM, or need a molar mass that was not given (mass ↔ substance concentration).
   */
  convert(value: number, from: string, to: string, molarMass?: number): number | undefined;
  /** True when this converter knows UCUM (false for the exact-unit fallback). */
  readonly ucum: boolean;
}

/**
 * Annotations that only name what is counted ("{beats}/min" is "/min"): ignored when comparing units. Any other
 * annotation is meaningful to a clinician even though UCUM ignores it ("mL/min/{1.73_m2}" is normalised to body
 * surface, "mL/min" is not), so units whose other annotations differ are never converted into each other.
 */
const COUNTING_ANNOTATIONS = new Set([
  '{beats}',
  '{breaths}',
  '{beat}',
  '{breath}',
  '{count}',
  '{HemoglobinSaturation}',
]);

export function normalizeUcum(code: string): string {
  return (
    code.replace(/\{[^}]*\}/g, (annotation) => (COUNTING_ANNOTATIONS.has(annotation) ? '' : annotation)) ||
    '1'
  );
}

export function meaningfulAnnotations(code: string): string {
  return (normalizeUcum(code).match(/\{[^}]*\}/g) ?? []).sort().join('');
}

/** Until UCUM is loaded: only identical units (after dropping counting annotations) share a series. */
export const exactUnitConverter: UnitConverter = {
  ucum: false,
  convert: (value, from, to) => (normalizeUcum(from) === normalizeUcum(to) ? value : undefined),
};
