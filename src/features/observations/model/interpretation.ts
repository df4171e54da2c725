/**
 * Abnormal flags. Codes from the HL7 v3 ObservationInterpretation code system
 * (http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation, also published as
 * http://hl7.org/fhir/v2/0078 in STU3 data), as bound to Observation.interpretation
 * (http://hl7.org/fhir/R4/valueset-observation-interpretation.html).
 */
import { readArray, readRecord, readString } from './read.ts';

export type Flag = 'normal' | 'high' | 'low' | 'critical-high' | 'critical-low' | 'abnormal' | 'critical';

/** Where a flag came from: the EHR's interpretation, or MOVO-X comparing the value with the reference range. */
export type FlagSource = 'interpretation' | 'reference-range';

const INTERPRETATION_SYSTEMS = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v2/0078',
  'http://hl7.org/fhir/ValueSet/observation-interpretation',
]);

/**
 * Code → flag. HH/LL/AA are the "critical" codes of the value set ("Critical high", "Critical low", "Critical
 * abnormal"); HU/LU ("significantly high/low") are beyond the normal range but below the critical level, so they
 * flag high/low; HX/LX are above/below a high/low threshold; `>`/`<` are off-scale.
 * Codes without a severity (POS, NEG, DET, R, S, W, B, U, D, …) flag nothing and are shown as their display text.
 */
const CODE_FLAGS: Readonly<Record<string, Flag>> = {
  N: 'normal',
  NEG: 'normal',
  ND: 'normal',
  NR: 'normal',
  H: 'high',
  HU: 'high',
  HX: 'high',
  '>': 'high',
  'H>': 'high',
  L: 'low',
  LU: 'low',
  LX: 'low',
  '<': 'low',
  'L<': 'low',
  HH: 'critical-high',
  LL: 'critical-low',
  A: 'abnormal',
  AA: 'critical',
};

/** Texts some EHRs send without a coding (case-insensitive). */
const TEXT_FLAGS: Readonly<Record<string, Flag>> = {
  normal: 'normal',
  high: 'high',
  low: 'low',
  abnormal: 'abnormal',
  critical: 'critical',
  'critical high': 'critical-high',
  'critically high': 'critical-high',
  'critical low': 'critical-low',
  'critically low': 'critical-low',
  'critical abnormal': 'critical',
  'above high normal': 'high',
  'below low normal': 'low',
};

const CODE_DISPLAY: Readonly<Record<string, string>> = {
  POS: 'Positive',
  NEG: 'Negative',
  DET: 'Detected',
  ND: 'Not detected',
  IND: 'Indeterminate',
  R: 'Resistant',
  S: 'Susceptible',
  I: 'Intermediate',
  W: 'Worse',
  B: 'Better',
  U: 'Significant change up',
  D: 'Significant change down',
};

export interface Interpretation {
  readonly flag: Flag | undefined;
  /** What the EHR said, when it is not one of our flags (e.g. "Positive"); undefined when the flag says it all. */
  readonly text: string | undefined;
}

const NONE: Interpretation = { flag: undefined, text: undefined };

/** Reads `Observation.interpretation` (0..* CodeableConcept): the most severe flag wins. */
export function readInterpretation(value: unknown): Interpretation {
  let flag: Flag | undefined;
  let text: string | undefined;
  for (const item of readArray(value)) {
    const concept = readRecord(item);
    if (!concept) continue;
    let conceptFlag: Flag | undefined;
    let conceptText: string | undefined;
    for (const coding of readArray(concept.coding)) {
      const c = readRecord(coding);
      const code = readString(c?.code)?.trim();
      if (code === undefined) continue;
      const system = readString(c?.system);
      if (system === undefined || INTERPRETATION_SYSTEMS.has(system)) {
        const mapped = CODE_FLAGS[code.toUpperCase()];
        if (mapped) conceptFlag = mostSevere(conceptFlag, mapped);
        else conceptText ??= readString(c?.display) ?? CODE_DISPLAY[code.toUpperCase()] ?? code;
      } else {
        conceptText ??= readString(c?.display) ?? code;
      }
    }
    const ownText = readString(concept.text);
    if (conceptFlag === undefined && ownText !== undefined) {
      conceptFlag = TEXT_FLAGS[ownText.trim().toLowerCase()];
      if (conceptFlag === undefined) conceptText ??= ownText;
    }
    if (conceptFlag !== undefined) flag = mostSevere(flag, conceptFlag);
    else if (conceptText !== undefined) text ??= conceptText;
  }
  if (flag === undefined && text === undefined) return NONE;
  return { flag, text: flag === undefined ? text : undefined };
}

const SEVERITY: Readonly<Record<Flag, number>> = {
  normal: 0,
  abnormal: 1,
  high: 1,
  low: 1,
  'critical-high': 2,
  'critical-low': 2,
  critical: 2,
};

export function flagSeverity(flag: Flag | undefined): number {
  return flag === undefined ? -1 : SEVERITY[flag];
}

export function mostSevere(a: Flag | undefined, b: Flag | undefined): Flag | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Anything a clinician should look at (every flag but normal). */
export function isAbnormal(flag: Flag | undefined): boolean {
  return flag !== undefined && flag !== 'normal';
}

/** HH, LL, AA: the value set's critical codes (medplum's `isCritical` cites the same). */
export function isCritical(flag: Flag | undefined): boolean {
  return flag === 'critical-high' || flag === 'critical-low' || flag === 'critical';
}

/** Words, never colour alone (WCAG 1.4.1). */
export const FLAG_LABELS: Readonly<Record<Flag, string>> = {
  normal: 'Normal',
  high: 'High',
  low: 'Low',
  'critical-high': 'Critical high',
  'critical-low': 'Critical low',
  abnormal: 'Abnormal',
  critical: 'Critical',
};

export function flagLabel(flag: Flag, source: FlagSource | undefined): string {
  // A derived flag says so: the EHR did not interpret this value, MOVO-X compared it with the stated range.
  return source === 'reference-range' ? `${FLAG_LABELS[flag]} (by range)` : FLAG_LABELS[flag];
}
