import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpTransport, entitiesQuery, readToken } from './http';
import { PortalError } from './transport';

function reply(status: number, body: unknown, statusText = ''): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, statusText, headers: { 'Content-Type': 'application/json' } });
}

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn(async () => reply(200, { items: [], total: 0 }));
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function lastCall(): { url: string; init: RequestInit } {
  const [url, init] = fetchMock.mock.calls.at(-1) as [string, RequestInit];
  return { url, init };
}

describe('entitiesQuery', () => {
  it('is empty for an empty query', () => {
    expect(entitiesQuery({})).toBe('');
  });

  it('writes facets, flags, sort and paging as the Go side reads them', () => {
    const q = entitiesQuery({ facets: { kind: ['api', 'component'], tag: ['go'] }, starred: true, mine: true, hasErrors: true, sort: 'owner', desc: true, offset: 100, limit: 100 });
    expect(q).toBe('?kind=api&kind=component&tag=go&starred=1&mine=1&errors=1&sort=owner&desc=1&offset=100&limit=100');
  });

  it('sets kind, text and limit and repeats filter as key=value', () => {
    const q = entitiesQuery({ kind: 'component', text: 'pay ments', limit: 20, filters: { 'spec.type': 'service', 'spec.owner': 'group:team-a' } });
    expect(q).toBe('?text=pay+ments&kind=component&limit=20&filter=spec.type%3Dservice&filter=spec.owner%3Dgroup%3Ateam-a');
    const params = new URLSearchParams(q);
    expect(params.getAll('filter')).toEqual(['spec.type=service', 'spec.owner=group:team-a']);
  });
});

describe('HttpTransport', () => {
  it('GETs the entity list under the base URL', async () => {
    await new HttpTransport('http://127.0.0.1:7007', null).listEntities({ kind: 'api', filters: { 'spec.lifecycle': 'production' } });
    const { url, init } = lastCall();
    expect(url).toBe('http://127.0.0.1:7007/api/v1/entities?kind=api&filter=spec.lifecycle%3Dproduction');
    expect(init.method).toBe('GET');
  });

  it('turns a ref into the entity path, encoding each part', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, { ref: 'component:default/payments' }));
    const t = new HttpTransport('', null);
    await t.getEntity('component:default/payments');
    expect(lastCall().url).toBe('/api/v1/entities/component/default/payments');
    await t.getEntity('Component:Team A/Web App');
    expect(lastCall().url).toBe('/api/v1/entities/component/team%20a/web%20app');
  });

  it('refuses a ref without a kind before asking the server', async () => {
    await expect(new HttpTransport('', null).getEntity('payments')).rejects.toThrow(/not an entity reference/);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('GETs info and locations', async () => {
    const t = new HttpTransport('', null);
    fetchMock.mockResolvedValueOnce(reply(200, { version: '1.0.0' }));
    expect(await t.info()).toEqual({ version: '1.0.0' });
    expect(lastCall().url).toBe('/api/v1/info');
    fetchMock.mockResolvedValueOnce(reply(200, [{ id: 'demo' }]));
    expect(await t.listLocations()).toEqual([{ id: 'demo' }]);
    expect(lastCall().url).toBe('/api/v1/locations');
  });

  it('POSTs sync with the location, or without one for all', async () => {
    fetchMock.mockImplementation(async () => reply(200, []));
    const t = new HttpTransport('', null);
    await t.sync('demo org');
    expect(lastCall().url).toBe('/api/v1/sync?location=demo%20org');
    expect(lastCall().init.method).toBe('POST');
    await t.sync('');
    expect(lastCall().url).toBe('/api/v1/sync');
  });

  it('reaches the plugins under /api/v1/plugins, the settings PUT as JSON', async () => {
    fetchMock.mockImplementation(async () => reply(200, []));
    const t = new HttpTransport('', null);
    await t.plugins();
    expect(lastCall().url).toBe('/api/v1/plugins');
    expect(lastCall().init.method).toBe('GET');
    const settings = { name: 'git stats', enabled: true, values: { depth: '30' }, secrets: { token: 's3cret' } };
    await t.setPlugin(settings);
    expect(lastCall().url).toBe('/api/v1/plugins/git%20stats');
    expect(lastCall().init.method).toBe('PUT');
    expect(JSON.parse(lastCall().init.body as string)).toEqual(settings);
    await t.pluginLog('git stats');
    expect(lastCall().url).toBe('/api/v1/plugins/git%20stats/log');
    expect(lastCall().init.method).toBe('GET');
  });

  it("GETs an entity's plugin views under the entity's path", async () => {
    fetchMock.mockImplementation(async () => reply(200, []));
    const t = new HttpTransport('', null);
    await t.entityPlugins('component:default/payments');
    expect(lastCall().url).toBe('/api/v1/entities/component/default/payments/plugins');
    await t.entityPlugins('Component:Team A/Web App');
    expect(lastCall().url).toBe('/api/v1/entities/component/team%20a/web%20app/plugins');
    fetchMock.mockClear();
    await expect(t.entityPlugins('payments')).rejects.toThrow(/not an entity reference/);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('throws the error of a JSON error body, marking 404 as not found', async () => {
    fetchMock.mockResolvedValueOnce(reply(404, { code: 'not_found', message: 'entity component:default/x: not found' }));
    const err = await new HttpTransport('', null).getEntity('component:default/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortalError);
    expect((err as PortalError).message).toBe('entity component:default/x: not found');
    expect((err as PortalError).notFound).toBe(true);

    fetchMock.mockResolvedValueOnce(reply(400, { code: 'invalid', message: 'limit "x" is not a non-negative number' }));
    const bad = await new HttpTransport('', null).listEntities({}).catch((e: unknown) => e);
    expect((bad as PortalError).message).toBe('limit "x" is not a non-negative number');
    expect((bad as PortalError).notFound).toBe(false);
  });

  it('falls back to the status line when the error body is not JSON', async () => {
    fetchMock.mockResolvedValueOnce(reply(502, '<html>bad gateway</html>', 'Bad Gateway'));
    await expect(new HttpTransport('', null).info()).rejects.toThrow('502 Bad Gateway');
  });

  it('reports an unreachable server', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(new HttpTransport('', null).info()).rejects.toThrow('Cannot reach Callboard: Failed to fetch');
  });

  it('sends the token as a bearer header, and none without one', async () => {
    await new HttpTransport('', 's3cret').listEntities({});
    expect((lastCall().init.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    await new HttpTransport('', null).listEntities({});
    expect((lastCall().init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('reads the page token from the URL when it is constructed', async () => {
    window.history.replaceState(null, '', '/?token=from-url#/catalog');
    try {
      await new HttpTransport().listEntities({});
      expect((lastCall().init.headers as Record<string, string>).Authorization).toBe('Bearer from-url');
      expect(window.sessionStorage.getItem('callboard-token')).toBe('from-url');
    } finally {
      window.history.replaceState(null, '', '/');
    }
  });
});

describe('readToken', () => {
  it('takes ?token= before the hash and keeps it in storage', () => {
    expect(readToken({ search: '?token=abc', hash: '' }, window.sessionStorage)).toBe('abc');
    expect(window.sessionStorage.getItem('callboard-token')).toBe('abc');
    expect(readToken({ search: '', hash: '#/' }, window.sessionStorage)).toBe('abc');
  });

  it('takes ?token= inside the hash route', () => {
    expect(readToken({ search: '', hash: '#/catalog?token=xyz' }, window.sessionStorage)).toBe('xyz');
  });

  it('is null with no token anywhere', () => {
    expect(readToken({ search: '', hash: '' }, window.sessionStorage)).toBeNull();
  });
});

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  closed = false;
  private handlers = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, h: (e: MessageEvent) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), h]);
  }
  close() {
    this.closed = true;
  }
  dispatch(name: string, data: string) {
    for (const h of this.handlers.get(name) ?? []) h(new MessageEvent(name, { data }));
  }
}

describe('HttpTransport events', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('shares one EventSource, passes the token and parses the JSON data', () => {
    const t = new HttpTransport('http://h', 'tok en');
    const changed: unknown[] = [];
    const done: unknown[] = [];
    const off1 = t.subscribe('catalog:changed', (d) => changed.push(d));
    const off2 = t.subscribe('sync:done', (d) => done.push(d));
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('http://h/api/v1/events?token=tok%20en');

    es.dispatch('catalog:changed', '{"locationId":"demo"}');
    es.dispatch('sync:done', '{"locationId":"demo","commit":"abc"}');
    expect(changed).toEqual([{ locationId: 'demo' }]);
    expect(done).toEqual([{ locationId: 'demo', commit: 'abc' }]);

    off1();
    off1();
    expect(es.closed).toBe(false);
    off2();
    expect(es.closed).toBe(true);

    t.subscribe('sync:done', () => {});
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[1]!.closed).toBe(false);
  });

  it('opens the stream without a token query when there is none', () => {
    new HttpTransport('', null).subscribe('sync:done', () => {});
    expect(FakeEventSource.instances[0]!.url).toBe('/api/v1/events');
  });
});
