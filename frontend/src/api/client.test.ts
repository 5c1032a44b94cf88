import { afterEach, describe, expect, it, vi } from 'vitest';
import { PortalClient, PortalError, createClient } from './client';
import { WailsTransport, type WailsBridge } from './wails';
import type { EntityDetail, EntityList, NewLocation, OutboxEntry, PluginContent, PluginInfo, PluginSettings, ScaffoldRun, Settings } from './types';

function fakeBridge(overrides: Partial<WailsBridge> = {}): WailsBridge {
  return {
    Info: vi.fn(async () => ({ version: 'wails', dataDir: '/d', mode: 'desktop' as const, entities: 0, locations: 0, startedAt: '', language: '', frontendErrors: 0 })),
    ListEntities: vi.fn(async () => ({ items: [], total: 0 })),
    GetEntity: vi.fn(async () => ({}) as EntityDetail),
    ListLocations: vi.fn(async () => []),
    AddLocation: vi.fn(async (loc: NewLocation) => ({ id: 'x', url: loc.url, path: 'catalog-info.yaml', status: 'pending' as const, entities: 0, processingErrors: 0 })),
    RemoveLocation: vi.fn(async () => {}),
    Settings: vi.fn(async () => ({ syncIntervalMinutes: 5, trustedGitHosts: [] })),
    UpdateSettings: vi.fn(async (s: Settings) => s),
    Sync: vi.fn(async () => []),
    ReadFile: vi.fn(async (locationId: string, path: string) => ({ locationId, path, content: '', exists: false, commit: '' })),
    WriteFile: vi.fn(async () => ({}) as OutboxEntry),
    Outbox: vi.fn(async () => []),
    ResolveConflict: vi.fn(async () => {}),
    UserState: vi.fn(async () => ({ identity: { groups: [] }, starred: [], recent: [] })),
    SetStar: vi.fn(async () => {}),
    Open: vi.fn(async () => {}),
    Template: vi.fn(async (ref: string) => ({ ref, title: '', parameters: [], steps: [], workspace: '', trustedHosts: [] })),
    Scaffold: vi.fn(async () => ({}) as ScaffoldRun),
    ScaffoldRuns: vi.fn(async () => []),
    ScaffoldRun: vi.fn(async () => ({}) as ScaffoldRun),
    CancelScaffold: vi.fn(async () => {}),
    PickFolder: vi.fn(async () => ''),
    Visit: vi.fn(async () => {}),
    ReportFrontendError: vi.fn(async () => {}),
    Graph: vi.fn(async () => ({ nodes: [], edges: [] })),
    History: vi.fn(async () => []),
    Search: vi.fn(async () => ({ total: 0, hits: [], facets: {} })),
    ListDocs: vi.fn(async () => []),
    Docs: vi.fn(async (ref: string) => ({ ref, name: '', nav: [], pages: [] })),
    DocsPage: vi.fn(async (ref: string, path: string) => ({ ref, path, title: '', html: '', toc: [] })),
    Plugins: vi.fn(async () => []),
    SetPlugin: vi.fn(async (s: PluginSettings) => ({ name: s.name, version: '1.0.0', builtIn: false, enabled: s.enabled, state: 'running' as const, extensionPoints: [], config: [], values: s.values, secretsSet: [] })),
    PluginLog: vi.fn(async () => []),
    EntityPlugins: vi.fn(async () => []),
    ...overrides,
  };
}

afterEach(() => {
  delete window.go;
  delete window.runtime;
  vi.unstubAllGlobals();
});

describe('createClient', () => {
  it('uses the Wails bridge when the window has one', async () => {
    const bridge = fakeBridge();
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
  it('passes arguments to the bound methods', async () => {
    const bridge = fakeBridge();
    const client = new PortalClient(new WailsTransport(bridge));
    await client.listEntities({ kind: 'component', filters: { 'spec.type': 'service' } });
    expect(bridge.ListEntities).toHaveBeenCalledWith({ kind: 'component', filters: { 'spec.type': 'service' } });
    await client.getEntity('api:default/payments');
    expect(bridge.GetEntity).toHaveBeenCalledWith('api:default/payments');
    await client.sync();
    await client.sync('demo');
    expect(bridge.Sync).toHaveBeenNthCalledWith(1, '');
    expect(bridge.Sync).toHaveBeenNthCalledWith(2, 'demo');
  });

  it('passes the plugin calls to the bound methods', async () => {
    const bridge = fakeBridge({ PluginLog: vi.fn(async () => ['started', 'listening']) });
    const client = new PortalClient(new WailsTransport(bridge));
    await client.plugins();
    expect(bridge.Plugins).toHaveBeenCalledOnce();
    const settings = { name: 'git-stats', enabled: false, values: { depth: '30' }, secrets: { token: '' } };
    expect((await client.setPlugin(settings)).enabled).toBe(false);
    expect(bridge.SetPlugin).toHaveBeenCalledWith(settings);
    expect(await client.pluginLog('git-stats')).toEqual(['started', 'listening']);
    expect(bridge.PluginLog).toHaveBeenCalledWith('git-stats');
    await client.entityPlugins('component:default/payments');
    expect(bridge.EntityPlugins).toHaveBeenCalledWith('component:default/payments');
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

  it('turns a rejected Go error string into a PortalError', async () => {
    const t = new WailsTransport(
      fakeBridge({
        // Wails rejects with the Go error's text, a bare string: that is what is tested.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        GetEntity: () => Promise.reject('entity component:default/x: not found'),
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        Info: () => Promise.reject('store closed'),
      }),
    );
    const notFound = await t.getEntity('component:default/x').catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(PortalError);
    expect((notFound as PortalError).message).toBe('entity component:default/x: not found');
    expect((notFound as PortalError).notFound).toBe(true);
    const other = await t.info().catch((e: unknown) => e);
    expect((other as PortalError).message).toBe('store closed');
    expect((other as PortalError).notFound).toBe(false);
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
    };
    const got: unknown[] = [];
    const unsubscribe = new WailsTransport(fakeBridge()).subscribe('sync:done', (d) => got.push(d));
    expect(window.runtime.EventsOn).toHaveBeenCalledWith('sync:done', expect.any(Function));
    handler?.({ locationId: 'demo' });
    expect(got).toEqual([{ locationId: 'demo' }]);
    unsubscribe();
    expect(off).toHaveBeenCalledOnce();
  });
});

describe('PortalClient', () => {
  it('turns the nulls Go sends for nil slices into arrays', async () => {
    const bridge = fakeBridge({
      ListEntities: async () => ({ items: [{ ref: 'a:default/b', tags: null }], total: 1 }) as unknown as EntityList,
      GetEntity: async () => ({ ref: 'a:default/b', tags: null, relations: null, entity: null }) as unknown as EntityDetail,
      ListLocations: async () => null as unknown as [],
    });
    const client = new PortalClient(new WailsTransport(bridge));
    expect((await client.listEntities()).items[0]!.tags).toEqual([]);
    const d = await client.getEntity('a:default/b');
    expect(d.tags).toEqual([]);
    expect(d.relations).toEqual([]);
    expect(d.entity).toEqual({});
    expect(await client.listLocations()).toEqual([]);
  });

  it('fills in the plugin lists Go may send as null', async () => {
    const bridge = fakeBridge({
      Plugins: async () => [{ name: 'p', version: '1', builtIn: true, enabled: true, state: 'running', extensionPoints: null, config: null, values: null, secretsSet: null }] as unknown as PluginInfo[],
      PluginLog: async () => null as unknown as string[],
      EntityPlugins: async () =>
        [
          { plugin: 'p', version: '1', views: null, durationMs: 1 },
          { plugin: 'q', version: '1', views: [{ id: 'v', title: 'V', placement: 'PLACEMENT_CARD', blocks: null }], durationMs: 1 },
        ] as unknown as PluginContent[],
    });
    const client = new PortalClient(new WailsTransport(bridge));
    const [p] = await client.plugins();
    expect(p).toMatchObject({ extensionPoints: [], config: [], values: {}, secretsSet: [] });
    expect(await client.pluginLog('p')).toEqual([]);
    const content = await client.entityPlugins('component:default/x');
    expect(content[0]!.views).toEqual([]);
    expect(content[1]!.views[0]!.blocks).toEqual([]);
  });
});
