import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { PanelErrorBoundary } from './PanelErrorBoundary.tsx';

let shouldThrow = true;
function Fragile() {
  if (shouldThrow) throw new Error('boom');
  return <p>Recovered content</p>;
}

describe('PanelErrorBoundary', () => {
  it('keeps a render crash inside the panel; "Try again" re-renders it', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    shouldThrow = true;
    render(
      <>
        <p>Neighbour panel</p>
        <PanelErrorBoundary name="the chart">
          <Fragile />
        </PanelErrorBoundary>
      </>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong while showing the chart.');
    expect(screen.getByText('Neighbour panel')).toBeInTheDocument();
    shouldThrow = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('Recovered content')).toBeInTheDocument();
    consoleError.mockRestore();
  });

  it('clears the error when its reset keys change (navigation)', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    shouldThrow = true;
    function Host() {
      const [key, setKey] = useState('a');
      return (
        <>
          <button
            type="button"
            onClick={() => {
              shouldThrow = false;
              setKey('b');
            }}
          >
            Open another
          </button>
          <PanelErrorBoundary name="the detail" resetKeys={[key]}>
            <Fragile />
          </PanelErrorBoundary>
        </>
      );
    }
    render(<Host />);
    expect(screen.getByRole('alert')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Open another' }));
    expect(screen.getByText('Recovered content')).toBeInTheDocument();
    consoleError.mockRestore();
  });
});
