import { queryOptions, skipToken } from '@tanstack/react-query';
import type { Encounter, Patient, Practitioner } from 'fhir/r4';
import { fhirRequest } from '../../../lib/fhir/request.ts';
import { launchKey, type Session } from '../../../session/session.ts';
import { encounterSummary, patientBanner, practitionerName } from '../model/people.ts';

export const patientKeys = {
  patient: (session: Session) => [...launchKey(session.identity), 'patient'] as const,
  clinician: (session: Session, practitioner: string | undefined) =>
    [...launchKey(session.identity), 'clinician', practitioner ?? 'none'] as const,
  encounter: (session: Session, encounterId: string | undefined) =>
    [...launchKey(session.identity), 'encounter', encounterId ?? 'none'] as const,
};

function read<T>(session: Session, url: string, signal: AbortSignal): Promise<T> {
  return fhirRequest<T>(session.client, { url, signal });
}

export function patientBannerOptions(session: Session) {
  return queryOptions({
    queryKey: patientKeys.patient(session),
    queryFn: async ({ signal }) =>
      patientBanner(
        await read<Patient>(session, `Patient/${encodeURIComponent(session.identity.patientId)}`, signal),
        new Date(),
      ),
  });
}

/** `fhirUser` may name a Practitioner, a PractitionerRole-less user, or be absent: read only Practitioners. */
export function clinicianOptions(session: Session) {
  const practitioner = session.fhirUser?.startsWith('Practitioner/') ? session.fhirUser : undefined;
  return queryOptions({
    queryKey: patientKeys.clinician(session, practitioner),
    queryFn:
      practitioner && session.capabilities.readPractitioner
        ? async ({ signal }) => practitionerName(await read<Practitioner>(session, practitioner, signal))
        : skipToken,
  });
}

export function encounterOptions(session: Session) {
  const { encounterId } = session;
  return queryOptions({
    queryKey: patientKeys.encounter(session, encounterId),
    queryFn:
      encounterId && session.capabilities.readEncounter
        ? async ({ signal }) =>
            encounterSummary(
              await read<Encounter>(session, `Encounter/${encodeURIComponent(encounterId)}`, signal),
            )
        : skipToken,
  });
}
