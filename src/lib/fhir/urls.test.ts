import { describe, expect, it } from 'vitest';
import { resolveFhirUrl, resolveOnFhirServer } from './urls.ts';

const BASE = 'https://ehr.test/fhir';

describe('resolveOnFhirServer', () => {
  it('accepts relative and same-base URLs and refuses other origins and sibling paths', () => {
    expect(resolveOnFhirServer('Binary/1', BASE)).toBe('https://ehr.test/fhir/Binary/1');
    expect(resolveOnFhirServer('https://ehr.test/fhir?_getpages=x', BASE)).toBe(
      'https://ehr.test/fhir?_getpages=x',
    );
    expect(resolveOnFhirServer('https://ehr.test/fhirx/Binary/1', BASE)).toBeUndefined();
    expect(resolveOnFhirServer('https://ehr.test.evil.test/fhir/Binary/1', BASE)).toBeUndefined();
    expect(resolveOnFhirServer('//evil.test/fhir/Binary/1', BASE)).toBeUndefined();
    expect(resolveOnFhirServer('javascript:alert(1)', BASE)).toBeUndefined();
  });
});

describe('resolveFhirUrl', () => {
  it('resolves relative references under the FHIR base, with or without its trailing slash', () => {
    expect(resolveFhirUrl('DocumentReference?patient=1', BASE)).toBe(
      'https://ehr.test/fhir/DocumentReference?patient=1',
    );
    expect(resolveFhirUrl('Binary/1', `${BASE}/`)).toBe('https://ehr.test/fhir/Binary/1');
    expect(resolveFhirUrl('https://ehr.test/fhir/Observation?page=2', BASE)).toBe(
      'https://ehr.test/fhir/Observation?page=2',
    );
  });
});
