'use strict';
// Reads a JSON array of cases on stdin and writes one result per case:
//   {action, input, files: {path: text}, links: {path: target}}
// → {files: {path: base64}, outputs: {name: value}, error: message}.
// Each case runs the action's handler of @roadiehq/scaffolder-backend-module-utils
// on a fresh temporary workspace with a minimal context, as Backstage's task
// runner would call it once the input passed the action's schema. The
// workspace's path in outputs and errors is written as <ws>.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const utils = require('@roadiehq/scaffolder-backend-module-utils');

const actions = Object.fromEntries(
  [
    utils.createWriteFileAction(),
    utils.createAppendFileAction(),
    utils.createParseFileAction(),
    utils.createReplaceInFileAction(),
    utils.createMergeAction(),
    utils.createMergeJSONAction({}),
    utils.createJSONataAction(),
    utils.createYamlJSONataTransformAction(),
    utils.createJsonJSONataTransformAction(),
    utils.createSerializeYamlAction(),
    utils.createSerializeJsonAction(),
    utils.createZipAction(),
    utils.createSleepAction({ maxSleep: 600 }),
  ].map(a => [a.id, a]),
);

const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };

function walk(dir, rel, out) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(p);
    if (st.isDirectory()) walk(p, r, out);
    else if (st.isFile()) out[r] = fs.readFileSync(p).toString('base64');
  }
  return out;
}

async function run(c) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roadie-oracle-'));
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws);
  const outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
  const hide = s => (typeof s === 'string' ? s.split(ws).join('<ws>').split(root).join('<root>') : s);
  try {
    for (const [p, text] of Object.entries(c.files || {})) {
      fs.mkdirSync(path.dirname(path.join(ws, p)), { recursive: true });
      fs.writeFileSync(path.join(ws, p), text);
    }
    for (const [p, target] of Object.entries(c.links || {})) {
      fs.symlinkSync(target.replace('<outside>', outside), path.join(ws, p));
    }
    const outputs = {};
    const action = actions[c.action];
    let error;
    try {
      await action.handler({
        workspacePath: ws,
        input: c.input,
        logger,
        output(name, value) {
          outputs[name] = value;
        },
        checkpoint: async ({ fn }) => fn(),
        createTemporaryDirectory: async () => fs.mkdtempSync(path.join(root, 'tmp-')),
      });
    } catch (e) {
      error = hide(String(e && e.message !== undefined ? e.message : e)) || 'error';
    }
    const result = { files: walk(ws, '', {}), outputs: JSON.parse(hide(JSON.stringify(outputs))) };
    if (fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8') !== 'secret\n' || fs.readdirSync(outside).length !== 1) {
      result.escaped = true;
    }
    if (error !== undefined) result.error = error;
    return result;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const results = [];
  for (const c of cases) results.push(await run(c));
  process.stdout.write(JSON.stringify(results));
}

main().catch(e => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
