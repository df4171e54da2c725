import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { App } from './App.tsx';
import { SessionEndedDialog } from './SessionEndedDialog.tsx';
import { reportSessionEnded, resetSessionStatus } from '../session/sessionStatus.ts';

describe('App before a session', () => {
  it('opened without a launch: says to open MOVO-X from the chart, never a blank page', () => {
    render(<App start={{ state: 'no-launch' }} />);
    expect(screen.getByRole('heading', { name: 'Open MOVO-X from the patient’s chart' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'open MOVO-X’s sign-in page' })).toHaveAttribute(
      'href',
      'launch.html',
    );
  });

  it('a failed launch says what happened and what to do', () => {
    render(<App start={{ state: 'failed', message: 'invalid_grant: The code has expired.' }} />);
    expect(screen.getByRole('heading', { name: 'MOVO-X could not open' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('invalid_grant: The code has expired.');
    expect(screen.getByText(/Reopen MOVO-X from the patient’s chart/)).toBeInTheDocument();
  });
});

describe('SessionEndedDialog', () => {
  it('appears over the app when the session ends, and says drafts are kept', () => {
    resetSessionStatus();
    render(
      <>
        <textarea aria-label="Note text" defaultValue="Half-written note" />
        <SessionEndedDialog />
      </>,
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    act(() => {
      reportSessionEnded('The EHR did not renew MOVO-X’s access.');
    });
    expect(
      screen.getByRole('dialog', { name: /Session ended: reopen MOVO-X from the patient’s chart/ }),
    ).toHaveTextContent('The EHR did not renew MOVO-X’s access.');
    // The app beneath stays mounted: what was typed is still there.
    expect(screen.getByLabelText('Note text')).toHaveValue('Half-written note');
    resetSessionStatus();
  });
});
