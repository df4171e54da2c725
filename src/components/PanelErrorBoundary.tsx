/**
 * Keeps a render crash inside one panel: the rest of the page stays usable (bulletproof-react's per-route
 * boundaries; React docs "Catching rendering errors with an error boundary"). "Try again" also resets failed
 * react-query queries below it (TanStack Query's QueryErrorResetBoundary), so a retry refetches. FHIR-agnostic.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { QueryErrorResetBoundary } from '@tanstack/react-query';

interface Props {
  readonly children: ReactNode;
  /** What failed, for the message ("the observation overview"). */
  readonly name: string;
  /** A sentence added to the message, e.g. "Any draft is kept." */
  readonly reassurance?: string;
  /** Changing any of these clears the error (navigating away and back retries the render). */
  readonly resetKeys?: readonly unknown[];
}

interface BoundaryProps extends Props {
  readonly onReset: () => void;
}

interface State {
  readonly error: Error | undefined;
  readonly resetKeys: readonly unknown[] | undefined;
}

class Boundary extends Component<BoundaryProps, State> {
  override state: State = { error: undefined, resetKeys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: State): Partial<State> | null {
    const changed =
      props.resetKeys !== undefined &&
      (state.resetKeys === undefined ||
        props.resetKeys.length !== state.resetKeys.length ||
        props.resetKeys.some((key, i) => !Object.is(key, state.resetKeys?.[i])));
    return changed ? { error: undefined, resetKeys: props.resetKeys } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Render error in ${this.props.name}`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="panel-error">
        <p>
          Something went wrong while showing {this.props.name}. The rest of MOVO-X still works.
          {this.props.reassurance ? ` ${this.props.reassurance}` : ''}
        </p>
        <button
          type="button"
          onClick={() => {
            this.props.onReset();
            this.setState({ error: undefined });
          }}
        >
          Try again
        </button>
      </div>
    );
  }
}

export function PanelErrorBoundary(props: Props) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => <Boundary {...props} onReset={reset} />}
    </QueryErrorResetBoundary>
  );
}
