// What @backstage/catalog-client reads from a backend: every entity, read
// with queryEntities' cursor pages, one JSON line each, sorted by ref.
// usage: node oracle.cjs URL TOKEN
const { CatalogClient } = require('@backstage/catalog-client');
const [base, token] = process.argv.slice(2);
const client = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${base}/api/catalog` } });
(async () => {
  const out = [];
  let cursor;
  for (;;) {
    const page = await client.queryEntities(cursor ? { cursor, limit: 500 } : { limit: 500 }, { token });
    out.push(...page.items);
    cursor = page.pageInfo.nextCursor;
    if (!cursor) break;
  }
  const ref = e => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
  out.sort((a, b) => (ref(a) < ref(b) ? -1 : ref(a) > ref(b) ? 1 : 0));
  for (const e of out) process.stdout.write(JSON.stringify(e) + '\n');
})().catch(e => { console.error(e); process.exit(1); });
