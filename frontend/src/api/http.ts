import type {
  CatalogFile,
  EntityDetail,
  EntityList,
  EntityQuery,
  EventName,
  FileWrite,
  Info,
  Location,
  NewLocation,
  OpenRequest,
  ScaffoldRequest,
  ScaffoldRun,
  TemplateDetail,
  OutboxEntry,
  Settings,
  UserState,
  Graph,
  GraphQuery,
  EntityVersion,
  SearchQuery,
  SearchResult,
  DocsEntry,
  DocsSite,
  DocsPage,
  FrontendError,
  PluginContent,
  PluginInfo,
  PluginSettings,
} from './types';
import { FACETS } from './types';
import { PortalError, type Transport } from './transport';
import { parseRef } from './refs';

const TOKEN_KEY = 'callboard-token';

/**
 * The API token `callboard serve` printed: the page URL's ?token= (kept in
 * sessionStorage for later loads of the tab), else the one stored before.
 * The query may stand before the hash or inside it (#/catalog?token=...).
 */
export function readToken(loc: Pick<globalThis.Location, 'search' | 'hash'>, storage: Storage): string | null {
  const hashQuery = loc.hash.includes('?') ? loc.hash.slice(loc.hash.indexOf('?')) : '';
  const fromUrl = new URLSearchParams(loc.search).get('token') ?? new URLSearchParams(hashQuery).get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

function pageToken(): string | null {
  try {
    return readToken(window.location, window.sessionStorage);
  } catch {
    return null; // storage can be unavailable (privacy settings); the cookie then carries the token
  }
}

/** Builds the query string of GET /api/v1/entities, as portal.EntityQuery.Values does in Go. */
export function entitiesQuery(q: EntityQuery): string {
  const p = new URLSearchParams();
  if (q.text) p.set('text', q.text);
  if (q.kind) p.append('kind', q.kind);
  for (const f of FACETS) for (const v of q.facets?.[f] ?? []) p.append(f, v);
  if (q.starred) p.set('starred', '1');
  if (q.mine) p.set('mine', '1');
  if (q.hasErrors) p.set('errors', '1');
  if (q.sort) p.set('sort', q.sort);
  if (q.desc) p.set('desc', '1');
  if (q.offset !== undefined && q.offset > 0) p.set('offset', String(q.offset));
  if (q.limit !== undefined && q.limit > 0) p.set('limit', String(q.limit));
  for (const [key, value] of Object.entries(q.filters ?? {})) p.append('filter', `${key}=${value}`);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** kind/namespace/name of a full ref, each part encoded, for API paths. */
function refPath(ref: string): string {
  const r = parseRef(ref);
  return r ? [r.kind, r.namespace, r.name].map(encodeURIComponent).join('/') : encodeURIComponent(ref);
}

/** The portal's JSON API under /api/v1, with events over Server-Sent Events. */
export class HttpTransport implements Transport {
  private source: EventSource | null = null;
  private readonly listeners = new Map<EventName, Set<(data: unknown) => void>>();

  constructor(
    private readonly baseUrl = '',
    private readonly token: string | null = pageToken(),
  ) {}

  info(): Promise<Info> {
    return this.request('GET', '/api/v1/info');
  }

  listEntities(q: EntityQuery): Promise<EntityList> {
    return this.request('GET', `/api/v1/entities${entitiesQuery(q)}`);
  }

  getEntity(ref: string): Promise<EntityDetail> {
    const r = parseRef(ref);
    if (!r) return Promise.reject(new PortalError(`"${ref}" is not an entity reference of the form kind:namespace/name`));
    const path = [r.kind, r.namespace, r.name].map(encodeURIComponent).join('/');
    return this.request('GET', `/api/v1/entities/${path}`);
  }

  listLocations(): Promise<Location[]> {
    return this.request('GET', '/api/v1/locations');
  }

  addLocation(loc: NewLocation): Promise<Location> {
    return this.request('POST', '/api/v1/locations', loc);
  }

  async removeLocation(id: string): Promise<void> {
    await this.request('DELETE', `/api/v1/locations/${encodeURIComponent(id)}`);
  }

  settings(): Promise<Settings> {
    return this.request('GET', '/api/v1/settings');
  }

  updateSettings(s: Settings): Promise<Settings> {
    return this.request('PUT', '/api/v1/settings', s);
  }

  sync(locationId: string): Promise<Location[]> {
    const q = locationId ? `?location=${encodeURIComponent(locationId)}` : '';
    return this.request('POST', `/api/v1/sync${q}`);
  }

  readFile(locationId: string, path: string): Promise<CatalogFile> {
    return this.request('GET', `/api/v1/locations/${encodeURIComponent(locationId)}/file?path=${encodeURIComponent(path)}`);
  }

  writeFile(w: FileWrite): Promise<OutboxEntry> {
    return this.request('PUT', `/api/v1/locations/${encodeURIComponent(w.locationId)}/file`, w);
  }

  outbox(): Promise<OutboxEntry[]> {
    return this.request('GET', '/api/v1/outbox');
  }

  async resolveConflict(entryId: string, keep: 'mine' | 'theirs'): Promise<void> {
    await this.request('POST', '/api/v1/outbox/resolve', { id: entryId, keep });
  }

  userState(): Promise<UserState> {
    return this.request('GET', '/api/v1/me');
  }

  async setStar(ref: string, on: boolean): Promise<void> {
    await this.request('POST', '/api/v1/stars', { ref, on });
  }

  template(ref: string): Promise<TemplateDetail> {
    return this.request('GET', `/api/v1/templates?ref=${encodeURIComponent(ref)}`);
  }

  scaffold(req: ScaffoldRequest): Promise<ScaffoldRun> {
    return this.request('POST', '/api/v1/runs', req);
  }

  scaffoldRuns(): Promise<ScaffoldRun[]> {
    return this.request('GET', '/api/v1/runs');
  }

  scaffoldRun(id: string): Promise<ScaffoldRun> {
    return this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}`);
  }

  async cancelScaffold(id: string): Promise<void> {
    await this.request('POST', `/api/v1/runs/${encodeURIComponent(id)}/cancel`, {});
  }

  async open(req: OpenRequest): Promise<void> {
    await this.request('POST', '/api/v1/open', req);
  }

  async visit(ref: string): Promise<void> {
    await this.request('POST', '/api/v1/visits', { ref });
  }

  async reportFrontendError(e: FrontendError): Promise<void> {
    await this.request('POST', '/api/v1/frontend-errors', e);
  }

  graph(q: GraphQuery): Promise<Graph> {
    const p = new URLSearchParams({ ref: q.ref });
    if (q.depth) p.set('depth', String(q.depth));
    if (q.direction) p.set('direction', q.direction);
    for (const t of q.types ?? []) p.append('type', t);
    return this.request('GET', `/api/v1/graph?${p}`);
  }

  history(ref: string, limit?: number): Promise<EntityVersion[]> {
    const r = parseRef(ref);
    if (!r) return Promise.reject(new PortalError(`"${ref}" is not an entity reference of the form kind:namespace/name`));
    const path = [r.kind, r.namespace, r.name].map(encodeURIComponent).join('/');
    return this.request('GET', `/api/v1/entities/${path}/history${limit ? `?limit=${limit}` : ''}`);
  }

  search(q: SearchQuery): Promise<SearchResult> {
    const p = new URLSearchParams();
    if (q.text) p.set('q', q.text);
    const lists: [string, string[] | undefined][] = [
      ['type', q.types],
      ['kind', q.kinds],
      ['entityType', q.entityTypes],
      ['owner', q.owners],
      ['lifecycle', q.lifecycles],
      ['tag', q.tags],
      ['ref', q.refs],
    ];
    for (const [name, values] of lists) for (const v of values ?? []) p.append(name, v);
    if (q.offset) p.set('offset', String(q.offset));
    if (q.limit) p.set('limit', String(q.limit));
    if (q.noFacets) p.set('facets', '0');
    return this.request('GET', `/api/v1/search?${p}`);
  }

  listDocs(): Promise<DocsEntry[]> {
    return this.request('GET', '/api/v1/docs');
  }

  docs(ref: string): Promise<DocsSite> {
    return this.request('GET', `/api/v1/docs/${refPath(ref)}`);
  }

  docsPage(ref: string, page: string): Promise<DocsPage> {
    return this.request('GET', `/api/v1/docs/${refPath(ref)}/page?path=${encodeURIComponent(page)}`);
  }

  plugins(): Promise<PluginInfo[]> {
    return this.request('GET', '/api/v1/plugins');
  }

  setPlugin(s: PluginSettings): Promise<PluginInfo> {
    return this.request('PUT', `/api/v1/plugins/${encodeURIComponent(s.name)}`, s);
  }

  pluginLog(name: string): Promise<string[]> {
    return this.request('GET', `/api/v1/plugins/${encodeURIComponent(name)}/log`);
  }

  entityPlugins(ref: string): Promise<PluginContent[]> {
    const r = parseRef(ref);
    if (!r) return Promise.reject(new PortalError(`"${ref}" is not an entity reference of the form kind:namespace/name`));
    const path = [r.kind, r.namespace, r.name].map(encodeURIComponent).join('/');
    return this.request('GET', `/api/v1/entities/${path}/plugins`);
  }

  /** All subscriptions share one EventSource, opened with the first and closed with the last. */
  subscribe(event: EventName, cb: (data: unknown) => void): () => void {
    const source = this.eventSource();
    let set = this.listeners.get(event);
    if (!set) {
      const fresh = new Set<(data: unknown) => void>();
      this.listeners.set(event, fresh);
      source.addEventListener(event, (e) => {
        const data = parseEventData((e as MessageEvent<string>).data);
        for (const listener of [...fresh]) listener(data);
      });
      set = fresh;
    }
    const listener = (data: unknown) => cb(data);
    set.add(listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(listener);
      if ([...this.listeners.values()].every((s) => s.size === 0)) {
        this.source?.close();
        this.source = null;
        this.listeners.clear();
      }
    };
  }

  private eventSource(): EventSource {
    if (!this.source) {
      const q = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
      this.source = new EventSource(`${this.baseUrl}/api/v1/events${q}`);
    }
    return this.source;
  }

  private async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new PortalError(`Cannot reach Callboard: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw new PortalError(await errorMessage(res), res.status === 404);
    return (await res.json()) as T;
  }
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body.message === 'string' && body.message) return body.message;
  } catch {
    // not JSON: fall through to the status line
  }
  return `${res.status} ${res.statusText || 'request failed'}`.trim();
}

function parseEventData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
