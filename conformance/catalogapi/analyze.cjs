// Records how Backstage's catalog backend answers POST /analyze-location:
// the backend's own OpenAPI router (request validation), the route's zod
// check and its RepoLocationAnalyzer with the integrations Backstage has
// without configuration and no SCM analyzer modules, as the peer of
// scripts/catalogapi-peer.sh runs them, served on loopback by express.
// Needs no database. Usage, from the repository root:
//
//   node conformance/catalogapi/analyze.cjs <node_modules> > app/catalogapi/testdata/analyze-peer.jsonl
//
// where <node_modules> holds @backstage/plugin-catalog-backend
// (.cache/tools/catalogapi/node_modules after `make conformance-catalog-api`).
const path = require('path');
const nm = path.resolve(process.argv[2] || '.cache/tools/catalogapi/node_modules');
const req = (p) => require(path.join(nm, p));
const gen = req('@backstage/plugin-catalog-backend/dist/schema/openapi/generated/router.cjs.js');
const util = req('@backstage/plugin-catalog-backend/dist/service/util.cjs.js');
const { RepoLocationAnalyzer } = req('@backstage/plugin-catalog-backend/dist/ingestion/LocationAnalyzer.cjs.js');
const { ScmIntegrations } = req('@backstage/integration');
const { ConfigReader } = req('@backstage/config');
const { InputError } = req('@backstage/errors');
const v3 = req('zod/v3');
const express = req('express');

const loc = (target, extra = {}) => JSON.stringify({ location: { type: 'url', target }, ...extra });
const bodies = [
  loc('https://github.com/acme/shop'),
  loc('https://github.com/acme/shop/tree/dev'),
  loc('https://github.com/Acme/New-Svc/blob/main/catalog-info.yaml'),
  loc('https://github.com/acme/shop.git'),
  loc('https://gitlab.com/g/sub/proj'),
  loc('https://gitlab.com/g/sub/proj/-/blob/main/catalog-info.yaml'),
  loc('https://dev.azure.com/org/proj/_git/repo'),
  loc('https://bitbucket.org/ws/repo/src/main/catalog-info.yaml'),
  loc('https://git.example.com/team/tool.git'),
  loc('https://example.com'),
  loc('https://github.com/acme/shop', { catalogFilename: 'backstage.yaml' }),
  JSON.stringify({ location: { type: 'file', target: 'https://github.com/acme/shop' } }),
  '{}',
  '{"location":"url:https://github.com/acme/shop"}',
  '{"location":{"type":"url"}}',
  '{"location":{"target":"https://github.com/acme/shop"}}',
  loc('https://github.com/acme/shop', {}).replace('}}', ',"presence":"optional"}}'),
  '{"location":{"type":1,"target":"https://github.com/acme/shop"}}',
  '{"location":{"type":"url","target":null}}',
  loc('https://github.com/acme/shop', { catalogFileName: 2 }),
  loc('https://github.com/acme/shop', { catalogFilename: 2 }),
  loc('https://github.com/acme/shop', { catalogFilename: null }),
  loc('not a url'),
];

const analyzer = new RepoLocationAnalyzer({ debug() {} }, ScmIntegrations.fromConfig(new ConfigReader({})), []);
(async () => {
  const router = await gen.createOpenApiRouter();
  // As the route in service/createRouter does it.
  router.post('/analyze-location', async (r, res) => {
    const body = await util.validateRequestBody(r, v3.z.object({ location: util.locationInput, catalogFilename: v3.z.string().optional() }));
    try {
      res.status(200).json(await analyzer.analyzeLocation(body));
    } catch (err) {
      if (err.name === 'Error' && 'subject_url' in err) throw new InputError('The given location.target is not a URL');
      throw err;
    }
  });
  const app = express();
  app.use(router);
  app.use((err, _r, res, _next) => res.status(err.name === 'InputError' ? 400 : 500).json({ error: { name: err.name, message: err.message } }));
  const srv = app.listen(0, '127.0.0.1', async () => {
    const url = `http://127.0.0.1:${srv.address().port}/analyze-location`;
    for (const body of bodies) {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      console.log(JSON.stringify({ body, status: r.status, response: await r.json() }));
    }
    srv.close();
  });
})();
