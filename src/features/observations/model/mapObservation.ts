/**
 * FHIR Observation → ObservationView: the one mapping boundary of the feature. Total: any input (malformed JSON,
 * wrong types, STU3 shapes) yields a view or `undefined`, never an exception.
 *
 * Returns `undefined` for:
 * - anything that is not an Observation (no resourceType "Observation");
 * - `status: entered-in-error`: the EHR says the value must not be used (http://hl7.org/fhir/R4/valueset-observation-status.html).
 *   It is excluded here, at the boundary, so no component can show it by mistake.
 * Everything else is shown: a malformed observation becomes a view whose value is "value not readable".
 */
import {
  conceptById,
  readCategory,
  readConcept,
  UNCATEGORIZED,
  UNNAMED_OBSERVATION,
  type ConceptRef,
} from './codeSets.ts';
import { mostSevere, readInterpretation, type Flag, type FlagSource } from './interpretation.ts';
import {
  formatBounds,
  formatQuantity,
  formatRatio,
  readOptionalQuantity,
  readQuantity,
  type NumericQuantity,
} from './quantity.ts';
import {
  readArray,
  readBoolean,
  readNumber,
  readRecord,
  readRecords,
  readString,
  type JsonRecord,
} from './read.ts';
import { deriveFlag, readReferenceRange, sameUnit } from './referenceRange.ts';
import { MISSING_EFFECTIVE, parseFhirDateTime, readEffective, readPeriod } from './time.ts';
import {
  VALUE_NOT_READABLE,
  type ComponentView,
  type ObservationValue,
  type ObservationView,
  type ReferenceRangeView,
  type StatusMark,
} from './types.ts';

const STATUS_MARKS: Readonly<Record<string, StatusMark | undefined>> = {
  final: undefined,
  preliminary: 'Preliminary',
  amended: 'Amended',
  corrected: 'Corrected',
  registered: 'Registered',
  cancelled: 'Cancelled',
  unknown: 'Status unknown',
};

export function statusMark(status: string | undefined): StatusMark | undefined {
  if (status === undefined) return 'No status';
  return status in STATUS_MARKS ? STATUS_MARKS[status] : `Status: ${status}`;
}

/** Display of http://terminology.hl7.org/CodeSystem/data-absent-reason codes, for codings without a display. */
const ABSENT_REASONS: Readonly<Record<string, string>> = {
  unknown: 'Unknown',
  'asked-unknown': 'Asked but unknown',
  'temp-unknown': 'Temporarily unknown',
  'not-asked': 'Not asked',
  'asked-declined': 'Asked but declined',
  masked: 'Masked',
  'not-applicable': 'Not applicable',
  unsupported: 'Unsupported',
  'as-text': 'As text',
  error: 'Error',
  'not-a-number': 'Not a number',
  'negative-infinity': 'Negative infinity',
  'positive-infinity': 'Positive infinity',
  'not-performed': 'Not performed',
  'not-permitted': 'Not permitted',
};

/** The value[x] choices of R4 Observation (and of Observation.component, which has the same list). */
const VALUE_KEYS = [
  'valueQuantity',
  'valueCodeableConcept',
  'valueString',
  'valueBoolean',
  'valueInteger',
  'valueRange',
  'valueRatio',
  'valueSampledData',
  'valueTime',
  'valueDateTime',
  'valuePeriod',
] as const;

const unreadable = (...problems: string[]): ObservationValue => ({
  kind: 'unreadable',
  problems,
  text: VALUE_NOT_READABLE,
});

export function mapObservation(resource: unknown, fallbackId?: string): ObservationView | undefined {
  const r = readRecord(resource);
  if (!r || r.resourceType !== 'Observation') return undefined;
  const status = readString(r.status)?.trim();
  if (status === 'entered-in-error') return undefined;
  const id = readString(r.id) ?? fallbackId ?? 'observation-without-id';
  try {
    return mapValidObservation(r, id, status);
  } catch {
    // The readers do not throw; this guards the promise "never throws" against a future bug.
    return {
      id,
      concept: {
        key: 'unreadable',
        known: undefined,
        label: UNNAMED_OBSERVATION,
        codeLabel: UNNAMED_OBSERVATION,
      },
      category: UNCATEGORIZED,
      status,
      statusMark: statusMark(status),
      effective: MISSING_EFFECTIVE,
      value: unreadable('mapping failed'),
      flag: undefined,
      flagSource: undefined,
      interpretationText: undefined,
      referenceRange: undefined,
      narrativeHtml: undefined,
      isPanel: false,
    };
  }
}

function mapValidObservation(r: JsonRecord, id: string, status: string | undefined): ObservationView {
  let concept = readConcept(r.code);
  const components = readRecords(r.component).map(mapComponent);
  const ownRange = readReferenceRange(r.referenceRange);

  let value: ObservationValue;
  if (!concept) {
    // A value without a code cannot be told apart from any other number: show that it exists, not the number.
    value = unreadable('code missing');
  } else {
    value = readValue(r, components);
  }

  // Blood pressure is recognised by its components too (an EHR may code the panel locally).
  if (value.kind === 'blood-pressure' && concept && !concept.known) {
    const bp = conceptById('blood-pressure');
    concept = { key: bp.id, known: bp, label: bp.label, codeLabel: concept.codeLabel };
  }

  const interpretation = readInterpretation(r.interpretation);
  let flag: Flag | undefined = interpretation.flag;
  let flagSource: FlagSource | undefined = flag === undefined ? undefined : 'interpretation';
  if (value.kind === 'blood-pressure') {
    const componentFlag = components.reduce<Flag | undefined>(
      (worst, c) => mostSevere(worst, c.flag),
      undefined,
    );
    const componentSource = components.find((c) => c.flag === componentFlag)?.flagSource;
    if (componentFlag !== undefined && mostSevere(flag, componentFlag) !== flag) {
      flag = componentFlag;
      flagSource = componentSource;
    }
  } else if (flag === undefined && (value.kind === 'quantity' || value.kind === 'integer')) {
    flag = deriveFlag(value.quantity, ownRange);
    if (flag !== undefined) flagSource = 'reference-range';
  }

  const hasMembers = readArray(r.hasMember).length > 0;
  return {
    id,
    concept: concept ?? {
      key: 'unnamed',
      known: undefined,
      label: UNNAMED_OBSERVATION,
      codeLabel: UNNAMED_OBSERVATION,
    },
    category: readCategory(r.category),
    status,
    statusMark: statusMark(status),
    effective: readEffective(r),
    value,
    flag,
    flagSource,
    interpretationText: interpretation.text,
    referenceRange: ownRange ?? bloodPressureRange(value, components),
    narrativeHtml: readNarrative(r.text),
    isPanel: hasMembers && value.kind === 'none',
  };
}

function readValue(r: JsonRecord, components: readonly ComponentView[]): ObservationValue {
  const direct = readValueChoice(r);
  if (direct) return direct;
  const absent = readAbsent(r.dataAbsentReason);
  if (absent) return absent;
  if (components.length > 0) return componentsValue(components);
  return {
    kind: 'none',
    text: readArray(r.hasMember).length > 0 ? 'Panel (see its results)' : 'No value recorded',
  };
}

/** value[x]; undefined when the element has none. */
function readValueChoice(r: JsonRecord): ObservationValue | undefined {
  const present = VALUE_KEYS.filter((key) => key in r && r[key] !== undefined && r[key] !== null);
  const unsupported = Object.keys(r).filter(
    (key) => key.startsWith('value') && !(VALUE_KEYS as readonly string[]).includes(key),
  );
  if (present.length > 1) return unreadable(`several values: ${present.join(', ')}`);
  const key = present[0];
  if (key === undefined) {
    // valueAttachment (STU3) or a misspelt value[x].
    return unsupported.length > 0 ? unreadable(`unsupported ${unsupported.join(', ')}`) : undefined;
  }
  const raw = r[key];
  switch (key) {
    case 'valueQuantity': {
      const read = readQuantity(raw);
      if (!read?.ok) return unreadable(read?.problem ?? 'Quantity missing');
      return { kind: 'quantity', quantity: read.quantity, text: formatQuantity(read.quantity) };
    }
    case 'valueInteger': {
      const n = readNumber(raw);
      if (n === undefined || !Number.isInteger(n)) return unreadable('valueInteger is not an integer');
      // An integer has no unit of its own; a unitless reference range still lets it be flagged.
      const quantity: NumericQuantity = { value: n, comparator: undefined, unit: undefined, ucum: undefined };
      return { kind: 'integer', quantity, text: String(n) };
    }
    case 'valueCodeableConcept': {
      const concept = readRecord(raw);
      const text = concept ? codeableText(concept) : undefined;
      return text === undefined
        ? unreadable('valueCodeableConcept has no text or coding')
        : { kind: 'coded', text };
    }
    case 'valueString': {
      const text = readString(raw);
      return text === undefined ? unreadable('valueString is not a string') : { kind: 'string', text };
    }
    case 'valueBoolean': {
      const b = readBoolean(raw);
      return b === undefined
        ? unreadable('valueBoolean is not a boolean')
        : { kind: 'boolean', value: b, text: b ? 'Yes' : 'No' };
    }
    case 'valueRange': {
      const rangeValue = readRecord(raw);
      const text = rangeValue
        ? formatBounds(readOptionalQuantity(rangeValue.low), readOptionalQuantity(rangeValue.high))
        : undefined;
      return text === undefined ? unreadable('valueRange has no low or high') : { kind: 'range', text };
    }
    case 'valueRatio': {
      const ratio = readRecord(raw);
      const numerator = readOptionalQuantity(ratio?.numerator);
      const denominator = readOptionalQuantity(ratio?.denominator);
      return numerator && denominator
        ? { kind: 'ratio', text: formatRatio(numerator, denominator) }
        : unreadable('valueRatio needs a numerator and a denominator');
    }
    case 'valueSampledData':
      // Waveforms (ECG, EEG) need a viewer of their own.
      return { kind: 'sampled-data', text: 'Sampled data (not shown)' };
    case 'valueTime': {
      const text = readString(raw);
      const match =
        text === undefined ? null : /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d|60)(\.\d+)?)?$/.exec(text.trim());
      return match
        ? { kind: 'time', text: `${match[1] ?? ''}:${match[2] ?? ''}` }
        : unreadable('valueTime is not a time');
    }
    case 'valueDateTime': {
      const parsed = parseFhirDateTime(raw);
      return parsed ? { kind: 'date-time', text: parsed.label } : unreadable('valueDateTime is not a date');
    }
    case 'valuePeriod': {
      const period = readRecord(raw);
      const parsed = period ? readPeriod(period) : undefined;
      return parsed ? { kind: 'period', text: parsed.label } : unreadable('valuePeriod has no start or end');
    }
  }
}

function codeableText(concept: JsonRecord): string | undefined {
  const text = readString(concept.text);
  if (text !== undefined) return text;
  const codings = readRecords(concept.coding);
  return (
    codings.map((c) => readString(c.display)).find((d) => d !== undefined) ??
    codings.map((c) => readString(c.code)).find((c) => c !== undefined)
  );
}

function readAbsent(value: unknown): ObservationValue | undefined {
  const concept = readRecord(value);
  if (!concept) return undefined;
  const text = readString(concept.text);
  const codings = readRecords(concept.coding);
  const display = codings.map((c) => readString(c.display)).find((d) => d !== undefined);
  const code = codings.map((c) => readString(c.code)).find((c) => c !== undefined);
  const reason =
    text ?? display ?? (code === undefined ? undefined : (ABSENT_REASONS[code] ?? code)) ?? 'no reason given';
  return { kind: 'absent', reason, text: `Not recorded: ${reason}` };
}

function mapComponent(component: JsonRecord): ComponentView {
  const concept: ConceptRef = readConcept(component.code) ?? {
    key: 'unnamed',
    known: undefined,
    label: 'Unnamed component',
    codeLabel: 'Unnamed component',
  };
  const range = readReferenceRange(component.referenceRange);
  const value = readValueChoice(component) ??
    readAbsent(component.dataAbsentReason) ?? {
      kind: 'none',
      text: 'No value recorded',
    };
  const interpretation = readInterpretation(component.interpretation);
  let flag = interpretation.flag;
  let flagSource: FlagSource | undefined = flag === undefined ? undefined : 'interpretation';
  if (flag === undefined && (value.kind === 'quantity' || value.kind === 'integer')) {
    flag = deriveFlag(value.quantity, range);
    if (flag !== undefined) flagSource = 'reference-range';
  }
  return { concept, value, flag, flagSource, referenceRange: range };
}

function componentsValue(components: readonly ComponentView[]): ObservationValue {
  const systolic = components.find((c) => c.concept.known?.id === 'systolic')?.value;
  const diastolic = components.find((c) => c.concept.known?.id === 'diastolic')?.value;
  if (systolic?.kind === 'quantity' && diastolic?.kind === 'quantity') {
    return {
      kind: 'blood-pressure',
      systolic: systolic.quantity,
      diastolic: diastolic.quantity,
      text: formatBloodPressure(systolic.quantity, diastolic.quantity),
    };
  }
  return {
    kind: 'components',
    components,
    text: components.map((c) => `${c.concept.label}: ${c.value.text}`).join('; '),
  };
}

/** "128/82 mmHg" (units shown once when both parts share them). */
export function formatBloodPressure(systolic: NumericQuantity, diastolic: NumericQuantity): string {
  if (sameUnit(systolic, diastolic)) {
    const unit = systolic.unit ?? diastolic.unit;
    const bare = (q: NumericQuantity) => formatQuantity({ ...q, unit: undefined });
    return `${bare(systolic)}/${bare(diastolic)}${unit === undefined ? '' : ` ${unit}`}`;
  }
  return `${formatQuantity(systolic)}/${formatQuantity(diastolic)}`;
}

/** A BP panel's range lives on its components: "systolic < 120, diastolic < 80" style text. */
function bloodPressureRange(
  value: ObservationValue,
  components: readonly ComponentView[],
): ReferenceRangeView | undefined {
  if (value.kind !== 'blood-pressure') return undefined;
  const parts = components
    .filter(
      (c) => c.referenceRange && (c.concept.known?.id === 'systolic' || c.concept.known?.id === 'diastolic'),
    )
    .map((c) => `${c.concept.known?.short ?? c.concept.label} ${c.referenceRange?.text ?? ''}`);
  return parts.length === 0 ? undefined : { low: undefined, high: undefined, text: parts.join(', ') };
}

/**
 * Narrative worth showing: `additional` (says more than the data) or `extensions`. `generated` narrative only
 * restates the structured data MOVO-X already shows (http://hl7.org/fhir/R4/narrative.html#Narrative).
 */
function readNarrative(value: unknown): string | undefined {
  const narrative = readRecord(value);
  if (!narrative) return undefined;
  const status = readString(narrative.status);
  if (status !== 'additional' && status !== 'extensions') return undefined;
  return readString(narrative.div);
}
