/**
 * FHIR date/time parsing and display. FHIR `dateTime` allows reduced precision (year, year-month, date) and
 * requires a zone only when a time is given (http://hl7.org/fhir/R4/datatypes.html#dateTime); `instant` is always
 * full. Reduced-precision values are shown at their own precision ("2012-08", never "2012-08-01 00:00") and sorted
 * at the start of the period they name, in the browser's local time zone.
 */
import { readRecord, readString } from './read.ts';

export type TimePrecision = 'year' | 'month' | 'day' | 'minute' | 'second';

export interface FhirTime {
  /** Epoch milliseconds of the start of the named period. */
  readonly time: number;
  readonly precision: TimePrecision;
  /** As a clinician reads it: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DD HH:mm` (local time). */
  readonly label: string;
}

// Lenient on purpose: seconds and the zone are tolerated when missing (seen in real exports); a time without a
// zone is read as local time.
const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

export function parseFhirDateTime(value: unknown): FhirTime | undefined {
  const text = readString(value)?.trim();
  if (text === undefined) return undefined;
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (!inRange(month, 1, 12) || !inRange(day, 1, 31)) return undefined;
  // Reject impossible dates (2023-02-30) instead of letting Date roll them over.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;

  if (h === undefined || mi === undefined) {
    const time = new Date(year, month - 1, day).getTime();
    const precision: TimePrecision = d !== undefined ? 'day' : mo !== undefined ? 'month' : 'year';
    return {
      time,
      precision,
      label: text.slice(0, precision === 'day' ? 10 : precision === 'month' ? 7 : 4),
    };
  }
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  // FHIR allows a leap second (:60); Date folds it into the next minute.
  if (!inRange(hour, 0, 23) || !inRange(minute, 0, 59) || !inRange(second, 0, 60)) return undefined;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let time: number;
  if (zone === undefined) {
    time = new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  } else {
    const offsetMinutes =
      zone === 'Z'
        ? 0
        : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    time = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  }
  if (!Number.isFinite(time)) return undefined;
  return { time, precision: s === undefined ? 'minute' : 'second', label: formatLocalDateTime(time) };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:mm` in the browser's local time zone (the note editor and the tables use this form). */
export function formatLocalDateTime(time: number): string {
  const date = new Date(time);
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatLocalDate(time: number): string {
  const date = new Date(time);
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export type EffectiveKind = 'date-time' | 'period' | 'instant' | 'missing';

export interface EffectiveTime {
  readonly kind: EffectiveKind;
  /**
   * The time the observation is sorted and charted at: a Period sorts by its end (the most recent clinical time
   * it covers), or its start when open-ended. Undefined when the date is unknown: such values sort last.
   */
  readonly sortTime: number | undefined;
  readonly start: FhirTime | undefined;
  readonly end: FhirTime | undefined;
  readonly label: string;
}

export const DATE_UNKNOWN = 'date unknown';

export const MISSING_EFFECTIVE: EffectiveTime = {
  kind: 'missing',
  sortTime: undefined,
  start: undefined,
  end: undefined,
  label: DATE_UNKNOWN,
};

/** Reads `effective[x]` (R4: dateTime, Period, Timing, instant). Timing and unreadable values count as missing. */
export function readEffective(resource: Readonly<Record<string, unknown>>): EffectiveTime {
  if ('effectiveDateTime' in resource) {
    const parsed = parseFhirDateTime(resource.effectiveDateTime);
    return parsed ? pointInTime('date-time', parsed) : MISSING_EFFECTIVE;
  }
  if ('effectiveInstant' in resource) {
    const parsed = parseFhirDateTime(resource.effectiveInstant);
    return parsed ? pointInTime('instant', parsed) : MISSING_EFFECTIVE;
  }
  const period = readRecord(resource.effectivePeriod);
  if (period) return readPeriod(period) ?? MISSING_EFFECTIVE;
  return MISSING_EFFECTIVE;
}

function pointInTime(kind: 'date-time' | 'instant', time: FhirTime): EffectiveTime {
  return { kind, sortTime: time.time, start: time, end: undefined, label: time.label };
}

export function readPeriod(period: Readonly<Record<string, unknown>>): EffectiveTime | undefined {
  const start = parseFhirDateTime(period.start);
  const end = parseFhirDateTime(period.end);
  if (!start && !end) return undefined;
  return {
    kind: 'period',
    sortTime: end ? Math.max(end.time, start?.time ?? end.time) : start?.time,
    start,
    end,
    label: formatPeriodLabel(start, end),
  };
}

export function formatPeriodLabel(start: FhirTime | undefined, end: FhirTime | undefined): string {
  if (start && end) return start.label === end.label ? start.label : `${start.label} – ${end.label}`;
  if (start) return `from ${start.label}`;
  if (end) return `until ${end.label}`;
  return DATE_UNKNOWN;
}

/** Newest first; unknown dates last (stable for equal times). */
export function compareNewestFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return b - a;
}
