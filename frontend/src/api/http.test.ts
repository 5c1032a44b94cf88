import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpTransport, httpRequest, readToken } from './http';
import { routes } from './client.gen';
import { PortalClient } from './client';
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

describe('httpRequest', () => {
  it('puts a ref in the path as one escaped segment', () => {
    expect(httpRequest(routes.GetEntity, ['component:default/payments']).url).toBe('/api/v1/entities/component%3Adefault%2Fpayments');
    expect(httpRequest(routes.History, ['Component:Team A/Web App', 5]).url).toBe('/api/v1/entities/Component%3ATeam%20A%2FWeb%20App/history?limit=5');
    expect(httpRequest(routes.ResolveConflict, ['demo/1', 'mine'])).toEqual({ verb: 'POST', url: '/api/v1/outbox/demo%2F1/resolve', body: { keep: 'mine' } });
  });

  it('refuses an empty path segment before asking the server', () => {
    expect(() => httpRequest(routes.GetEntity, [''])).toThrow(PortalError);
  });

  it("writes a query struct's fields as the Go side reads them", () => {
    const q = httpRequest(routes.ListEntities, [
      { kind: 'component', text: 'pay ments', facets: { kind: ['api', 'component'], tag: ['go'] }, filters: { 'spec.type': 'service', empty: '' }, starred: true, mine: false, offset: 0, limit: 20 },
    ]);
    expect(q).toEqual({ verb: 'GET', url: '/api/v1/entities?kind=component&text=pay+ments&facets.kind=api&facets.kind=component&facets.tag=go&filters.spec.type=service&filters.empty=&starred=true&limit=20' });
    expect(httpRequest(routes.ListEntities, [{}]).url).toBe('/api/v1/entities');
    expect(httpRequest(routes.Graph, [{ ref: 'api:default/x', types: ['ownedBy', 'dependsOn'], depth: 2 }]).url).toBe('/api/v1/graph?ref=api%3Adefault%2Fx&types=ownedBy&types=dependsOn&depth=2');
  });

  it('sends a single struct as the body, other parameters as an object of their names', () => {
    const loc = { url: 'https://git.example/a.git', branch: 'main' };
    expect(httpRequest(routes.AddLocation, [loc])).toEqual({ verb: 'POST', url: '/api/v1/locations', body: loc });
    expect(httpRequest(routes.SetStar, ['api:default/x', true])).toEqual({ verb: 'POST', url: '/api/v1/stars', body: { ref: 'api:default/x', on: true } });
    expect(httpRequest(routes.Sync, [''])).toEqual({ verb: 'POST', url: '/api/v1/sync', body: { locationID: '' } });
    expect(httpRequest(routes.CancelScaffold, ['r1'])).toEqual({ verb: 'POST', url: '/api/v1/runs/r1/cancel' });
  });
});

describe('HttpTransport', () => {
  const client = (base = '', token: string | null = null) => new PortalClient(new HttpTransport(base, token));

  it('GETs under the base URL', async () => {
    await client('http://127.0.0.1:7007').listEntities({ kind: 'api', filters: { 'spec.lifecycle': 'production' } });
    const { url, init } = lastCall();
    expect(url).toBe('http://127.0.0.1:7007/api/v1/entities?kind=api&filters.spec.lifecycle=production');
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
  });

  it('sends a body as JSON', async () => {
    fetchMock.mockImplementation(async () => reply(200, []));
    const settings = { name: 'git stats', enabled: true, values: { depth: '30' }, secrets: { token: 's3cret' } };
    await client().setPlugin(settings);
    expect(lastCall().url).toBe('/api/v1/plugins');
    expect(lastCall().init.method).toBe('PUT');
    expect((lastCall().init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(lastCall().init.body as string)).toEqual(settings);
  });

  it('throws the PortalError of an error body, with its code and position', async () => {
    fetchMock.mockResolvedValueOnce(reply(404, { code: 'not_found', message: 'entity component:default/x: not found' }));
    const err = await client().getEntity('component:default/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortalError);
    expect((err as PortalError).message).toBe('entity component:default/x: not found');
    expect((err as PortalError).code).toBe('not_found');

    fetchMock.mockResolvedValueOnce(reply(400, { code: 'invalid', message: 'refused', file: 'catalog-info.yaml', line: 4, field: 'metadata.name' }));
    const bad = (await client().listEntities({}).catch((e: unknown) => e)) as PortalError;
    expect([bad.code, bad.file, bad.line, bad.field]).toEqual(['invalid', 'catalog-info.yaml', 4, 'metadata.name']);
  });

  it('falls back to the status when the error body is not the contract\'s', async () => {
    fetchMock.mockResolvedValueOnce(reply(502, '<html>bad gateway</html>', 'Bad Gateway'));
    const err = (await client().info().catch((e: unknown) => e)) as PortalError;
    expect([err.message, err.code]).toEqual(['502 Bad Gateway', 'unavailable']);
  });

  it('reports an unreachable server', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(client().info()).rejects.toThrow('Cannot reach Callboard: Failed to fetch');
  });

  it('sends the token as a bearer header, and none without one', async () => {
    await client('', 's3cret').listEntities({});
    expect((lastCall().init.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    await client().listEntities({});
    expect((lastCall().init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('reads the page token from the URL when it is constructed', async () => {
    window.history.replaceState(null, '', '/?token=from-url#/catalog');
    try {
      await new PortalClient(new HttpTransport()).listEntities({});
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
