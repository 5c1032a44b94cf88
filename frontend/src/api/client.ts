import { PortalBase } from './client.gen';
import { HttpTransport } from './http';
import { WailsTransport, wailsBridge } from './wails';

export { PortalError, type Transport } from './transport';

/**
 * The one typed client every page uses: the generated methods, one per
 * method of app/portal.API, and what only some transports have.
 */
export class PortalClient extends PortalBase {
  /** The system's folder dialog, where there is one (the window); undefined in a browser. */
  get pickFolder(): ((title: string) => Promise<string | undefined>) | undefined {
    const t = this.transport;
    return t.pickFolder ? (title) => t.pickFolder!(title) : undefined;
  }

  /** Whether the UI runs in the desktop window (else in a browser, over HTTP). */
  get inWindow(): boolean {
    return this.transport.onRoute !== undefined;
  }

  /** Sets the window's title; nothing in a browser (the page's title is the document's). */
  setTitle(title: string): void {
    this.transport.setTitle?.(title);
  }

  /** Follows the routes the window is asked to show (see Transport.onRoute); nothing in a browser. */
  onRoute(cb: (route: string) => void): () => void {
    return this.transport.onRoute?.(cb) ?? (() => {});
  }
}

/** The client for where the page runs: the Wails window when its bridge is bound, else HTTP. */
export function createClient(): PortalClient {
  const bridge = wailsBridge();
  return new PortalClient(bridge ? new WailsTransport(bridge) : new HttpTransport());
}
