// Asks a Backstage catalog backend a seeded set of queries through
// @backstage/catalog-client and writes each HTTP exchange it made, one JSON
// object a line, to OUT. app/catalogapi's differential test replays the
// same requests against Callboard and compares the answers.
//
// env: BASE (the backend), EXPECTED (entities to wait for), OUT, SEED.
'use strict';
const fs = require('fs');
const { CatalogClient } = require('@backstage/catalog-client');

const BASE = process.env.BASE;
const EXPECTED = Number(process.env.EXPECTED);
const OUT = process.env.OUT;

// mulberry32: a small seeded generator, so the set of queries is the same
// on every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(Number(process.env.SEED || 26));
const pick = xs => xs[Math.floor(rand() * xs.length)];
const int = n => Math.floor(rand() * n);

// Every exchange of the current case, captured from the client's fetch.
let exchanges = [];
const fetchApi = {
  async fetch(input, init) {
    const url = new URL(typeof input === 'string' ? input : input.url);
    const res = await fetch(input, init);
    const text = await res.clone().text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = text; }
    exchanges.push({
      method: (init && init.method) || 'GET',
      url: url.pathname.replace(/^\/api\/catalog/, '') + url.search,
      body: init && init.body ? JSON.parse(init.body) : undefined,
      status: res.status,
      ...(res.headers.get('link') ? { link: res.headers.get('link') } : {}),
      response: body,
    });
    return res;
  },
};
const client = new CatalogClient({
  discoveryApi: { getBaseUrl: async () => `${BASE}/api/catalog` },
  fetchApi,
});

async function waitLoaded() {
  const deadline = Date.now() + 10 * 60 * 1000;
  for (;;) {
    try {
      const r = await fetch(`${BASE}/api/catalog/entities/by-query?limit=1`);
      if (r.ok) {
        const j = await r.json();
        if (j.totalItems >= EXPECTED) return;
        console.error(`loaded ${j.totalItems}/${EXPECTED}`);
      }
    } catch {}
    if (Date.now() > deadline) throw new Error('the backend never loaded the catalog');
    await new Promise(r => setTimeout(r, 2000));
  }
}

async function main() {
  await waitLoaded();
  // What the catalog holds, to draw filter values from.
  const all = (await client.getEntities()).items;
  const values = path => {
    const out = new Set();
    for (const e of all) {
      let v = path.split('.').reduce((o, k) => (o == null ? o : o[k]), e);
      for (const x of [].concat(v ?? [])) if (typeof x === 'string') out.add(x);
    }
    return [...out].sort();
  };
  const refs = all.map(e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase()).sort();
  const kinds = values('kind');
  const types = values('spec.type');
  const lifecycles = values('spec.lifecycle');
  const owners = values('spec.owner');
  const systems = values('spec.system');
  const tags = values('metadata.tags');
  const names = values('metadata.name');
  const relTypes = [...new Set(all.flatMap(e => (e.relations || []).map(r => r.type)))].sort();
  const relTargets = t => [...new Set(all.flatMap(e => (e.relations || []).filter(r => r.type === t).map(r => r.targetRef)))].sort();
  const odd = s => [...s].map(c => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');

  // One condition of a filter, of every kind the API knows.
  const condition = () => {
    switch (int(11)) {
      case 0: return { kind: odd(pick(kinds)) };
      case 1: return { 'spec.type': pick(types) };
      case 2: return { 'spec.lifecycle': [pick(lifecycles), pick(lifecycles)] };
      case 3: return { 'spec.owner': odd(pick(owners)) };
      case 4: return { 'metadata.tags': pick(tags) };
      case 5: return { [`metadata.tags.${pick(tags)}`]: 'true' };
      case 6: { const t = pick(relTypes); return { [`relations.${odd(t)}`]: pick(relTargets(t)) }; }
      case 7: return { 'metadata.annotations.github.com/project-slug': `example/${pick(names)}` };
      case 8: return { [pick(['metadata.annotations.github.com/project-slug', 'spec.system', 'spec.profile.email', 'metadata.description', 'spec.nothing'])]: CATALOG_FILTER_EXISTS };
      case 9: return { 'spec.system': pick(systems) };
      default: return { 'metadata.name': pick(names) };
    }
  };
  const filterOf = () => {
    const n = 1 + int(3);
    const ors = [];
    for (let i = 0; i < n; i++) {
      const f = {};
      for (let j = 0, m = 1 + int(3); j < m; j++) Object.assign(f, condition());
      ors.push(f);
    }
    return n === 1 ? ors[0] : ors;
  };
  const fieldsOf = () => pick([undefined, ['kind', 'metadata.name'], ['metadata.name', 'spec.owner', 'relations'], ['metadata.annotations.github.com/project-slug', 'metadata.tags'], ['spec', 'metadata.namespace']]);

  const out = fs.createWriteStream(OUT);
  let n = 0;
  const record = async (name, fn) => {
    exchanges = [];
    let error;
    try { await fn(); } catch (e) { error = e.name; }
    out.write(JSON.stringify({ name, exchanges, ...(error ? { error } : {}) }) + '\n');
    n++;
  };

  // Filters of every kind, with fields, ordering and offset/limit.
  for (let i = 0; i < 120; i++) {
    const req = { filter: filterOf(), fields: fieldsOf() };
    if (rand() < 0.4) req.order = { field: pick(['metadata.name', 'kind', 'spec.type', 'metadata.title']), order: pick(['asc', 'desc']) };
    if (rand() < 0.3) { req.limit = 1 + int(20); req.offset = int(30); }
    await record(`entities ${i}`, () => client.getEntities(req));
  }
  // Pagination of GET /entities through the Link header's after cursor, to the end.
  for (let i = 0; i < 10; i++) {
    await record(`entities after ${i}`, async () => {
      const filter = pick(['', '&filter=kind%3Dcomponent', '&filter=kind%3Dapi&filter=kind%3Dsystem']);
      let path = `/entities?limit=${10 + int(40)}&order=${pick(['asc', 'desc'])}:metadata.name${filter}`;
      for (let page = 0; page < 40 && path; page++) {
        await fetchApi.fetch(`${BASE}/api/catalog${path}`);
        const m = /^<([^>]*)>; rel="next"$/.exec(exchanges[exchanges.length - 1].link || '');
        path = m ? m[1].replace(/^\/api\/catalog/, '') : '';
      }
    });
  }
  // by-query: filters, ordering, full text, paged to the end by cursor.
  for (let i = 0; i < 80; i++) {
    await record(`query ${i}`, async () => {
      const req = { limit: pick([5, 20, 50, 100]) };
      if (rand() < 0.7) req.filter = filterOf();
      if (rand() < 0.6) req.orderFields = { field: pick(['metadata.name', 'metadata.title', 'spec.type', 'kind']), order: pick(['asc', 'desc']) };
      if (rand() < 0.3) req.fullTextFilter = { term: pick(['svc', 'payment', 'API', 'team', 'user1', ' ledger ']), fields: pick([undefined, ['metadata.name'], ['metadata.name', 'metadata.title'], ['spec.profile.displayName']]) };
      if (rand() < 0.3) req.fields = fieldsOf();
      let r = await client.queryEntities(req);
      for (let page = 0; page < 60 && r.pageInfo.nextCursor; page++) {
        r = await client.queryEntities({ cursor: r.pageInfo.nextCursor, limit: req.limit, fields: req.fields });
      }
      if (r.pageInfo.prevCursor) await client.queryEntities({ cursor: r.pageInfo.prevCursor, limit: req.limit });
    });
  }
  // by-refs with missing refs, duplicates and fields.
  for (let i = 0; i < 40; i++) {
    const entityRefs = [];
    for (let j = 0, m = 1 + int(12); j < m; j++) {
      entityRefs.push(pick([pick(refs), pick(refs), `component:default/missing-${int(5)}`, pick(refs).toUpperCase()]));
    }
    await record(`refs ${i}`, () => client.getEntitiesByRefs({ entityRefs, fields: fieldsOf() }));
  }
  // Facets, with and without filters.
  for (let i = 0; i < 40; i++) {
    const facets = [];
    for (let j = 0, m = 1 + int(3); j < m; j++) facets.push(pick(['kind', 'spec.type', 'spec.lifecycle', 'metadata.tags', 'spec.owner', 'metadata.namespace', 'relations.ownedBy', 'spec.Type', 'metadata.annotations.github.com/project-slug']));
    await record(`facets ${i}`, () => client.getEntityFacets({ facets: [...new Set(facets)], filter: rand() < 0.6 ? filterOf() : undefined }));
  }
  // By name, by uid of an unknown entity, ancestry.
  for (let i = 0; i < 15; i++) {
    const ref = rand() < 0.8 ? pick(refs) : 'component:default/missing';
    await record(`by-name ${i}`, () => client.getEntityByRef(odd(ref)));
    await record(`ancestry ${i}`, () => client.getEntityAncestors({ entityRef: ref }));
  }
  await record('by-uid missing', () => fetchApi.fetch(`${BASE}/api/catalog/entities/by-uid/00000000-0000-0000-0000-000000000000`));
  // Bad input: what Backstage answers to it.
  const bad = [
    '/entities?filter=%3Dcomponent', '/entities?filter=kind%3Dcomponent,%3Dx', '/entities?limit=0', '/entities?limit=-1',
    '/entities?limit=abc', '/entities?offset=-5', '/entities?after=', '/entities?after=%25%25%25', '/entities?after=bm90IGpzb24',
    '/entities?fields=metadata.tags[0]', '/entities?order=sideways:metadata.name', '/entities?order=asc', '/entities?limit=10000000&filter=kind%3Ddomain',
    '/entities/by-query?limit=10000000&filter=kind%3Ddomain', '/entities/by-query?cursor=garbage', '/entities/by-query?cursor=eyJmb28iOjF9',
    '/entities/by-query?limit=-3', '/entities/by-query?orderField=metadata.name,sideways', '/entities/by-query?offset=-1',
    '/entities/by-query?filter=kind%3Dnope&limit=5', '/entity-facets', '/entities/by-name/component/default', '/entities/by-query?fullTextFilterTerm=&limit=3',
  ];
  for (const path of bad) {
    await record(`bad ${path}`, () => fetchApi.fetch(`${BASE}/api/catalog${path}`));
  }
  await record('bad by-refs body', () => fetchApi.fetch(`${BASE}/api/catalog/entities/by-refs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entityRefs: 'x' }) }));
  await record('bad by-refs json', () => fetchApi.fetch(`${BASE}/api/catalog/entities/by-refs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nothing: 1 }) }));
  // A cursor of one query given to a by-query with another filter.
  await record('cursor from another query', async () => {
    const r = await client.queryEntities({ filter: { kind: 'component' }, limit: 3 });
    await fetchApi.fetch(`${BASE}/api/catalog/entities/by-query?cursor=${encodeURIComponent(r.pageInfo.nextCursor)}&filter=kind%3Dapi`);
  });
  out.end();
  await new Promise(r => out.on('finish', r));
  console.error(`recorded ${n} cases`);
}

const CATALOG_FILTER_EXISTS = require('@backstage/catalog-client').CATALOG_FILTER_EXISTS;
main().catch(e => { console.error(e); process.exit(1); });
