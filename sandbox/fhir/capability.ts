/**
 * `GET {fhirBase}/metadata`: the CapabilityStatement (FHIR R4 http.html#capabilities) Medplum's router does not
 * provide. It lists what the sandbox really does, including the SMART OAuth endpoints
 * (http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris).
 */
import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';
import { AUTHORIZE_PATH, TOKEN_PATH } from '../oauth/discovery.ts';
import type { FhirBase } from '../oauth/store.ts';

const SEARCH_PARAMS: Partial<
  Record<ResourceType, [name: string, type: 'token' | 'reference' | 'date' | 'string'][]>
> = {
  Patient: [
    ['_id', 'token'],
    ['identifier', 'token'],
    ['name', 'string'],
    ['birthdate', 'date'],
  ],
  Practitioner: [
    ['_id', 'token'],
    ['identifier', 'token'],
  ],
  Encounter: [
    ['_id', 'token'],
    ['patient', 'reference'],
    ['subject', 'reference'],
    ['date', 'date'],
    ['status', 'token'],
    ['type', 'token'],
    ['class', 'token'],
    ['identifier', 'token'],
  ],
  Observation: [
    ['_id', 'token'],
    ['patient', 'reference'],
    ['subject', 'reference'],
    ['encounter', 'reference'],
    ['category', 'token'],
    ['code', 'token'],
    ['date', 'date'],
    ['status', 'token'],
    ['identifier', 'token'],
  ],
  DocumentReference: [
    ['_id', 'token'],
    ['patient', 'reference'],
    ['subject', 'reference'],
    ['encounter', 'reference'],
    ['category', 'token'],
    ['type', 'token'],
    ['date', 'date'],
    ['status', 'token'],
    ['identifier', 'token'],
  ],
};

function resource(type: ResourceType): CapabilityStatementRestResource {
  return {
    type,
    interaction: [
      { code: 'read' },
      { code: 'vread' },
      { code: 'search-type' },
      { code: 'create' },
      { code: 'update' },
    ],
    versioning: 'versioned',
    updateCreate: false,
    conditionalCreate: true,
    searchParam: (SEARCH_PARAMS[type] ?? []).map(([name, paramType]) => ({ name, type: paramType })),
    searchInclude: [],
  };
}

export function capabilityStatement(origin: string, base: FhirBase, startedAt: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: startedAt,
    kind: 'instance',
    publisher: 'MOVO-X sandbox EHR',
    software: { name: 'MOVO-X sandbox EHR (Medplum fhir-router 4.5.2)' },
    implementation: { description: 'Local SMART on FHIR sandbox for MOVO-X', url: base.url },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: origin + AUTHORIZE_PATH },
                { url: 'token', valueUri: origin + TOKEN_PATH },
              ],
            },
          ],
        },
        resource: (Object.keys(SEARCH_PARAMS) as ResourceType[]).map(resource),
      },
    ],
  };
}
