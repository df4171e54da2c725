/**
 * Total readers for untrusted JSON: every function accepts `unknown` and answers `undefined` instead of throwing.
 * The mapper reads FHIR through these only, so a wrong type anywhere degrades one field, never the page.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readRecord(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

export function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A finite JSON number (FHIR decimal/integer); numeric strings are a type error, not a value. */
export function readNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function readBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** An array field; a single object where an array belongs (a common export bug) is read as a one-item array. */
export function readArray(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return isRecord(value) ? [value] : [];
}

export function readRecords(value: unknown): readonly JsonRecord[] {
  return readArray(value).filter(isRecord);
}
