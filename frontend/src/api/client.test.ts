import { afterEach, describe, expect, it, vi } from 'vitest';
import { PortalClient, PortalError, createClient } from './client';
import { HttpTransport } from './http';
import { WailsTransport, type WailsBridge } from './wails';
import { methodNames, type MethodName } from './types.gen';

/** A bridge whose every method answers {} unless overridden. */
function fakeBridge(overrides: Partial<Record<MethodName | 'PickFolder' | 'TakeRoute', (...args: never[]) => Promise<unknown>>> = {}): WailsBridge {
  const bridge: Record<string, unknown> = { PickFolder: vi.fn(async () => ''), TakeRoute: vi.fn(async () => '') };
  for (const m of methodNames) bridge[m] = vi.fn(async () => ({}));
  return { ...bridge, ...overrides } as unknown as WailsBridge;
}

afterEach(() => {
  delete window.go;
  delete window.runtime;
  vi.unstubAllGlobals();
});

describe('createClient', () => {
  it('uses the Wails bridge when the window has one', async () => {
    const bridge = fakeBridge({ Info: vi.fn(async () => ({ version: 'wails' })) });
    window.go = { desktop: { Bridge: bridge } };
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const info = await createClient().info();
    expect(info.version).toBe('wails');
    expect(bridge.Info).toHaveBeenCalledOnce();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('uses HTTP otherwise', async () => {
    window.go = { desktop: {} };
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ version: 'http' })));
    vi.stubGlobal('fetch', fetchMock);
    expect((await createClient().info()).version).toBe('http');
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/info', expect.objectContaining({ method: 'GET' }));
  });
});

describe('WailsTransport', () => {
  it('passes the arguments to the bound methods in order', async () => {
    const bridge = fakeBridge();
    const client = new PortalClient(new WailsTransport(bridge));
    await client.listEntities({ kind: 'component', filters: { 'spec.type': 'service' } });
    expect(bridge.ListEntities).toHaveBeenCalledWith({ kind: 'component', filters: { 'spec.type': 'service' } });
    await client.history('api:default/payments', 20);
    expect(bridge.History).toHaveBeenCalledWith('api:default/payments', 20);
    await client.sync('');
    expect(bridge.Sync).toHaveBeenCalledWith('');
    await client.resolveConflict('demo/1', 'mine');
    expect(bridge.ResolveConflict).toHaveBeenCalledWith('demo/1', 'mine');
  });

  it('offers the folder dialog in the window only; a cancelled dialog is undefined', async () => {
    const bridge = fakeBridge({ PickFolder: vi.fn(async () => '/home/ada/src') });
    const pick = new PortalClient(new WailsTransport(bridge)).pickFolder;
    expect(await pick?.('Where')).toBe('/home/ada/src');
    expect(bridge.PickFolder).toHaveBeenCalledWith('Where');
    const cancelled = new PortalClient(new WailsTransport(fakeBridge())).pickFolder;
    expect(await cancelled?.('Where')).toBeUndefined();
    window.go = { desktop: {} };
    expect(createClient().pickFolder).toBeUndefined();
  });

  it('turns what a bound method rejects with into a PortalError with its code', async () => {
    const body = { code: 'invalid', message: 'refused: catalog-info.yaml:4: metadata.name: not a name', file: 'catalog-info.yaml', line: 4, field: 'metadata.name' };
    const t = new PortalClient(
      new WailsTransport(
        fakeBridge({
          // The window's ErrorFormatter sends the error object as JSON text; Wails wraps it in an Error.
          WriteFile: () => Promise.reject(new Error(JSON.stringify(body))),
          GetEntity: () => Promise.reject(new Error(JSON.stringify({ code: 'not_found', message: 'entity component:default/x: not found' }))),
          // A Wails that passes the object through as it is.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          Outbox: () => Promise.reject({ code: 'conflict', message: 'taken' }),
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          Info: () => Promise.reject('store closed'),
        }),
      ),
    );
    const refused = (await t.writeFile({ locationId: 'demo', path: 'catalog-info.yaml', message: 'x' }).catch((e: unknown) => e)) as PortalError;
    expect(refused).toBeInstanceOf(PortalError);
    expect([refused.code, refused.message, refused.file, refused.line, refused.field]).toEqual(['invalid', body.message, 'catalog-info.yaml', 4, 'metadata.name']);
    const notFound = (await t.getEntity('component:default/x').catch((e: unknown) => e)) as PortalError;
    expect([notFound.code, notFound.message]).toEqual(['not_found', 'entity component:default/x: not found']);
    expect(((await t.outbox().catch((e: unknown) => e)) as PortalError).code).toBe('conflict');
    const other = (await t.info().catch((e: unknown) => e)) as PortalError;
    expect([other.code, other.message]).toEqual(['internal', 'store closed']);
  });

  it('subscribes through the runtime and returns its unsubscribe', () => {
    const off = vi.fn();
    let handler: ((...data: unknown[]) => void) | undefined;
    window.runtime = {
      EventsOn: vi.fn((_name: string, cb: (...data: unknown[]) => void) => {
        handler = cb;
        return off;
      }),
      BrowserOpenURL: vi.fn(),
      WindowSetTitle: vi.fn(),
    };
    const got: string[] = [];
    const unsubscribe = new PortalClient(new WailsTransport(fakeBridge())).subscribe('sync:done', (d) => got.push(d.locationId));
    expect(window.runtime.EventsOn).toHaveBeenCalledWith('sync:done', expect.any(Function));
    handler?.({ locationId: 'demo' });
    expect(got).toEqual(['demo']);
    unsubscribe();
    expect(off).toHaveBeenCalledOnce();
  });

  it('takes the route the window was started at, then each it is sent, once', async () => {
    let navigate: (() => void) | undefined;
    const off = vi.fn();
    window.runtime = {
      EventsOn: vi.fn((_name: string, cb: () => void) => {
        navigate = cb;
        return off;
      }),
      BrowserOpenURL: vi.fn(),
      WindowSetTitle: vi.fn(),
    };
    const pending = ['/catalog/component/default/payments', '', '/search?q=x'];
    const bridge = fakeBridge({ TakeRoute: vi.fn(async () => pending.shift() ?? '') });
    const client = new PortalClient(new WailsTransport(bridge));
    expect(client.inWindow).toBe(true);
    const routes: string[] = [];
    const stop = client.onRoute((r) => routes.push(r));
    expect(window.runtime.EventsOn).toHaveBeenCalledWith('window:navigate', expect.any(Function));
    await vi.waitFor(() => expect(routes).toEqual(['/catalog/component/default/payments']));
    navigate?.(); // nothing waits
    navigate?.();
    await vi.waitFor(() => expect(routes).toEqual(['/catalog/component/default/payments', '/search?q=x']));
    stop();
    expect(off).toHaveBeenCalledOnce();
    client.setTitle('payments — Callboard');
    expect(window.runtime.WindowSetTitle).toHaveBeenCalledWith('payments — Callboard');
  });
});

describe('HttpTransport', () => {
  it('is not the window: no title to set, no routes sent', () => {
    const client = new PortalClient(new HttpTransport());
    expect(client.inWindow).toBe(false);
    client.setTitle('x');
    const stop = client.onRoute(() => {
      throw new Error('no route expected');
    });
    stop();
  });
});
