/**
 * Concepts as sets of codes, not single codes: sites and generators code the same measurement differently
 * (the SMART sandbox and Synthea code blood pressure 55284-4, US Core 85354-9; Oracle Health notes that LOINC codes
 * vary by site). Codes are LOINC (http://loinc.org) unless stated; vital-sign sets follow the FHIR R4 vital signs
 * profiles (http://hl7.org/fhir/R4/observation-vitalsigns.html) and their value sets.
 */
import { readArray, readRecord, readString, type JsonRecord } from './read.ts';

export const LOINC = 'http://loinc.org';

export type VitalConceptId =
  'blood-pressure' | 'heart-rate' | 'respiratory-rate' | 'temperature' | 'spo2' | 'weight' | 'height' | 'bmi';

export type LabPanelId = 'cbc' | 'metabolic' | 'lipids' | 'diabetes';

export type ConceptId =
  | VitalConceptId
  | 'systolic'
  | 'diastolic'
  // Diabetes
  | 'glucose'
  | 'hba1c'
  // CBC
  | 'wbc'
  | 'rbc'
  | 'hemoglobin'
  | 'hematocrit'
  | 'mcv'
  | 'mch'
  | 'mchc'
  | 'rdw'
  | 'platelets'
  | 'mpv'
  | 'neutrophils-pct'
  | 'lymphocytes-pct'
  | 'monocytes-pct'
  | 'eosinophils-pct'
  | 'basophils-pct'
  // BMP / CMP
  | 'sodium'
  | 'potassium'
  | 'chloride'
  | 'co2'
  | 'bun'
  | 'creatinine'
  | 'egfr'
  | 'calcium'
  | 'total-protein'
  | 'albumin'
  | 'globulin'
  | 'bilirubin-total'
  | 'bilirubin-direct'
  | 'alp'
  | 'alt'
  | 'ast'
  // Lipids
  | 'cholesterol-total'
  | 'hdl'
  | 'ldl'
  | 'triglycerides'
  | 'vldl'
  | 'non-hdl';

export type ConceptSection =
  | { readonly kind: 'vital' }
  | { readonly kind: 'lab'; readonly panel: LabPanelId }
  | {
      readonly kind: 'component';
    };

export interface ConceptDef {
  readonly id: ConceptId;
  /** Shown as a heading or a table row label. */
  readonly label: string;
  /** Used in note snippets ("BP 128/82 mmHg"). */
  readonly short: string;
  readonly codes: readonly string[];
  readonly section: ConceptSection;
  /**
   * Molar mass in g/mol, for converting mass concentration ↔ substance concentration (mg/dL ↔ mmol/L).
   * Only for analytes whose molar mass is conventional in laboratory reporting.
   */
  readonly molarMass?: number;
}

const vital = { kind: 'vital' } as const;
const lab = (panel: LabPanelId): ConceptSection => ({ kind: 'lab', panel });

export const CONCEPTS: readonly ConceptDef[] = [
  // Vital signs (FHIR R4 §"Vital Signs"; US Core vital signs).
  {
    id: 'blood-pressure',
    label: 'Blood pressure',
    short: 'BP',
    codes: ['85354-9', '55284-4', '35094-2'],
    section: vital,
  },
  {
    id: 'systolic',
    label: 'Systolic blood pressure',
    short: 'SBP',
    codes: ['8480-6'],
    section: { kind: 'component' },
  },
  {
    id: 'diastolic',
    label: 'Diastolic blood pressure',
    short: 'DBP',
    codes: ['8462-4'],
    section: { kind: 'component' },
  },
  { id: 'heart-rate', label: 'Heart rate', short: 'HR', codes: ['8867-4'], section: vital },
  { id: 'respiratory-rate', label: 'Respiratory rate', short: 'RR', codes: ['9279-1'], section: vital },
  // 8310-5 body temperature; 8331-1 oral, 8328-7 axillary, 8333-7 tympanic, 8332-9 rectal (FHIR bodytemp value set).
  {
    id: 'temperature',
    label: 'Body temperature',
    short: 'Temp',
    codes: ['8310-5', '8331-1', '8328-7', '8333-7', '8332-9'],
    section: vital,
  },
  // 59408-5 by pulse oximetry (US Core), 2708-6 arterial, 2710-2 capillary by oximetry (SMART sample data).
  {
    id: 'spo2',
    label: 'Oxygen saturation',
    short: 'SpO2',
    codes: ['59408-5', '2708-6', '2710-2'],
    section: vital,
  },
  // 29463-7 body weight; 3141-9 measured.
  { id: 'weight', label: 'Body weight', short: 'Weight', codes: ['29463-7', '3141-9'], section: vital },
  // 8302-2 body height; 8306-3 lying (infant length); 8308-9 standing; 3137-7 measured.
  {
    id: 'height',
    label: 'Body height',
    short: 'Height',
    codes: ['8302-2', '8306-3', '8308-9', '3137-7'],
    section: vital,
  },
  { id: 'bmi', label: 'Body mass index', short: 'BMI', codes: ['39156-5'], section: vital },

  // Diabetes: glucose in serum/plasma (2345-7, moles 14749-6), blood (2339-0, moles 15074-8), glucometer (41653-7).
  {
    id: 'glucose',
    label: 'Glucose',
    short: 'Glucose',
    codes: ['2345-7', '2339-0', '15074-8', '14749-6', '41653-7'],
    section: lab('diabetes'),
    molarMass: 180.156,
  },
  // HbA1c as % (4548-4, 17856-6 HPLC, 4549-2 electrophoresis). IFCC mmol/mol (59261-8) is a different scale
  // (not a UCUM conversion), so it stays its own series.
  {
    id: 'hba1c',
    label: 'Hemoglobin A1c',
    short: 'HbA1c',
    codes: ['4548-4', '17856-6', '4549-2', '59261-8'],
    section: lab('diabetes'),
  },

  // Complete blood count.
  { id: 'wbc', label: 'White blood cells', short: 'WBC', codes: ['6690-2', '26464-8'], section: lab('cbc') },
  { id: 'rbc', label: 'Red blood cells', short: 'RBC', codes: ['789-8', '26453-1'], section: lab('cbc') },
  { id: 'hemoglobin', label: 'Hemoglobin', short: 'Hgb', codes: ['718-7', '20509-6'], section: lab('cbc') },
  { id: 'hematocrit', label: 'Hematocrit', short: 'Hct', codes: ['4544-3', '20570-8'], section: lab('cbc') },
  { id: 'mcv', label: 'MCV', short: 'MCV', codes: ['787-2', '30428-7'], section: lab('cbc') },
  { id: 'mch', label: 'MCH', short: 'MCH', codes: ['785-6'], section: lab('cbc') },
  { id: 'mchc', label: 'MCHC', short: 'MCHC', codes: ['786-4'], section: lab('cbc') },
  { id: 'rdw', label: 'RDW', short: 'RDW', codes: ['788-0', '30385-9', '21000-5'], section: lab('cbc') },
  { id: 'platelets', label: 'Platelets', short: 'Plt', codes: ['777-3', '26515-7'], section: lab('cbc') },
  { id: 'mpv', label: 'Mean platelet volume', short: 'MPV', codes: ['32623-1'], section: lab('cbc') },
  {
    id: 'neutrophils-pct',
    label: 'Neutrophils %',
    short: 'Neut %',
    codes: ['770-8', '26511-6'],
    section: lab('cbc'),
  },
  {
    id: 'lymphocytes-pct',
    label: 'Lymphocytes %',
    short: 'Lymph %',
    codes: ['736-9', '26478-8'],
    section: lab('cbc'),
  },
  {
    id: 'monocytes-pct',
    label: 'Monocytes %',
    short: 'Mono %',
    codes: ['5905-5', '26485-3'],
    section: lab('cbc'),
  },
  {
    id: 'eosinophils-pct',
    label: 'Eosinophils %',
    short: 'Eos %',
    codes: ['713-8', '26450-7'],
    section: lab('cbc'),
  },
  {
    id: 'basophils-pct',
    label: 'Basophils %',
    short: 'Baso %',
    codes: ['706-2', '30180-4'],
    section: lab('cbc'),
  },

  // Basic and comprehensive metabolic panels (serum/plasma code first, whole-blood code second).
  { id: 'sodium', label: 'Sodium', short: 'Na', codes: ['2951-2', '2947-0'], section: lab('metabolic') },
  { id: 'potassium', label: 'Potassium', short: 'K', codes: ['2823-3', '6298-4'], section: lab('metabolic') },
  { id: 'chloride', label: 'Chloride', short: 'Cl', codes: ['2075-0', '2069-3'], section: lab('metabolic') },
  {
    id: 'co2',
    label: 'Carbon dioxide',
    short: 'CO2',
    codes: ['2028-9', '20565-8'],
    section: lab('metabolic'),
  },
  // Urea nitrogen: conventional molar mass of N2 (28.014 g/mol) for mg/dL ↔ mmol/L.
  {
    id: 'bun',
    label: 'Urea nitrogen',
    short: 'BUN',
    codes: ['3094-0', '6299-2'],
    section: lab('metabolic'),
    molarMass: 28.014,
  },
  {
    id: 'creatinine',
    label: 'Creatinine',
    short: 'Creat',
    codes: ['2160-0', '38483-4', '14682-9'],
    section: lab('metabolic'),
    molarMass: 113.12,
  },
  {
    id: 'egfr',
    label: 'eGFR',
    short: 'eGFR',
    codes: ['33914-3', '48642-3', '48643-1', '62238-1', '98979-8', '88293-6', '88294-4'],
    section: lab('metabolic'),
  },
  {
    id: 'calcium',
    label: 'Calcium',
    short: 'Ca',
    codes: ['17861-6', '49765-1'],
    section: lab('metabolic'),
    molarMass: 40.078,
  },
  {
    id: 'total-protein',
    label: 'Total protein',
    short: 'Prot',
    codes: ['2885-2'],
    section: lab('metabolic'),
  },
  { id: 'albumin', label: 'Albumin', short: 'Alb', codes: ['1751-7'], section: lab('metabolic') },
  { id: 'globulin', label: 'Globulin', short: 'Glob', codes: ['10834-0'], section: lab('metabolic') },
  {
    id: 'bilirubin-total',
    label: 'Bilirubin, total',
    short: 'T bili',
    codes: ['1975-2'],
    section: lab('metabolic'),
    molarMass: 584.66,
  },
  {
    id: 'bilirubin-direct',
    label: 'Bilirubin, direct',
    short: 'D bili',
    codes: ['1968-7'],
    section: lab('metabolic'),
    molarMass: 584.66,
  },
  { id: 'alp', label: 'Alkaline phosphatase', short: 'ALP', codes: ['6768-6'], section: lab('metabolic') },
  { id: 'alt', label: 'ALT', short: 'ALT', codes: ['1742-6'], section: lab('metabolic') },
  { id: 'ast', label: 'AST', short: 'AST', codes: ['1920-8'], section: lab('metabolic') },

  // Lipids (mass codes first, moles codes second). Cholesterol fractions use cholesterol's molar mass.
  {
    id: 'cholesterol-total',
    label: 'Cholesterol, total',
    short: 'Chol',
    codes: ['2093-3', '14647-2'],
    section: lab('lipids'),
    molarMass: 386.65,
  },
  {
    id: 'hdl',
    label: 'HDL cholesterol',
    short: 'HDL',
    codes: ['2085-9', '14646-4'],
    section: lab('lipids'),
    molarMass: 386.65,
  },
  {
    id: 'ldl',
    label: 'LDL cholesterol',
    short: 'LDL',
    codes: ['18262-6', '13457-7', '2089-1', '22748-8'],
    section: lab('lipids'),
    molarMass: 386.65,
  },
  // Triglycerides: conventional molar mass of triolein (885.7 g/mol).
  {
    id: 'triglycerides',
    label: 'Triglycerides',
    short: 'TG',
    codes: ['2571-8', '14927-8'],
    section: lab('lipids'),
    molarMass: 885.7,
  },
  {
    id: 'vldl',
    label: 'VLDL cholesterol',
    short: 'VLDL',
    codes: ['2091-7', '13458-5'],
    section: lab('lipids'),
    molarMass: 386.65,
  },
  {
    id: 'non-hdl',
    label: 'Non-HDL cholesterol',
    short: 'Non-HDL',
    codes: ['43396-1'],
    section: lab('lipids'),
    molarMass: 386.65,
  },
];

export const VITAL_ORDER: readonly VitalConceptId[] = [
  'blood-pressure',
  'heart-rate',
  'respiratory-rate',
  'temperature',
  'spo2',
  'weight',
  'height',
  'bmi',
];

export const LAB_PANELS: readonly { readonly id: LabPanelId; readonly label: string }[] = [
  { id: 'cbc', label: 'Complete blood count' },
  { id: 'metabolic', label: 'Metabolic panel (BMP/CMP)' },
  { id: 'lipids', label: 'Lipids' },
  { id: 'diabetes', label: 'Glucose and HbA1c' },
];

const BY_ID = new Map<ConceptId, ConceptDef>(CONCEPTS.map((c) => [c.id, c]));
const BY_LOINC = new Map<string, ConceptDef>(
  CONCEPTS.flatMap((c) => c.codes.map((code) => [code, c] as const)),
);

export function conceptById(id: ConceptId): ConceptDef {
  const def = BY_ID.get(id);
  // CONCEPTS lists every ConceptId; this only guards against an edit that forgets one.
  if (!def) throw new Error(`Unknown concept ${id}`);
  return def;
}

export function conceptForLoinc(code: string): ConceptDef | undefined {
  return BY_LOINC.get(code);
}

/** The identity of what an observation measures, after code-set grouping. */
export interface ConceptRef {
  /** Known concept id, or `system|code` of the first coding, or `text:<lower-case text>` when uncoded. */
  readonly key: string;
  readonly known: ConceptDef | undefined;
  /** The known concept's label, else the observation's own text. */
  readonly label: string;
  /** The observation's own wording (code.text or a coding's display), for tooltips and tables. */
  readonly codeLabel: string;
}

export const UNNAMED_OBSERVATION = 'Unnamed observation';

/**
 * Reads a CodeableConcept to a concept: the first LOINC coding in a known code set wins; otherwise the first coding
 * with a code (system|code); otherwise the text. Returns undefined when the concept has neither code nor text.
 */
export function readConcept(value: unknown): ConceptRef | undefined {
  const concept = readRecord(value);
  if (!concept) return undefined;
  const codings = readArray(concept.coding)
    .map(readRecord)
    .filter((c): c is JsonRecord => c !== undefined);
  const text = readString(concept.text);
  const firstDisplay = codings.map((c) => readString(c.display)).find((d) => d !== undefined);
  for (const coding of codings) {
    const code = readString(coding.code);
    if (code === undefined || readString(coding.system) !== LOINC) continue;
    const known = conceptForLoinc(code.trim());
    if (known) {
      return { key: known.id, known, label: known.label, codeLabel: text ?? firstDisplay ?? known.label };
    }
  }
  const firstCoded = codings.find((c) => readString(c.code) !== undefined);
  if (firstCoded) {
    const code = readString(firstCoded.code) ?? '';
    const system = readString(firstCoded.system) ?? '';
    const label = text ?? firstDisplay ?? code;
    return { key: `${system}|${code.trim()}`, known: undefined, label, codeLabel: label };
  }
  const label = text ?? firstDisplay;
  if (label === undefined) return undefined;
  return { key: `text:${label.trim().toLowerCase()}`, known: undefined, label, codeLabel: label };
}

// Categories -----------------------------------------------------------------------------------------------------

/**
 * R4 category codes (http://terminology.hl7.org/CodeSystem/observation-category); STU3 data uses the older system
 * http://hl7.org/fhir/observation-category with the same codes. Both are accepted, and so is a coding without a
 * system or a bare text ("Vital Signs").
 */
export type KnownCategory =
  | 'vital-signs'
  | 'laboratory'
  | 'social-history'
  | 'survey'
  | 'exam'
  | 'imaging'
  | 'procedure'
  | 'therapy'
  | 'activity';

export type CategoryCode = KnownCategory | 'other' | 'uncategorized';

export interface CategoryRef {
  readonly code: CategoryCode;
  readonly label: string;
}

const CATEGORY_SYSTEMS = new Set([
  'http://terminology.hl7.org/CodeSystem/observation-category',
  'http://hl7.org/fhir/observation-category',
]);

const CATEGORY_LABELS: Record<KnownCategory, string> = {
  'vital-signs': 'Vital signs',
  laboratory: 'Laboratory',
  'social-history': 'Social history',
  survey: 'Survey',
  exam: 'Exam',
  imaging: 'Imaging',
  procedure: 'Procedure',
  therapy: 'Therapy',
  activity: 'Activity',
};

/** Spellings seen in real data for the known codes (`vital-sign` in Synthea exports). */
const CATEGORY_ALIASES: Record<string, KnownCategory> = {
  'vital-signs': 'vital-signs',
  'vital-sign': 'vital-signs',
  vitalsigns: 'vital-signs',
  'vital signs': 'vital-signs',
  laboratory: 'laboratory',
  lab: 'laboratory',
  'social-history': 'social-history',
  'social history': 'social-history',
  survey: 'survey',
  exam: 'exam',
  imaging: 'imaging',
  procedure: 'procedure',
  therapy: 'therapy',
  activity: 'activity',
};

/** When an observation has several categories, the first of these it has decides where it is shown. */
export const CATEGORY_PRIORITY: readonly KnownCategory[] = [
  'vital-signs',
  'laboratory',
  'social-history',
  'survey',
  'exam',
  'imaging',
  'procedure',
  'therapy',
  'activity',
];

export const UNCATEGORIZED: CategoryRef = { code: 'uncategorized', label: 'Uncategorized' };

export function readCategory(value: unknown): CategoryRef {
  const found = new Set<KnownCategory>();
  let other: string | undefined;
  for (const category of readArray(value)) {
    const concept = readRecord(category);
    if (!concept) continue;
    let matched = false;
    for (const coding of readArray(concept.coding)) {
      const c = readRecord(coding);
      const code = readString(c?.code)?.trim().toLowerCase();
      if (code === undefined) continue;
      const system = readString(c?.system);
      const known = CATEGORY_ALIASES[code];
      if (known && (system === undefined || CATEGORY_SYSTEMS.has(system))) {
        found.add(known);
        matched = true;
      } else {
        other ??= readString(c?.display) ?? code;
      }
    }
    const text = readString(concept.text);
    if (!matched && text !== undefined) {
      const known = CATEGORY_ALIASES[text.trim().toLowerCase()];
      if (known) found.add(known);
      else other ??= text;
    }
  }
  for (const code of CATEGORY_PRIORITY) {
    if (found.has(code)) return { code, label: CATEGORY_LABELS[code] };
  }
  return other === undefined ? UNCATEGORIZED : { code: 'other', label: other };
}
