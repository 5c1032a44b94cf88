import type { EventName, MethodName } from './types.gen';
import { eventStream, routes, type Route } from './client.gen';
import { PortalError, portalError, type Transport } from './transport';
import { encodeQuery, pathSegment } from './wire';

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

/** One HTTP request of a call: where it goes and its JSON body, if any. */
export interface HttpRequest {
  verb: Route['verb'];
  /** The path and query, e.g. /api/v1/entities/component%3Adefault%2Fa/history?limit=5. */
  url: string;
  body?: unknown;
}

/**
 * The request of a call by its route (the wire rules of app/portal.API):
 * path parameters as one escaped segment each, the rest in the query for
 * GET and DELETE, in the body otherwise, a struct alone as the body itself.
 */
export function httpRequest(route: Route, args: unknown[]): HttpRequest {
  let path = route.path;
  const query = new URLSearchParams();
  const members: Record<string, unknown> = {};
  let body: unknown;
  let hasMembers = false;
  route.params.forEach((p, i) => {
    const v = args[i];
    switch (p.in) {
      case 'path':
        path = path.replace(`{${p.name}}`, pathSegment(p.name, v));
        break;
      case 'query':
        encodeQuery(query, p.name, v);
        break;
      case 'fields':
        encodeQuery(query, '', v ?? {});
        break;
      case 'body':
        body = v;
        break;
      case 'member':
        members[p.name] = v;
        hasMembers = true;
        break;
    }
  });
  const q = query.toString();
  const url = q ? `${path}?${q}` : path;
  if (hasMembers) body = members;
  return body === undefined ? { verb: route.verb, url } : { verb: route.verb, url, body };
}

/** The portal's JSON API under /api/v1, with events over Server-Sent Events. */
export class HttpTransport implements Transport {
  private source: EventSource | null = null;
  private readonly listeners = new Map<EventName, Set<(data: unknown) => void>>();

  constructor(
    private readonly baseUrl = '',
    private readonly token: string | null = pageToken(),
  ) {}

  async call(method: MethodName, args: unknown[]): Promise<unknown> {
    const req = httpRequest(routes[method], args);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${req.url}`, {
        method: req.verb,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      });
    } catch (e) {
      throw new PortalError({ code: 'unavailable', message: `Cannot reach Callboard: ${e instanceof Error ? e.message : String(e)}` });
    }
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as unknown;
  }

  /** All subscriptions share one EventSource, opened with the first and closed with the last. */
  subscribe(name: EventName, cb: (data: unknown) => void): () => void {
    const source = this.eventSource();
    let set = this.listeners.get(name);
    if (!set) {
      const fresh = new Set<(data: unknown) => void>();
      this.listeners.set(name, fresh);
      source.addEventListener(name, (e) => {
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
      this.source = new EventSource(`${this.baseUrl}${eventStream.path}${q}`);
    }
    return this.source;
  }
}

/** The PortalError of a failed answer: its body, or else its status. */
async function errorOf(res: Response): Promise<PortalError> {
  try {
    const e = portalError((await res.json()) as unknown);
    if (e.code !== 'internal' || res.status === 500) return e;
  } catch {
    // not JSON: fall through to the status
  }
  const message = `${res.status} ${res.statusText || 'request failed'}`.trim();
  const byStatus: Record<number, PortalError['code']> = { 400: 'invalid', 404: 'not_found', 409: 'conflict', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable' };
  return new PortalError({ code: byStatus[res.status] ?? 'internal', message });
}

function parseEventData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
