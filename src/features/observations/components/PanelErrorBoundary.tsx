/**
 * Keeps a render crash inside one panel: the rest of the page stays usable (bulletproof-react's per-route
 * boundaries; React docs "Catching rendering errors with an error boundary"). FHIR-agnostic.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  readonly children: ReactNode;
  /** What failed, for the message ("the observation overview"). */
  readonly name: string;
  /** Changing any of these clears the error (navigating away and back retries the render). */
  readonly resetKeys?: readonly unknown[];
}

interface State {
  readonly error: Error | undefined;
  readonly resetKeys: readonly unknown[] | undefined;
}

export class PanelErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined, resetKeys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
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
      <div role="alert" className="obs-panel-error">
        <p>Something went wrong while showing {this.props.name}. The rest of MOVO-X still works.</p>
        <button
          type="button"
          onClick={() => {
            this.setState({ error: undefined });
          }}
        >
          Try again
        </button>
      </div>
    );
  }
}
