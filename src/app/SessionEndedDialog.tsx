import { useEffect, useRef } from 'react';
import { useSessionStatus } from '../session/sessionStatus.ts';

/**
 * Shown over the app when the session can no longer be renewed. A SMART app cannot sign the clinician in again
 * by itself: only the EHR can relaunch it. The app stays mounted beneath, and drafts are kept locally.
 */
export function SessionEndedDialog() {
  const status = useSessionStatus();
  const dialog = useRef<HTMLDialogElement>(null);
  const ended = status.state === 'ended';
  useEffect(() => {
    const element = dialog.current;
    if (ended && element && !element.open) {
      // showModal() where supported (keeps focus inside); a plain open attribute otherwise (jsdom).
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
  }, [ended]);
  if (!ended) return null;
  return (
    <dialog
      ref={dialog}
      className="session-ended"
      aria-labelledby="session-ended-title"
      onCancel={(event) => {
        event.preventDefault();
      }}
    >
      <h2 id="session-ended-title">Session ended: reopen MOVO-X from the patient’s chart</h2>
      <p>{status.reason}</p>
      <p>
        Anything you were writing is kept on this computer: it will be offered back when you reopen MOVO-X for
        this patient.
      </p>
    </dialog>
  );
}
