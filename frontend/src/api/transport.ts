import type { ErrorCode, EventName, MethodName, PortalError as WireError } from './types.gen';

/**
 * How the client reaches the portal: the Wails window's bindings or HTTP.
 * The typed methods are generated (client.gen.ts); a transport only moves
 * a call by its method's Go name and its arguments in declaration order.
 */
export interface Transport {
  /** Calls an API method; rejects with a PortalError. */
  call(method: MethodName, args: unknown[]): Promise<unknown>;
  /** Calls cb with each event of that name; returns the function that stops it. */
  subscribe(name: EventName, cb: (data: unknown) => void): () => void;
  /** The system's folder dialog; only the window has one (undefined when cancelled). */
  pickFolder?(title: string): Promise<string | undefined>;
  /** Sets the window's title; only the window has one. */
  setTitle?(title: string): void;
  /**
   * Calls cb with each UI route the window is asked to show (a
   * callboard:// link's), the one it was started at first; returns the
   * function that stops it. Only the window is sent links.
   */
  onRoute?(cb: (route: string) => void): () => void;
}

/**
 * An error the portal reported, as it crosses every transport: code says
 * which kind it is, and the UI branches on it, never on the message;
 * field, file and line say where in a catalog file, when it is in one.
 */
export class PortalError extends Error implements WireError {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly file?: string;
  readonly line?: number;

  constructor(e: WireError) {
    super(e.message);
    this.name = 'PortalError';
    this.code = e.code;
    if (e.field) this.field = e.field;
    if (e.file) this.file = e.file;
    if (e.line) this.line = e.line;
  }
}

const codes: readonly ErrorCode[] = ['not_found', 'invalid', 'conflict', 'unavailable', 'canceled', 'internal'];

function isWireError(v: unknown): v is WireError {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.message === 'string' && codes.includes(e.code as ErrorCode);
}

/**
 * e as a PortalError: the contract's error object, or its JSON text (how
 * the window's promises carry it), or else an internal error with e's text.
 */
export function portalError(e: unknown): PortalError {
  if (e instanceof PortalError) return e;
  if (isWireError(e)) return new PortalError(e);
  const text = e instanceof Error ? e.message : String(e);
  try {
    const parsed: unknown = JSON.parse(text);
    if (isWireError(parsed)) return new PortalError(parsed);
  } catch {
    // not JSON: a message of its own
  }
  return new PortalError({ code: 'internal', message: text });
}
