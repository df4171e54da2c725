/**
 * Keeps a failure inside the notes panel from blanking the app (bulletproof-react's per-route boundaries;
 * TanStack Query's QueryErrorResetBoundary so "Try again" refetches). A shared src/components/PanelErrorBoundary
 * did not exist when this was written; replace this with it if one appears.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { QueryErrorResetBoundary } from '@tanstack/react-query';

interface Props {
  readonly title: string;
  readonly children: ReactNode;
}

interface InnerProps extends Props {
  readonly onReset: () => void;
}

class Boundary extends Component<InnerProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`MOVO-X: ${this.props.title} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="notes-message notes-error">
        <p>{this.props.title} could not be shown because of an error in MOVO-X. Any draft is kept.</p>
        <button
          type="button"
          onClick={() => {
            this.props.onReset();
            this.setState({ failed: false });
          }}
        >
          Try again
        </button>
      </div>
    );
  }
}

export function NotesErrorBoundary({ title, children }: Props) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <Boundary title={title} onReset={reset}>
          {children}
        </Boundary>
      )}
    </QueryErrorResetBoundary>
  );
}
