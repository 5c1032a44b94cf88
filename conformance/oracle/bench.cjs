'use strict';
// The Backstage side of `make bench`: Backstage's own parser, entity
// policies and model processor (validation and relations) run over every
// file a root Location lists, in one Node process, without a database.
// This is the validation work of Backstage's catalog, nothing more.
//
// usage: node bench.cjs MODULES_DIR CATALOG_DIR   (prints one JSON line)

const path = require('node:path');
const fs = require('node:fs');
const { createRequire } = require('node:module');

const [modulesDir, catalogDir] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(modulesDir), 'package.json'));
const backendDist = path.dirname(req.resolve('@backstage/plugin-catalog-backend'));
const model = req('@backstage/catalog-model');
const alpha = req('@backstage/catalog-model/alpha');
const scaffolder = req('@backstage/plugin-scaffolder-common/alpha');
const { parseEntityYaml } = req('@backstage/plugin-catalog-node');
const { ModelProcessor } = req(path.join(backendDist, 'processors/ModelProcessor.cjs.js'));

const processor = new ModelProcessor({
  model: alpha.compileCatalogModel([
    alpha.defaultCatalogEntityModel,
    alpha.aiResourceEntityModel,
    alpha.mcpServerApiEntityModel,
    scaffolder.scaffolderCatalogModelLayer,
  ]),
});
const policy = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(),
]);

async function main() {
  const root = path.resolve(catalogDir);
  const start = process.hrtime.bigint();
  let entities = 0;
  let invalid = 0;
  let relations = 0;
  let bytes = 0;
  const queue = ['catalog-info.yaml'];
  const seen = new Set();
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const data = fs.readFileSync(path.join(root, file));
    bytes += data.length;
    const location = { type: 'file', target: path.join(root, file) };
    for (const result of parseEntityYaml(data, location)) {
      if (result.type !== 'entity') {
        invalid++;
        continue;
      }
      entities++;
      try {
        const entity = await policy.enforce(result.entity);
        if (!(await processor.validateEntityKind(entity))) throw new Error('unknown kind');
        await processor.postProcessEntity(entity, location, () => relations++);
        if (entity.kind === 'Location') {
          for (const t of [entity.spec.target, ...(entity.spec.targets ?? [])].filter(Boolean)) {
            queue.push(path.normalize(path.join(path.dirname(file), t)));
          }
        }
      } catch {
        invalid++;
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ entities, invalid, relations, files: seen.size, bytes, seconds }) + '\n');
}

main().catch(e => {
  process.stderr.write(`bench: ${e.stack}\n`);
  process.exit(1);
});
