import type { EventName, MethodName } from './types.gen';
import { portalError, type Transport } from './transport';

/**
 * window.go.desktop.Bridge: each API method by its Go name
 * (app/desktop/bridge_gen.go), taking its arguments in order, and the
 * window's own PickFolder and TakeRoute.
 */
export type WailsBridge = Record<MethodName, (...args: unknown[]) => Promise<unknown>> & {
  PickFolder(title: string): Promise<string>;
  TakeRoute(): Promise<string>;
};

/** The parts of the Wails runtime the frontend uses. */
export interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void;
  BrowserOpenURL(url: string): void;
  WindowSetTitle(title: string): void;
}

/**
 * The window's own event (app/desktop/navigate.go): a route waits in
 * Bridge.TakeRoute. Not a portal event: no other front end navigates.
 */
const NAVIGATE_EVENT = 'window:navigate';

declare global {
  interface Window {
    go?: { desktop?: { Bridge?: WailsBridge } };
    runtime?: WailsRuntime;
  }
}

export function wailsBridge(): WailsBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.go?.desktop?.Bridge;
}

/** The portal through the window's bindings; events come from the Wails runtime. */
export class WailsTransport implements Transport {
  constructor(private readonly bridge: WailsBridge) {}

  async call(method: MethodName, args: unknown[]): Promise<unknown> {
    try {
      return await this.bridge[method](...args);
    } catch (e) {
      throw portalError(e);
    }
  }

  subscribe(name: EventName, cb: (data: unknown) => void): () => void {
    const runtime = window.runtime;
    if (!runtime) return () => {};
    return runtime.EventsOn(name, (data) => cb(data));
  }

  setTitle(title: string): void {
    window.runtime?.WindowSetTitle(title);
  }

  onRoute(cb: (route: string) => void): () => void {
    let stopped = false;
    // The route is taken, not sent: one sent while the page loaded waits
    // for this first take, and each is shown once.
    const take = () => {
      this.bridge.TakeRoute().then(
        (route) => {
          if (route && !stopped) cb(route);
        },
        () => {}, // a window without routes to give: nothing to show
      );
    };
    const off = window.runtime?.EventsOn(NAVIGATE_EVENT, take);
    take();
    return () => {
      stopped = true;
      off?.();
    };
  }

  async pickFolder(title: string): Promise<string | undefined> {
    try {
      return (await this.bridge.PickFolder(title)) || undefined;
    } catch (e) {
      throw portalError(e);
    }
  }
}
