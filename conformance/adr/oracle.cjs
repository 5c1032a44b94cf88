// Runs Backstage's ADR plugin on ADR files, for app/adr's differential
// test. Reads a JSON list of cases ({path, content}) on stdin and writes,
// per case, the plugin's verdicts: whether madrFilePathFilter
// (@backstage/plugin-adr-common) takes the path, and what the backend's
// MADR parser (createMadrParser of @backstage/plugin-adr-backend, whose
// dist file ADR_BACKEND names) makes of the content: title, status and
// date, or the error it throws.
//
// The backend's package also holds its HTTP router and its plugin, which
// need Backstage's backend framework; the parser needs none of it, so
// those modules are stubbed rather than installed (hundreds of packages).
'use strict';

const Module = require('module');

const stubbed = new Set([
  '@backstage/backend-common',
  '@backstage/backend-plugin-api',
  '@backstage/catalog-client',
  '@backstage/errors',
  '@backstage/integration',
  'express',
  'express-promise-router',
]);
// A stub any property of which is the stub, and which returns itself
// when called: enough for the module's top level to run.
const stub = new Proxy(function () {}, {
  get: (target, prop) => (prop === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (stubbed.has(request)) return stub;
  return load.call(this, request, parent, isMain);
};

const { madrFilePathFilter } = require('@backstage/plugin-adr-common');
const { createMadrParser } = require(process.env.ADR_BACKEND);

const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } };

async function answer(parse, c) {
  const out = { filter: madrFilePathFilter(c.path) };
  try {
    const doc = await parse({ entity, content: c.content, path: c.path });
    out.title = doc.title;
    if (doc.status !== undefined) out.status = doc.status;
    if (doc.date !== undefined) out.date = doc.date;
  } catch (e) {
    out.error = String(e && e.message ? e.message : e);
  }
  return out;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const parse = createMadrParser();
  const out = [];
  for (const c of cases) out.push(await answer(parse, c));
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
