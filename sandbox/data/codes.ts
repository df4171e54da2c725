/**
 * Code systems and the LOINC codes the sample data uses, with UCUM units and adult reference ranges.
 * Vital-sign codes follow the FHIR R4 vital signs profile (http://hl7.org/fhir/R4/observation-vitalsigns.html);
 * lab ranges are common adult ranges, critical limits typical of hospital call lists.
 */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED = 'http://snomed.info/sct';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const DATA_ABSENT_REASON = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const US_CORE_DOCUMENT_CATEGORY =
  'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
export const NPI = 'http://hl7.org/fhir/sid/us-npi';
/** Identifier systems of this sandbox (the `.example` domain never resolves). */
export const MRN_SYSTEM = 'https://sandbox-ehr.example/fhir/sid/mrn';
export const ENCOUNTER_ID_SYSTEM = 'https://sandbox-ehr.example/fhir/sid/encounter';
export const DOCUMENT_ID_SYSTEM = 'https://sandbox-ehr.example/fhir/sid/document';
/** Local codes for observations that have no LOINC code we are sure of (edge value shapes). */
export const LOCAL_OBSERVATION_CODES = 'https://sandbox-ehr.example/fhir/CodeSystem/observation';

export type ObservationCategory =
  'vital-signs' | 'laboratory' | 'social-history' | 'survey' | 'procedure' | 'exam';

export const CATEGORY_DISPLAY: Record<ObservationCategory, string> = {
  'vital-signs': 'Vital Signs',
  laboratory: 'Laboratory',
  'social-history': 'Social History',
  survey: 'Survey',
  procedure: 'Procedure',
  exam: 'Exam',
};

/** A quantitative LOINC observation: its unit, display precision and (for labs) its ranges. */
export interface QuantityDefinition {
  readonly code: string;
  readonly display: string;
  /** UCUM code, also used as the human-readable unit. */
  readonly unit: string;
  readonly decimals: number;
  readonly low?: number;
  readonly high?: number;
  readonly criticalLow?: number;
  readonly criticalHigh?: number;
}

export const VITALS = {
  systolic: { code: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]', decimals: 0 },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]', decimals: 0 },
  heartRate: { code: '8867-4', display: 'Heart rate', unit: '/min', decimals: 0 },
  respiratoryRate: { code: '9279-1', display: 'Respiratory rate', unit: '/min', decimals: 0 },
  temperature: { code: '8310-5', display: 'Body temperature', unit: 'Cel', decimals: 1 },
  oxygenSaturation: {
    code: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    decimals: 0,
  },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg', decimals: 1 },
  height: { code: '8302-2', display: 'Body height', unit: 'cm', decimals: 1 },
  bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', decimals: 1 },
} as const satisfies Record<string, QuantityDefinition>;

export type VitalKey = keyof typeof VITALS;

/** SpO2's second coding: US Core's pulse oximetry profile carries both 59408-5 and 2708-6. */
export const OXYGEN_SATURATION_ARTERIAL = { code: '2708-6', display: 'Oxygen saturation in Arterial blood' };

export const BLOOD_PRESSURE_PANEL = {
  code: '85354-9',
  display: 'Blood pressure panel with all children optional',
};
/** The older panel code Synthea and the public SMART sandbox use. */
export const BLOOD_PRESSURE_PANEL_OLD = { code: '55284-4', display: 'Blood pressure systolic and diastolic' };
export const SMOKING_STATUS = { code: '72166-2', display: 'Tobacco smoking status' };

export const SMOKING_ANSWERS = {
  never: { code: '266919005', display: 'Never smoked tobacco' },
  former: { code: '8517006', display: 'Ex-smoker' },
  current: { code: '449868002', display: 'Smokes tobacco daily' },
} as const;

export const LABS = {
  wbc: {
    code: '6690-2',
    display: 'Leukocytes [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    decimals: 1,
    low: 4.5,
    high: 11,
    criticalLow: 2,
    criticalHigh: 30,
  },
  rbc: {
    code: '789-8',
    display: 'Erythrocytes [#/volume] in Blood by Automated count',
    unit: '10*6/uL',
    decimals: 2,
    low: 4.2,
    high: 5.9,
  },
  hemoglobin: {
    code: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    decimals: 1,
    low: 12,
    high: 17.5,
    criticalLow: 7,
    criticalHigh: 20,
  },
  hematocrit: {
    code: '4544-3',
    display: 'Hematocrit [Volume Fraction] of Blood by Automated count',
    unit: '%',
    decimals: 1,
    low: 36,
    high: 50,
  },
  platelets: {
    code: '777-3',
    display: 'Platelets [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    decimals: 0,
    low: 150,
    high: 400,
    criticalLow: 50,
    criticalHigh: 1000,
  },
  mcv: {
    code: '787-2',
    display: 'MCV [Entitic volume] by Automated count',
    unit: 'fL',
    decimals: 0,
    low: 80,
    high: 100,
  },
  glucose: {
    code: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    low: 70,
    high: 99,
    criticalLow: 50,
    criticalHigh: 400,
  },
  bun: {
    code: '3094-0',
    display: 'Urea nitrogen [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    low: 7,
    high: 20,
  },
  creatinine: {
    code: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 2,
    low: 0.6,
    high: 1.3,
  },
  egfr: {
    code: '33914-3',
    display:
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
    unit: 'mL/min/{1.73_m2}',
    decimals: 0,
    low: 60,
  },
  sodium: {
    code: '2951-2',
    display: 'Sodium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    decimals: 0,
    low: 135,
    high: 145,
    criticalLow: 120,
    criticalHigh: 160,
  },
  potassium: {
    code: '2823-3',
    display: 'Potassium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    decimals: 1,
    low: 3.5,
    high: 5.1,
    criticalLow: 2.8,
    criticalHigh: 6.2,
  },
  chloride: {
    code: '2075-0',
    display: 'Chloride [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    decimals: 0,
    low: 98,
    high: 107,
  },
  carbonDioxide: {
    code: '2028-9',
    display: 'Carbon dioxide, total [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    decimals: 0,
    low: 22,
    high: 29,
  },
  calcium: {
    code: '17861-6',
    display: 'Calcium [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 1,
    low: 8.6,
    high: 10.3,
    criticalLow: 6.5,
    criticalHigh: 13,
  },
  alt: {
    code: '1742-6',
    display: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    decimals: 0,
    low: 7,
    high: 56,
  },
  ast: {
    code: '1920-8',
    display: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    decimals: 0,
    low: 10,
    high: 40,
  },
  albumin: {
    code: '1751-7',
    display: 'Albumin [Mass/volume] in Serum or Plasma',
    unit: 'g/dL',
    decimals: 1,
    low: 3.5,
    high: 5,
  },
  bilirubin: {
    code: '1975-2',
    display: 'Bilirubin.total [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 1,
    low: 0.1,
    high: 1.2,
  },
  cholesterol: {
    code: '2093-3',
    display: 'Cholesterol [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    high: 200,
  },
  hdl: {
    code: '2085-9',
    display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    low: 40,
  },
  ldl: {
    code: '13457-7',
    display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
    unit: 'mg/dL',
    decimals: 0,
    high: 100,
  },
  triglycerides: {
    code: '2571-8',
    display: 'Triglyceride [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    decimals: 0,
    high: 150,
  },
  hba1c: {
    code: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    decimals: 1,
    low: 4,
    high: 5.6,
  },
  lactate: {
    code: '2524-7',
    display: 'Lactate [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    decimals: 1,
    low: 0.5,
    high: 2.2,
    criticalHigh: 4,
  },
} as const satisfies Record<string, QuantityDefinition>;

export type LabKey = keyof typeof LABS;

/** Glucose reported in SI units by an outside lab: the same LOINC code 2345-7 in mmol/L (1 mmol/L = 18.016 mg/dL). */
export const GLUCOSE_MMOL: QuantityDefinition = {
  ...LABS.glucose,
  unit: 'mmol/L',
  decimals: 1,
  low: 3.9,
  high: 5.5,
  criticalLow: 2.8,
  criticalHigh: 22.2,
};

export const PANELS = {
  cbc: ['wbc', 'rbc', 'hemoglobin', 'hematocrit', 'platelets', 'mcv'],
  bmp: [
    'glucose',
    'bun',
    'creatinine',
    'egfr',
    'sodium',
    'potassium',
    'chloride',
    'carbonDioxide',
    'calcium',
  ],
  cmpExtra: ['alt', 'ast', 'albumin', 'bilirubin'],
  lipids: ['cholesterol', 'hdl', 'ldl', 'triglycerides'],
  hba1c: ['hba1c'],
} as const satisfies Record<string, readonly LabKey[]>;

export type InterpretationCode = 'N' | 'L' | 'H' | 'LL' | 'HH';

export const INTERPRETATION_DISPLAY: Record<InterpretationCode, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
};

/** Flags a value against its ranges (v3 ObservationInterpretation; critical limits win over the normal range). */
export function interpret(definition: QuantityDefinition, value: number): InterpretationCode {
  if (definition.criticalHigh !== undefined && value >= definition.criticalHigh) return 'HH';
  if (definition.criticalLow !== undefined && value <= definition.criticalLow) return 'LL';
  if (definition.high !== undefined && value > definition.high) return 'H';
  if (definition.low !== undefined && value < definition.low) return 'L';
  return 'N';
}
