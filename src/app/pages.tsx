/** Screens shown instead of the app: never a stack trace, never a blank page. */

/** Development only (set by `npm start`): where the sandbox EHR runs. */
const SANDBOX_EHR_URL: unknown = import.meta.env.DEV ? import.meta.env.VITE_SANDBOX_EHR_URL : undefined;

export function NoLaunchPage() {
  return (
    <main className="page-message">
      <h1>Open MOVO-X from the patient’s chart</h1>
      <p>
        MOVO-X works inside your EHR: open it from a patient’s chart (for example from the Apps or Activities
        menu) and it will show that patient.
      </p>
      <p>
        To choose an EHR yourself, <a href="launch.html">open MOVO-X’s sign-in page</a>.
      </p>
      {import.meta.env.DEV ? (
        <p>
          Developers:{' '}
          {typeof SANDBOX_EHR_URL === 'string' ? (
            <a href={SANDBOX_EHR_URL}>open the sandbox EHR</a>
          ) : (
            <>
              start the sandbox EHR with <code>npm start</code>
            </>
          )}{' '}
          and launch MOVO-X from its page.
        </p>
      ) : null}
    </main>
  );
}

export function LaunchFailedPage({ message }: { message: string }) {
  return (
    <main className="page-message">
      <h1>MOVO-X could not open</h1>
      <p role="alert">{message}</p>
      <p>Reopen MOVO-X from the patient’s chart. If this keeps happening, tell your EHR administrator.</p>
    </main>
  );
}
