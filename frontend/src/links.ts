/**
 * callboard:// links, as app/deeplink reads them (its testdata/links.json
 * is the table both sides are tested on), and the window's title for a
 * route. The window itself never parses a link: the Go side hands it the
 * route.
 */

const SCHEME = 'callboard://';

// app/deeplink's rules: Backstage's for kinds and names, the UI's for tabs.
const KIND = /^[a-zA-Z][a-zA-Z0-9]{0,62}$/;
const NAME = /^([a-zA-Z0-9]+[-_.])*[a-zA-Z0-9]+$/;
const TAB = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;
const KEY = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;
const MAX_TEXT = 1024;
const MAX_VALUES = 32;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

const isName = (s: string) => s.length <= 63 && NAME.test(s);
const isText = (s: string) => s.length <= MAX_TEXT && !CONTROL.test(s);

/** Go's url.PathEscape: what a path segment keeps as it is. */
function pathEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%(2B|3A|40|24|26|3D|2C|3B)/g, (m) => decodeURIComponent(m));
}

/** Go's url.Values.Encode: keys sorted, spaces as +. */
function queryEncode(values: [string, string][]): string {
  const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  return [...values]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${escape(k)}=${escape(v)}`)
    .join('&');
}

function entityLink(kind: string, namespace: string, name: string, q: URLSearchParams): string | null {
  if (!KIND.test(kind) || !isName(namespace) || !isName(name)) return null;
  const ref = `${kind}:${namespace}/${name}`;
  const tab = q.get('tab') ?? '';
  if (tab !== 'docs') {
    if (tab === '' || tab === 'overview') return `${SCHEME}entity/${ref}`;
    return TAB.test(tab) ? `${SCHEME}entity/${ref}/${pathEscape(tab)}` : null;
  }
  const page = q.get('page') ?? '';
  const anchor = q.get('anchor') ?? '';
  if (!isText(page) || !isText(anchor)) return null;
  const segs = page ? page.split('/') : [];
  if (segs.some((s, i) => s === '.' || s === '..' || s.includes('\\') || (s === '' && i < segs.length - 1))) return null;
  let link = `${SCHEME}docs/${ref}`;
  if (page) link += `/${segs.map(pathEscape).join('/')}`;
  if (anchor) link += `#${pathEscape(anchor)}`;
  return link;
}

function templateLink(namespace: string, name: string, q: URLSearchParams): string | null {
  if (!isName(namespace) || !isName(name)) return null;
  let link = `${SCHEME}create/template:${namespace}/${name}`;
  let values: unknown;
  try {
    values = JSON.parse(q.get('formData') ?? '');
  } catch {
    return link;
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return link;
  const texts = Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (texts.length > MAX_VALUES || texts.some(([k, v]) => !KEY.test(k) || !isText(v))) return null;
  if (texts.length > 0) link += `?${queryEncode(texts)}`;
  return link;
}

/**
 * The callboard:// link that opens a UI route (path and query, as the
 * hash router has them), or null when no link opens that page: entity,
 * docs and template pages, search, locations and Home.
 */
export function linkOf(route: string): string | null {
  if (!route.startsWith('/') || route.startsWith('//')) return null;
  const [path = '', query = ''] = route.split(/\?(.*)/s, 2);
  const q = new URLSearchParams(query);
  let parts: string[];
  try {
    parts = path.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  if (parts.some((p) => p.includes('/'))) return null;
  if (path === '/') return SCHEME;
  if (path === '/locations') return `${SCHEME}locations`;
  if (path === '/search') {
    const text = q.get('q') ?? '';
    if (!isText(text)) return null;
    return text ? `${SCHEME}search?${queryEncode([['q', text]])}` : `${SCHEME}search`;
  }
  const [a = '', b = '', c = '', d = ''] = parts;
  if (parts.length === 4 && a === 'catalog') return entityLink(b, c, d, q);
  if (parts.length === 4 && a === 'create' && b === 'templates') return templateLink(c, d, q);
  return null;
}

const PAGE_TITLES: Record<string, string> = {
  catalog: 'Catalog',
  create: 'Create',
  docs: 'Docs',
  search: 'Search',
  locations: 'Locations',
  problems: 'Problems',
  settings: 'Settings',
};

/**
 * The window's title on a route: the entity's or template's name, else
 * the page's, then "Callboard" ("payments — Callboard"); Home is
 * "Callboard" alone.
 */
export function titleOf(pathname: string): string {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return 'Callboard';
  }
  const [a = '', b = '', c = '', d = ''] = parts;
  let page: string | undefined;
  if (parts.length === 4 && (a === 'catalog' || (a === 'create' && b === 'templates'))) page = c === 'default' ? d : `${c}/${d}`;
  else if (parts.length === 3 && a === 'create' && b === 'runs') page = 'Template run';
  else if (parts.length === 2 && a === 'docs' && b === 'preview') page = 'Docs preview';
  else if (parts.length === 1) page = PAGE_TITLES[a];
  return page ? `${page} — Callboard` : 'Callboard';
}

/** A route the window may go to: a path of the UI's own, never a URL. */
export function isRoute(route: string): boolean {
  return route.startsWith('/') && !route.startsWith('//') && !route.includes('\\') && !CONTROL.test(route);
}
