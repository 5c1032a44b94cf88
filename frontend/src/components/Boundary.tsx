import type { ErrorInfo, ReactNode } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { CircleExclamationPoint, RefreshCw } from 'lucide-react';
import { errorMessage, reportError } from '../errors';

interface BoundaryProps {
  /** What the user lost, as the message's subject: "This card", "This tab", "This page". */
  label: string;
  /** What failed, for the log: "card About", "plugin view ci/runs", "tab graph". */
  where: string;
  /** A change of any of these tries again (a new page, a new entity). */
  resetKeys?: unknown[];
  children: ReactNode;
}

/**
 * Keeps an error in one part of the window from taking the rest with it:
 * the part says what failed, with a Retry, and the error goes to the log.
 */
export function Boundary({ label, where, resetKeys, children }: BoundaryProps) {
  const onError = (error: unknown, info: ErrorInfo) => reportError('boundary', error, where, info.componentStack ?? undefined);
  return (
    <ErrorBoundary resetKeys={resetKeys} onError={onError} fallbackRender={(props) => <BoundaryError label={label} {...props} />}>
      {children}
    </ErrorBoundary>
  );
}

function BoundaryError({ label, error, resetErrorBoundary }: FallbackProps & { label: string }) {
  return (
    <div className="boundary-error" role="alert" data-testid="error-card">
      <CircleExclamationPoint size={16} aria-hidden="true" />
      <p>
        {label} could not be shown: <span className="boundary-message">{errorMessage(error)}</span>
      </p>
      <button type="button" className="button button-small" onClick={resetErrorBoundary}>
        <RefreshCw size={13} aria-hidden="true" /> Retry
      </button>
    </div>
  );
}

/** The last resort: the shell itself failed. Reload starts the UI again; the app and its data are untouched. */
export function ShellError({ error }: FallbackProps) {
  return (
    <div className="shell-error" role="alert" data-testid="shell-error">
      <CircleExclamationPoint size={32} aria-hidden="true" />
      <h1>Callboard could not draw this window</h1>
      <p className="state-message">{errorMessage(error)}</p>
      <p className="muted">Your catalog, edits and runs are safe: they live in the app, not in this page.</p>
      <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
        <RefreshCw size={14} aria-hidden="true" /> Reload
      </button>
    </div>
  );
}
