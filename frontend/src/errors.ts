import type { FrontendError } from './api/types.gen';

/**
 * Errors the UI meets go to the Go side's log: a desktop window has no
 * developer tools to show them, and a test reads the log to fail on them.
 * One sink for the page; until it is installed (unit tests) reports are dropped.
 */
type Sink = (e: FrontendError) => Promise<void>;

let sink: Sink | undefined;
const seen = new Map<string, number>();
let sent = 0;
// A render loop must not turn into a request loop.
const MAX_SAME = 3;
const MAX_PER_PAGE = 100;
const MAX_MESSAGE = 2000;
const MAX_STACK = 8000;

/**
 * The error's message, whatever was thrown, with its causes': React wraps
 * an error it recovered from in one of its own (#520, "an error during
 * concurrent rendering"), whose message says nothing of what threw.
 */
export function errorMessage(thrown: unknown, depth = 0): string {
  if (thrown instanceof Error) {
    const own = thrown.message ? `${thrown.name}: ${thrown.message}` : thrown.name;
    return thrown.cause !== undefined && depth < 3 ? `${own} (cause: ${errorMessage(thrown.cause, depth + 1)})` : own;
  }
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}

/** The app's route: the hash router's path, else the URL's. */
export function currentRoute(): string {
  if (typeof window === 'undefined') return '';
  const hash = window.location.hash.replace(/^#/, '');
  return (hash || window.location.pathname).replace(/([?&])token=[^&]*/g, '$1token=…');
}

/** Sends one report, unless the same one went out often enough already. */
export function reportError(kind: FrontendError['kind'], thrown: unknown, where?: string, extraStack?: string): void {
  if (!sink) return;
  const message = errorMessage(thrown).slice(0, MAX_MESSAGE);
  const key = `${kind}\0${where ?? ''}\0${message}`;
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  if (n > MAX_SAME || sent >= MAX_PER_PAGE) return;
  sent++;
  const cause = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause.stack : undefined;
  const stack = [thrown instanceof Error ? thrown.stack : undefined, cause && `caused by: ${cause}`, extraStack].filter(Boolean).join('\n').slice(0, MAX_STACK);
  const report: FrontendError = { kind, route: currentRoute(), message, ...(where ? { where } : {}), ...(stack ? { stack } : {}) };
  // A report that cannot be sent is dropped: reporting it would loop.
  sink(report).catch(() => undefined);
}

/**
 * React's root options: boundaries report what they catch themselves (with
 * where it happened), so React's own console line for it would be a
 * duplicate; what no boundary caught is reported here.
 */
export const rootErrorOptions = {
  onCaughtError: () => undefined,
  onUncaughtError: (error: unknown, info: { componentStack?: string }) => reportError('error', error, 'root', info.componentStack),
  // React recovered by rendering again, but a render threw: a bug all the
  // same, reported with what threw and where, not React's console line.
  onRecoverableError: (error: unknown, info: { componentStack?: string }) => reportError('error', error, 'root (recovered)', info.componentStack),
};

/**
 * Sends every error nothing caught, every unhandled rejection and every
 * console.error to send; returns a function that stops it.
 */
export function installErrorReporting(send: Sink): () => void {
  sink = send;
  const onError = (e: ErrorEvent) => reportError('error', e.error ?? e.message, e.filename ? `${e.filename}:${e.lineno}:${e.colno}` : undefined);
  const onRejection = (e: PromiseRejectionEvent) => reportError('unhandledrejection', e.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  const original = console.error;
  console.error = (...args: unknown[]) => {
    original.apply(console, args);
    reportError('console', args.map((a) => (a instanceof Error ? errorMessage(a) : typeof a === 'string' ? a : errorMessage(a))).join(' '));
  };
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    console.error = original;
    sink = undefined;
    seen.clear();
    sent = 0;
  };
}
