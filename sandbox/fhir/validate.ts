/**
 * Validation on write: Medplum's R4 validator (structure, cardinality, types, formats) plus the required bindings
 * and references it does not check, and the rules an EHR applies to clinical notes (Epic and Oracle Health refuse
 * a DocumentReference without a patient or without attached content; see /work/shared/smart-facts.md).
 */
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

/** Required status bindings (R4 value sets) that Medplum's validator leaves unchecked. */
const REQUIRED_STATUS: Readonly<Record<string, readonly string[]>> = {
  Observation: [
    'registered',
    'preliminary',
    'final',
    'amended',
    'corrected',
    'cancelled',
    'entered-in-error',
    'unknown',
  ],
  DocumentReference: ['current', 'superseded', 'entered-in-error'],
  Encounter: [
    'planned',
    'arrived',
    'triaged',
    'in-progress',
    'onleave',
    'finished',
    'cancelled',
    'entered-in-error',
    'unknown',
  ],
};
const DOC_STATUS = ['preliminary', 'final', 'amended', 'entered-in-error'];

export function issue(
  diagnostics: string,
  expression?: string,
  code: OperationOutcomeIssue['code'] = 'invalid',
): OperationOutcomeIssue {
  return {
    severity: 'error',
    code,
    details: { text: diagnostics },
    diagnostics,
    ...(expression ? { expression: [expression] } : {}),
  };
}

/** Structural problems by Medplum's validator, as issues that name the element. */
function structuralIssues(resource: Resource): OperationOutcomeIssue[] {
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues = error.outcome.issue;
  }
  // A warning about two value[x] choices is an error in FHIR (ele-1 / choice types have one value).
  return issues
    .filter(
      (each) =>
        each.severity === 'error' ||
        each.severity === 'fatal' ||
        /Conflicting choice/.test(each.details?.text ?? ''),
    )
    .map((each) => {
      const where = each.expression?.[0];
      const text = each.details?.text ?? each.diagnostics ?? 'Invalid';
      return issue(where ? `${where}: ${text}` : text, where, each.code);
    });
}

export interface ReferenceChecker {
  /** The referenced resource, or undefined when it does not exist. */
  resolve(reference: string): Promise<Resource | undefined>;
}

/** Every problem with a resource about to be written; an empty list means it may be stored. */
export async function validateForWrite(
  resource: Resource,
  references: ReferenceChecker,
): Promise<OperationOutcomeIssue[]> {
  const issues = structuralIssues(resource);
  const type = resource.resourceType;
  const record = resource as unknown as Record<string, unknown>;
  const allowedStatus = REQUIRED_STATUS[type];
  if (allowedStatus && typeof record.status === 'string' && !allowedStatus.includes(record.status)) {
    issues.push(
      issue(
        `${type}.status: "${record.status}" is not one of ${allowedStatus.join(', ')}`,
        `${type}.status`,
        'code-invalid',
      ),
    );
  }

  const subject = (record.subject as { reference?: unknown } | undefined)?.reference;
  let patientId: string | undefined;
  if (typeof subject === 'string') {
    if (subject.startsWith('Patient/')) patientId = subject.slice('Patient/'.length);
    if (!(await references.resolve(subject))) {
      issues.push(
        issue(`${type}.subject: ${subject} does not exist on this server`, `${type}.subject`, 'not-found'),
      );
    }
  }

  if (resource.resourceType === 'DocumentReference') {
    if (!resource.subject?.reference) {
      issues.push(
        issue(
          'DocumentReference.subject: a clinical note needs the patient it is about',
          'DocumentReference.subject',
          'required',
        ),
      );
    }
    if (resource.docStatus !== undefined && !DOC_STATUS.includes(resource.docStatus)) {
      issues.push(
        issue(
          `DocumentReference.docStatus: "${resource.docStatus}" is not one of ${DOC_STATUS.join(', ')}`,
          'DocumentReference.docStatus',
          'code-invalid',
        ),
      );
    }
    resource.content.forEach((content, index) => {
      const where = `DocumentReference.content[${index}].attachment`;
      const attachment = content.attachment as typeof content.attachment | undefined;
      if (!attachment) return; // reported by the structural check
      if (!attachment.contentType)
        issues.push(issue(`${where}.contentType: required`, `${where}.contentType`, 'required'));
      if (!attachment.data && !attachment.url) {
        issues.push(issue(`${where}: needs data (base64) or url`, where, 'required'));
      }
    });
    for (const [index, encounter] of (resource.context?.encounter ?? []).entries()) {
      const where = `DocumentReference.context.encounter[${index}]`;
      if (!encounter.reference) continue;
      const found = await references.resolve(encounter.reference);
      if (!found) {
        issues.push(
          issue(`${where}: ${encounter.reference} does not exist on this server`, where, 'not-found'),
        );
      } else if (
        found.resourceType === 'Encounter' &&
        patientId &&
        found.subject?.reference !== `Patient/${patientId}`
      ) {
        issues.push(
          issue(`${where}: ${encounter.reference} belongs to another patient`, where, 'business-rule'),
        );
      }
    }
  }
  return issues;
}
