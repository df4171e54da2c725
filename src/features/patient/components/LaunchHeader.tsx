/**
 * The top of the app: the patient banner (unless the EHR shows its own: SMART `need_patient_banner: false`),
 * the signed-in clinician and the encounter in context.
 */
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../../session/session.ts';
import { clinicianOptions, encounterOptions, patientBannerOptions } from '../api/queries.ts';

function PatientBannerLine() {
  const session = useSession();
  const banner = useQuery(patientBannerOptions(session));
  if (banner.isPending)
    return (
      <p className="banner-line" aria-busy="true">
        Loading patient…
      </p>
    );
  if (banner.isError) {
    return (
      <p className="banner-line" role="alert">
        The patient’s details could not be loaded: {banner.error.message}{' '}
        <button type="button" onClick={() => void banner.refetch()}>
          Try again
        </button>
      </p>
    );
  }
  const { name, sex, birthDate, age, mrn, deceased } = banner.data;
  return (
    <section className="patient-banner" aria-label="Patient">
      <h1 className="patient-name">{name}</h1>
      <dl className="patient-facts">
        <div>
          <dt>Sex</dt>
          <dd>{sex}</dd>
        </div>
        <div>
          <dt>Born</dt>
          <dd>
            {birthDate ?? 'Unknown'}
            {age ? ` (${age})` : ''}
          </dd>
        </div>
        {mrn ? (
          <div>
            <dt>MRN</dt>
            <dd>{mrn}</dd>
          </div>
        ) : null}
        {deceased ? (
          <div>
            <dt>Status</dt>
            <dd>Deceased</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

function ClinicianAndEncounter() {
  const session = useSession();
  const clinician = useQuery(clinicianOptions(session));
  const encounter = useQuery(encounterOptions(session));
  const clinicianText =
    clinician.data ??
    (clinician.isError ? 'Unknown clinician' : session.fhirUser ? 'Loading…' : 'Unknown clinician');
  return (
    <dl className="context-line">
      <div>
        <dt>Signed in</dt>
        <dd data-testid="clinician-name">{clinicianText}</dd>
      </div>
      {session.encounterId ? (
        <div>
          <dt>Encounter</dt>
          <dd data-testid="encounter">
            {encounter.data
              ? `${encounter.data.label}${encounter.data.period ? `, ${encounter.data.period}` : ''}`
              : encounter.isError
                ? 'Not readable'
                : 'Loading…'}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

export function LaunchHeader() {
  const session = useSession();
  return (
    <header className="launch-header">
      {session.needPatientBanner ? <PatientBannerLine /> : <h1 className="visually-hidden">MOVO-X</h1>}
      <ClinicianAndEncounter />
    </header>
  );
}
