/** The sample data generator: deterministic, valid R4, and carrying the shapes sandbox/data/README.md promises. */
import { validateResource } from '@medplum/core';
import type { Observation, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../fhir/definitions.ts';
import { HEAVY_PATIENT_ID } from './heavy.ts';
import type { SampleData } from './generate.ts';
import { generateSampleData, sampleResources } from './generate.ts';

const NOW = Date.parse('2026-12-04T15:30:00Z');
const YEAR = 365.25 * 86_400_000;

let data: SampleData;

beforeAll(() => {
  loadFhirDefinitions();
  data = generateSampleData({ now: NOW });
});

function observation(id: string): Observation {
  const found = data.observations.find((each) => each.id === id);
  if (!found) throw new Error(`${id} is missing`);
  return found;
}

const hasCode = (resource: Observation, code: string) =>
  resource.code.coding?.some((coding) => coding.code === code) ?? false;

describe('generateSampleData', () => {
  it('is deterministic: same seed and now give the same bytes; another seed gives other values', () => {
    const again = JSON.stringify(sampleResources(generateSampleData({ now: NOW, heavyPatient: false })));
    expect(JSON.stringify(sampleResources(generateSampleData({ now: NOW, heavyPatient: false })))).toBe(
      again,
    );
    expect(
      JSON.stringify(sampleResources(generateSampleData({ now: NOW, heavyPatient: false, seed: 7 }))),
    ).not.toBe(again);
    // The heavy patient draws from its own generator: leaving it out changes no one else.
    const withoutHeavy = sampleResources(generateSampleData({ now: NOW, heavyPatient: false }));
    const others = sampleResources(data).filter((resource) => !JSON.stringify(resource).includes('heavy'));
    expect(JSON.stringify(others)).toBe(JSON.stringify(withoutHeavy));
  });

  it('every resource validates against FHIR R4 (the heavy patient sampled)', () => {
    const resources = sampleResources(data).filter(
      (resource, index) => !JSON.stringify(resource).includes(HEAVY_PATIENT_ID) || index % 37 === 0,
    );
    expect(resources.length).toBeGreaterThan(2_000);
    const problems = resources.flatMap((resource: Resource) =>
      validateResource(resource).map(
        (issue) => `${resource.resourceType}/${resource.id ?? ''}: ${JSON.stringify(issue)}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('has at least six patients, adults and a child, and a heavy ICU patient with at least 25,000 observations', () => {
    expect(data.patients.length).toBeGreaterThanOrEqual(6);
    const ages = data.patients.map((patient) => (NOW - Date.parse(patient.birthDate ?? '')) / YEAR);
    expect(ages.some((age) => age < 18)).toBe(true);
    expect(ages.filter((age) => age >= 18).length).toBeGreaterThanOrEqual(5);
    const heavy = data.observations.filter(
      (each) => each.subject?.reference === `Patient/${HEAVY_PATIENT_ID}`,
    );
    expect(heavy.length).toBeGreaterThanOrEqual(25_000);
    expect(data.patients.find((patient) => patient.id === HEAVY_PATIENT_ID)?.name?.[0]?.family).toBe('Heavy');
  });

  it('histories span years and reach the present', () => {
    for (const patient of data.patients.filter((each) => each.id !== 'patient-no-data')) {
      const times = data.observations
        .filter((each) => each.subject?.reference === `Patient/${patient.id ?? ''}` && each.effectiveDateTime)
        .map((each) => Date.parse(each.effectiveDateTime ?? ''));
      expect(NOW - Math.max(...times), patient.id).toBeLessThan(60 * 86_400_000);
      expect(NOW - Math.min(...times), patient.id).toBeGreaterThan(3 * YEAR);
      expect(Math.max(...times), patient.id).toBeLessThanOrEqual(NOW);
    }
  });

  it('writes vital signs with their LOINC codes and UCUM units, blood pressure as one panel', () => {
    const units: Record<string, string> = {
      '8867-4': '/min',
      '9279-1': '/min',
      '8310-5': 'Cel',
      '59408-5': '%',
      '29463-7': 'kg',
      '8302-2': 'cm',
      '39156-5': 'kg/m2',
    };
    for (const [code, unit] of Object.entries(units)) {
      const sample = data.observations.find((each) => hasCode(each, code) && each.valueQuantity);
      expect(sample?.valueQuantity, code).toMatchObject({
        unit,
        code: unit,
        system: 'http://unitsofmeasure.org',
      });
    }
    const panel = data.observations.find((each) => hasCode(each, '85354-9'));
    expect(panel?.component?.map((component) => component.code.coding?.[0]?.code)).toEqual([
      '8480-6',
      '8462-4',
    ]);
    expect(panel?.component?.[0]?.valueQuantity?.unit).toBe('mm[Hg]');
  });

  it('flags labs with reference ranges and H, L, HH, LL and N interpretations', () => {
    const labs = data.observations.filter((each) => each.category?.[0]?.coding?.[0]?.code === 'laboratory');
    const flags = new Set(labs.flatMap((each) => each.interpretation?.[0]?.coding?.[0]?.code ?? []));
    expect(flags).toEqual(new Set(['N', 'H', 'L', 'HH', 'LL']));
    expect(labs.filter((each) => each.valueQuantity).every((each) => each.referenceRange?.length === 1)).toBe(
      true,
    );
    for (const code of ['718-7', '2345-7', '2093-3', '4548-4'])
      expect(
        labs.some((each) => hasCode(each, code)),
        code,
      ).toBe(true);
  });

  it('carries the edge shapes documented in sandbox/data/README.md', () => {
    expect(observation('obs-adult-1-glucose-mmol-1').valueQuantity?.unit).toBe('mmol/L');
    expect(hasCode(observation('obs-adult-1-glucose-mmol-1'), '2345-7')).toBe(true);
    expect(observation('obs-adult-1-glucose-hh').interpretation?.[0]?.coding?.[0]?.code).toBe('HH');
    expect(observation('obs-adult-1-hba1c-amended').status).toBe('amended');
    expect(
      data.observations.filter(
        (each) => each.subject?.reference === 'Patient/patient-adult-2' && hasCode(each, '55284-4'),
      ).length,
    ).toBeGreaterThan(10);
    expect(
      data.observations.some(
        (each) => each.subject?.reference === 'Patient/patient-adult-2' && !each.category,
      ),
    ).toBe(true);
    expect(observation('obs-adult-2-holter-heart-rate').effectivePeriod?.end).toBeTruthy();
    expect(observation('obs-adult-3-urine-color').valueString).toBe('Dark yellow');
    expect(observation('obs-adult-3-blood-group').valueCodeableConcept?.coding?.[0]?.code).toBe('278149003');
    const absent = observation('obs-adult-3-temperature-absent');
    expect(absent.dataAbsentReason?.coding?.[0]?.code).toBe('error');
    expect(Object.keys(absent).filter((key) => key.startsWith('value'))).toEqual([]);
    expect(observation('obs-adult-3-heart-rate-entered-in-error')).toMatchObject({
      status: 'entered-in-error',
      valueQuantity: { value: 300 },
    });
    expect(observation('obs-adult-3-potassium-preliminary').status).toBe('preliminary');
    expect(observation('obs-adult-3-hemoglobin-ll').interpretation?.[0]?.coding?.[0]?.code).toBe('LL');
    expect(observation('obs-adult-4-potassium-hh').interpretation?.[0]?.coding?.[0]?.code).toBe('HH');
    expect(observation('obs-adult-4-sodium-ll').interpretation?.[0]?.coding?.[0]?.code).toBe('LL');
    expect(observation('obs-adult-4-urine-rbc-range').valueRange?.high?.value).toBe(5);
    expect(observation('obs-adult-4-ana-titer-ratio').valueRatio?.denominator?.value).toBe(160);
    expect(observation('obs-adult-4-fall-boolean').valueBoolean).toBe(true);
    expect(observation('obs-adult-4-pain-integer').valueInteger).toBe(4);
    expect(observation('obs-adult-4-ecg-sampled-data').valueSampledData?.data?.split(' ')).toHaveLength(625);
    expect(observation('obs-adult-4-last-meal-time').valueTime).toBe('19:30:00');
    expect(observation('obs-adult-4-sleep-period').valuePeriod?.start).toBeTruthy();
    expect(observation('obs-adult-4-narrative-script').text?.div).toContain('<script>');
    expect(observation('obs-child-1-school-weight-1').effectiveDateTime).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.observations.filter((each) => each.subject?.reference === 'Patient/patient-no-data')).toEqual(
      [],
    );

    const html = data.documentReferences.find((each) => each.id === 'doc-adult-3-html');
    expect(html?.content[0]?.attachment.contentType).toBe('text/html; charset=utf-8');
    const decoded = Buffer.from(html?.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
    expect(decoded).toContain('<script>');
    expect(decoded).toContain('onerror=');
  });

  it('writes clinical notes as US Core DocumentReferences tied to an encounter of the same patient', () => {
    expect(data.documentReferences.length).toBeGreaterThanOrEqual(6);
    const encounters = new Map(
      data.encounters.map((encounter) => [`Encounter/${encounter.id ?? ''}`, encounter]),
    );
    for (const note of data.documentReferences) {
      expect(note.category?.[0]?.coding?.[0]).toMatchObject({
        system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
        code: 'clinical-note',
      });
      const encounter = encounters.get(note.context?.encounter?.[0]?.reference ?? '');
      expect(encounter?.subject?.reference, note.id).toBe(note.subject?.reference);
      expect(note.author?.[0]?.reference).toMatch(/^Practitioner\//);
    }
  });
});
