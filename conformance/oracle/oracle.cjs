'use strict';
// The conformance oracle: Backstage's own catalog processing pipeline
// (@backstage/plugin-catalog-backend's orchestrator, policies, placeholder,
// file reader and model processors; the compiled catalog model with the
// AiResource, MCP server and scaffolder Template layers) run over files on
// disk. It prints one JSON verdict per root file for the Go conformance test.
//
// usage: node oracle.cjs MODULES_DIR ROOT_DIR FILE...   (FILE relative to ROOT_DIR)

const path = require('node:path');
const fs = require('node:fs');
const { createRequire } = require('node:module');

const [modulesDir, rootDir, ...roots] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(modulesDir), 'package.json'));
// The processors are not exported by the package, so they are loaded by path.
const backendDist = path.dirname(req.resolve('@backstage/plugin-catalog-backend'));
const internal = p => req(path.join(backendDist, p));

const model = req('@backstage/catalog-model');
const alpha = req('@backstage/catalog-model/alpha');
const scaffolder = req('@backstage/plugin-scaffolder-common/alpha');
const { ScaffolderEntitiesProcessor } = req('@backstage/plugin-catalog-backend-module-scaffolder-entity-model');
const { ScmIntegrations } = req('@backstage/integration');
const { ConfigReader } = req('@backstage/config');
const { DefaultCatalogProcessingOrchestrator } = internal('processing/DefaultCatalogProcessingOrchestrator.cjs.js');
const { ModelProcessor } = internal('processors/ModelProcessor.cjs.js');
const { UrlReaderProcessor } = internal('processors/UrlReaderProcessor.cjs.js');
const { NotFoundError } = req('@backstage/errors');
const { globSync } = req('glob');
const placeholder = internal('processors/PlaceholderProcessor.cjs.js');
const { defaultEntityDataParser } = internal('util/parse.cjs.js');

const root = fs.realpathSync(path.resolve(rootDir)); // symlinks inside it are checked against the real path
const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
const compiled = alpha.compileCatalogModel([
  alpha.defaultCatalogEntityModel,
  alpha.aiResourceEntityModel,
  alpha.mcpServerApiEntityModel,
  scaffolder.scaffolderCatalogModelLayer,
]);

// Files are served as a git host would serve them (url locations, the way
// repositories are registered in Backstage), so relative placeholders resolve
// against the file that names them. Placeholders may also name files of
// another server, served from ROOT_DIR/remote/served. The reader never
// leaves ROOT_DIR and never touches the network.
const base = 'https://git.callboard.invalid/org/repo/blob/main/';
const remoteBase = 'https://specs.callboard.invalid/';
const toFile = url => {
  let dir = root;
  let rest;
  if (url.startsWith(base)) rest = url.slice(base.length);
  else if (url.startsWith(remoteBase)) [dir, rest] = [path.join(root, 'remote', 'served'), url.slice(remoteBase.length)];
  else throw new Error(`refusing to read ${url}: not in this repository`);
  const abs = path.resolve(dir, decodeURIComponent(rest));
  if (!abs.startsWith(dir + path.sep)) throw new Error(`refusing to read ${url}: outside the repository`);
  return abs;
};
const read = abs => {
  if (!fs.existsSync(abs)) throw new NotFoundError(`${abs} does not exist`);
  if (!fs.realpathSync(abs).startsWith(root + path.sep)) throw new Error(`refusing to follow a symlink out of the repository`);
  return fs.readFileSync(abs);
};
const reader = {
  async readUrl(url) {
    const data = read(toFile(url));
    return { buffer: async () => data };
  },
  async search(url) {
    const abs = toFile(url);
    const rel = path.relative(root, abs);
    const matches = /[*?[{]/.test(rel) ? globSync(rel, { cwd: root }).sort() : [rel];
    return {
      files: matches.map(m => ({ url: base + m, content: async () => read(path.join(root, m)) })),
    };
  },
};

const silent = { child: () => silent, debug() {}, info() {}, warn() {}, error() {} };
const orchestrator = new DefaultCatalogProcessingOrchestrator({
  processors: [
    new placeholder.PlaceholderProcessor({
      resolvers: {
        json: placeholder.jsonPlaceholderResolver,
        yaml: placeholder.yamlPlaceholderResolver,
        text: placeholder.textPlaceholderResolver,
      },
      reader,
      integrations,
    }),
    new ModelProcessor({ model: compiled }),
    new ScaffolderEntitiesProcessor(),
    new UrlReaderProcessor({ reader }),
  ],
  integrations,
  logger: silent,
  parser: defaultEntityDataParser,
  policy: model.EntityPolicies.allOf([
    new model.SchemaValidEntityPolicy(),
    new model.DefaultNamespaceEntityPolicy(),
    new model.NoForeignRootFieldsEntityPolicy(),
    new model.FieldFormatEntityPolicy(),
  ]),
  rulesEnforcer: { isAllowed: () => true },
});

const rel = ref => ref.replace(/^url:/, '').replace(base, '');
const message = e => e.message;

async function processRoot(file) {
  const target = base + file;
  const locationRef = `url:${target}`;
  const rootLocation = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'conformance-root',
      annotations: {
        [model.ANNOTATION_LOCATION]: locationRef,
        [model.ANNOTATION_ORIGIN_LOCATION]: locationRef,
      },
    },
    spec: { type: 'url', target },
  };
  const entities = [];
  const errors = [];
  const owners = new Map(); // entity ref -> location key that first emitted it
  const queue = [];
  const enqueue = (result, from) => {
    for (const e of result.errors ?? []) errors.push({ from, message: message(e) });
    for (const d of result.deferredEntities ?? []) queue.push(d);
  };
  enqueue(await orchestrator.process({ entity: rootLocation, state: {} }), file);
  const seen = new Map();
  while (queue.length) {
    const { entity, locationKey } = queue.shift();
    const ref = model.stringifyEntityRef(entity);
    const owner = owners.get(ref);
    if (owner !== undefined && owner !== locationKey) {
      errors.push({ from: rel(locationKey), message: `conflicting entityRef ${ref}` });
      continue;
    }
    owners.set(ref, locationKey);
    const result = await orchestrator.process({ entity, state: {} });
    const verdict = {
      ref,
      file: rel(entity.metadata.annotations[model.ANNOTATION_LOCATION]),
      ok: result.ok,
      errors: (result.errors ?? []).map(message),
      relations: (result.relations ?? [])
        .map(r => `${model.stringifyEntityRef(r.source)} ${r.type} ${model.stringifyEntityRef(r.target)}`)
        .sort(),
    };
    // The same ref from the same location replaces the earlier one, as Backstage's upsert does.
    if (seen.has(ref)) entities.splice(entities.indexOf(seen.get(ref)), 1);
    seen.set(ref, verdict);
    entities.push(verdict);
    enqueue({ deferredEntities: result.deferredEntities }, verdict.file);
  }
  return { root: file, entities, errors };
}

(async () => {
  const results = [];
  for (const file of roots) results.push(await processRoot(file));
  process.stdout.write(JSON.stringify({ results }));
})().catch(e => {
  process.stderr.write(`oracle: ${e.stack}\n`);
  process.exit(1);
});
