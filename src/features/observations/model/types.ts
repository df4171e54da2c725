/**
 * The view models of the observations feature: what components see instead of FHIR JSON.
 */
import type { CategoryRef, ConceptRef } from './codeSets.ts';
import type { Flag, FlagSource } from './interpretation.ts';
import type { NumericQuantity } from './quantity.ts';
import type { EffectiveTime } from './time.ts';

export const VALUE_NOT_READABLE = 'value not readable';

/** Every shape carries `text`: the value as a clinician reads it. */
export type ObservationValue =
  | { readonly kind: 'quantity'; readonly quantity: NumericQuantity; readonly text: string }
  | { readonly kind: 'integer'; readonly quantity: NumericQuantity; readonly text: string }
  | {
      readonly kind: 'blood-pressure';
      readonly systolic: NumericQuantity;
      readonly diastolic: NumericQuantity;
      readonly text: string;
    }
  | { readonly kind: 'components'; readonly components: readonly ComponentView[]; readonly text: string }
  | { readonly kind: 'coded'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly text: 'Yes' | 'No' }
  | { readonly kind: 'range'; readonly text: string }
  | { readonly kind: 'ratio'; readonly text: string }
  | { readonly kind: 'sampled-data'; readonly text: string }
  | { readonly kind: 'period'; readonly text: string }
  | { readonly kind: 'time'; readonly text: string }
  | { readonly kind: 'date-time'; readonly text: string }
  /** dataAbsentReason: "Not recorded: Asked but declined". */
  | { readonly kind: 'absent'; readonly reason: string; readonly text: string }
  /** No value and no reason (a grouping panel with `hasMember`, or an empty result). */
  | { readonly kind: 'none'; readonly text: string }
  /** Present but malformed: shown as "value not readable" with its code, never dropped. */
  | {
      readonly kind: 'unreadable';
      readonly problems: readonly string[];
      readonly text: typeof VALUE_NOT_READABLE;
    };

export type ValueKind = ObservationValue['kind'];

export interface ReferenceRangeView {
  readonly low: NumericQuantity | undefined;
  readonly high: NumericQuantity | undefined;
  /** "70–99 mg/dL", or the range's own text when it has no bounds. */
  readonly text: string;
}

export interface ComponentView {
  readonly concept: ConceptRef;
  readonly value: ObservationValue;
  readonly flag: Flag | undefined;
  readonly flagSource: FlagSource | undefined;
  readonly referenceRange: ReferenceRangeView | undefined;
}

/** Status shown beside a value. `final` has none (http://hl7.org/fhir/R4/valueset-observation-status.html). */
export type StatusMark =
  | 'Preliminary'
  | 'Amended'
  | 'Corrected'
  | 'Registered'
  | 'Cancelled'
  | 'Status unknown'
  | 'No status'
  | `Status: ${string}`;

export interface ObservationView {
  /** Observation.id; for resources without one, a key derived from the page and position. */
  readonly id: string;
  readonly concept: ConceptRef;
  readonly category: CategoryRef;
  /** Observation.status as sent (never `entered-in-error`: those are excluded by the mapper). */
  readonly status: string | undefined;
  readonly statusMark: StatusMark | undefined;
  readonly effective: EffectiveTime;
  readonly value: ObservationValue;
  readonly flag: Flag | undefined;
  readonly flagSource: FlagSource | undefined;
  /** The EHR's interpretation when it maps to no flag ("Positive", "Susceptible"). */
  readonly interpretationText: string | undefined;
  readonly referenceRange: ReferenceRangeView | undefined;
  /**
   * Observation.text.div as sent, only when the narrative adds to the data (status `additional` or `extensions`):
   * untrusted XHTML, to be rendered through DOMPurify or not at all.
   */
  readonly narrativeHtml: string | undefined;
  /** A grouping observation (`hasMember`, no value of its own): its members are shown instead. */
  readonly isPanel: boolean;
}
