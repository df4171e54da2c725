/**
 * Builders for the sample resources: one place that knows the FHIR R4 shapes (vital signs profile, US Core lab
 * results, encounters, clinical notes), so the patient histories only say what happened and when.
 */
import type {
  CodeableConcept,
  DocumentReference,
  Encounter,
  Observation,
  ObservationReferenceRange,
  Quantity,
} from '@medplum/fhirtypes';
import type { InterpretationCode, ObservationCategory, QuantityDefinition } from './codes.ts';
import {
  ACT_CODE,
  BLOOD_PRESSURE_PANEL,
  BLOOD_PRESSURE_PANEL_OLD,
  CATEGORY_DISPLAY,
  DOCUMENT_ID_SYSTEM,
  ENCOUNTER_ID_SYSTEM,
  INTERPRETATION,
  INTERPRETATION_DISPLAY,
  LOINC,
  OBSERVATION_CATEGORY,
  OXYGEN_SATURATION_ARTERIAL,
  PARTICIPATION_TYPE,
  SMOKING_STATUS,
  SNOMED,
  UCUM,
  US_CORE_DOCUMENT_CATEGORY,
  VITALS,
  interpret,
} from './codes.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `2024-05-01T09:30:00Z`: second precision, UTC. */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** `2024-05-01` */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function loincConcept(code: string, display: string): CodeableConcept {
  return { coding: [{ system: LOINC, code, display }], text: display };
}

export function categoryConcepts(category: ObservationCategory | undefined): CodeableConcept[] | undefined {
  if (!category) return undefined;
  return [
    { coding: [{ system: OBSERVATION_CATEGORY, code: category, display: CATEGORY_DISPLAY[category] }] },
  ];
}

export function quantity(value: number, definition: QuantityDefinition): Quantity {
  return {
    value: roundTo(value, definition.decimals),
    unit: definition.unit,
    system: UCUM,
    code: definition.unit,
  };
}

function referenceRange(definition: QuantityDefinition): ObservationReferenceRange[] | undefined {
  if (definition.low === undefined && definition.high === undefined) return undefined;
  const range: ObservationReferenceRange = {};
  if (definition.low !== undefined) range.low = quantity(definition.low, definition);
  if (definition.high !== undefined) range.high = quantity(definition.high, definition);
  return [range];
}

function interpretationConcept(code: InterpretationCode): CodeableConcept[] {
  return [{ coding: [{ system: INTERPRETATION, code, display: INTERPRETATION_DISPLAY[code] }] }];
}

export interface ObservationOptions {
  readonly id?: string;
  readonly encounterId?: string | undefined;
  readonly status?: Observation['status'];
  /** `null`: no category at all (an edge shape). */
  readonly category?: ObservationCategory | null;
  /** Labs are released some time after collection. */
  readonly issuedAfterMinutes?: number;
  readonly performerId?: string;
}

/**
 * Writes the observations of one patient with sequential, stable ids (`<prefix>-00001`...). Every observation goes
 * through `push`, so the order of the output is the order of the calls: deterministic.
 */
export class ObservationWriter {
  readonly observations: Observation[] = [];
  private sequence = 0;

  constructor(
    readonly patientId: string,
    private readonly idPrefix: string,
    /** Nothing may be issued after "now". */
    private readonly now: number,
  ) {}

  private nextId(): string {
    this.sequence += 1;
    return `${this.idPrefix}-${String(this.sequence).padStart(5, '0')}`;
  }

  /** The common frame of every observation; `fields` adds the value and anything else. */
  push(
    code: CodeableConcept,
    effective: string | { start: string; end: string },
    options: ObservationOptions,
    fields: Partial<Observation>,
  ): Observation {
    const effectiveFields: Partial<Observation> =
      typeof effective === 'string' ? { effectiveDateTime: effective } : { effectivePeriod: effective };
    const effectiveEnd = typeof effective === 'string' ? effective : effective.end;
    // A date-only effectiveDateTime still needs a full instant for meta.lastUpdated.
    const effectiveMs = Date.parse(effectiveEnd.length === 10 ? `${effectiveEnd}T12:00:00Z` : effectiveEnd);
    const issuedMs =
      options.issuedAfterMinutes === undefined
        ? undefined
        : Math.min(this.now, effectiveMs + options.issuedAfterMinutes * MINUTE);
    const category = options.category === null ? undefined : categoryConcepts(options.category);
    const observation: Observation = {
      resourceType: 'Observation',
      id: options.id ?? this.nextId(),
      meta: { lastUpdated: isoDateTime(issuedMs ?? Math.min(this.now, effectiveMs)) },
      status: options.status ?? 'final',
      ...(category ? { category } : {}),
      code,
      subject: { reference: `Patient/${this.patientId}` },
      ...(options.encounterId ? { encounter: { reference: `Encounter/${options.encounterId}` } } : {}),
      ...effectiveFields,
      ...(issuedMs === undefined ? {} : { issued: isoDateTime(issuedMs) }),
      ...(options.performerId ? { performer: [{ reference: `Practitioner/${options.performerId}` }] } : {}),
      ...fields,
    };
    this.observations.push(observation);
    return observation;
  }

  /** A vital sign (category vital-signs, UCUM units, no interpretation, as the R4 vital signs profile has it). */
  vital(
    definition: QuantityDefinition,
    value: number,
    at: string,
    options: ObservationOptions = {},
  ): Observation {
    const code =
      definition.code === VITALS.oxygenSaturation.code
        ? {
            coding: [
              { system: LOINC, code: definition.code, display: definition.display },
              { system: LOINC, ...OXYGEN_SATURATION_ARTERIAL },
            ],
            text: 'Oxygen saturation',
          }
        : loincConcept(definition.code, definition.display);
    return this.push(
      code,
      at,
      { category: 'vital-signs', ...options },
      { valueQuantity: quantity(value, definition) },
    );
  }

  /** Blood pressure as one panel with systolic and diastolic components (85354-9, or 55284-4 as older data has it). */
  bloodPressure(
    systolic: number,
    diastolic: number,
    at: string,
    options: ObservationOptions & { panel?: 'current' | 'old' } = {},
  ): Observation {
    const panel = options.panel === 'old' ? BLOOD_PRESSURE_PANEL_OLD : BLOOD_PRESSURE_PANEL;
    return this.push(
      { ...loincConcept(panel.code, panel.display), text: 'Blood pressure' },
      at,
      { category: 'vital-signs', ...options },
      {
        component: [
          {
            code: loincConcept(VITALS.systolic.code, VITALS.systolic.display),
            valueQuantity: quantity(systolic, VITALS.systolic),
          },
          {
            code: loincConcept(VITALS.diastolic.code, VITALS.diastolic.display),
            valueQuantity: quantity(diastolic, VITALS.diastolic),
          },
        ],
      },
    );
  }

  /** A quantitative lab result with its reference range and interpretation flag. */
  lab(
    definition: QuantityDefinition,
    value: number,
    at: string,
    options: ObservationOptions = {},
  ): Observation {
    const rounded = roundTo(value, definition.decimals);
    const range = referenceRange(definition);
    return this.push(
      loincConcept(definition.code, definition.display),
      at,
      { category: 'laboratory', issuedAfterMinutes: 180, ...options },
      {
        valueQuantity: quantity(rounded, definition),
        interpretation: interpretationConcept(interpret(definition, rounded)),
        ...(range ? { referenceRange: range } : {}),
      },
    );
  }

  /** Smoking status (72166-2) answered with SNOMED CT, category social-history. */
  smokingStatus(
    answer: { code: string; display: string },
    at: string,
    options: ObservationOptions = {},
  ): Observation {
    return this.push(
      loincConcept(SMOKING_STATUS.code, SMOKING_STATUS.display),
      at,
      { category: 'social-history', ...options },
      { valueCodeableConcept: { coding: [{ system: SNOMED, ...answer }], text: answer.display } },
    );
  }
}

export interface EncounterSpec {
  readonly id: string;
  readonly patientId: string;
  readonly practitionerId: string;
  readonly practitionerName: string;
  readonly start: number;
  readonly end: number | undefined;
  readonly kind: 'office' | 'well-child' | 'emergency' | 'icu';
}

const ENCOUNTER_KINDS = {
  office: {
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    type: { system: SNOMED, code: '185349003', display: 'Encounter for check up' },
    text: 'Office visit',
  },
  'well-child': {
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    type: { system: SNOMED, code: '410620009', display: 'Well child visit' },
    text: 'Well child visit',
  },
  emergency: {
    class: { system: ACT_CODE, code: 'EMER', display: 'emergency' },
    type: { system: SNOMED, code: '50849002', display: 'Emergency room admission' },
    text: 'Emergency department visit',
  },
  icu: {
    class: { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' },
    type: { system: SNOMED, code: '305351004', display: 'Admission to intensive care unit' },
    text: 'Intensive care admission',
  },
} as const;

export function encounter(spec: EncounterSpec): Encounter {
  const kind = ENCOUNTER_KINDS[spec.kind];
  return {
    resourceType: 'Encounter',
    id: spec.id,
    meta: { lastUpdated: isoDateTime(spec.end ?? spec.start) },
    identifier: [{ system: ENCOUNTER_ID_SYSTEM, value: spec.id }],
    status: spec.end === undefined ? 'in-progress' : 'finished',
    class: kind.class,
    type: [{ coding: [kind.type], text: kind.text }],
    subject: { reference: `Patient/${spec.patientId}` },
    participant: [
      {
        type: [{ coding: [{ system: PARTICIPATION_TYPE, code: 'ATND', display: 'attender' }] }],
        individual: { reference: `Practitioner/${spec.practitionerId}`, display: spec.practitionerName },
      },
    ],
    period: {
      start: isoDateTime(spec.start),
      ...(spec.end === undefined ? {} : { end: isoDateTime(spec.end) }),
    },
  };
}

/** US Core common clinical note types (LOINC), see /work/shared/smart-facts.md "US Core clinical notes". */
export const NOTE_TYPES = {
  progress: { code: '11506-3', display: 'Progress note' },
  consultation: { code: '11488-4', display: 'Consult note' },
  historyAndPhysical: { code: '34117-2', display: 'History and physical note' },
  dischargeSummary: { code: '18842-5', display: 'Discharge summary' },
} as const;

export interface NoteSpec {
  readonly id: string;
  readonly patientId: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly encounter: EncounterSpec;
  readonly type: { code: string; display: string };
  /** When the note was written. */
  readonly date: number;
  readonly text: string;
  readonly contentType?: string;
}

export function clinicalNote(spec: NoteSpec): DocumentReference {
  const contentType = spec.contentType ?? 'text/plain; charset=utf-8';
  return {
    resourceType: 'DocumentReference',
    id: spec.id,
    meta: { lastUpdated: isoDateTime(spec.date) },
    identifier: [{ system: DOCUMENT_ID_SYSTEM, value: spec.id }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, ...spec.type }], text: spec.type.display },
    category: [
      { coding: [{ system: US_CORE_DOCUMENT_CATEGORY, code: 'clinical-note', display: 'Clinical Note' }] },
    ],
    subject: { reference: `Patient/${spec.patientId}` },
    date: isoDateTime(spec.date),
    author: [{ reference: `Practitioner/${spec.authorId}`, display: spec.authorName }],
    content: [
      {
        attachment: {
          contentType,
          data: Buffer.from(spec.text, 'utf8').toString('base64'),
          title: spec.type.display,
          creation: isoDateTime(spec.date),
        },
      },
    ],
    context: {
      encounter: [{ reference: `Encounter/${spec.encounter.id}` }],
      period: {
        start: isoDateTime(spec.encounter.start),
        ...(spec.encounter.end === undefined ? {} : { end: isoDateTime(spec.encounter.end) }),
      },
    },
  };
}
