'use strict';
// The Node side of `make bench`'s software-template figure: the skeleton of
// app/scaffold's benchmark template rendered with nunjitsu configured as
// Backstage's fetch:template configures it (the filters of oracle.cjs,
// `${{ }}` tags, no cookiecutter compatibility, no trim/lstrip), file names
// and contents, and written to a fresh folder, once per run. Only that:
// no copy of the template into a workspace first, no git repository, no
// catalog registration, and synchronous fs calls — all of which flatter it
// against Callboard's end-to-end run.
//
// usage: NODE_PATH=.cache/tools/nunjucks/node_modules \
//   node bench.cjs TEMPLATE_DIR OUT_DIR [RUNS]
// TEMPLATE_DIR holds skeleton/ and values.json (what
// `CALLBOARD_BENCH_WRITE_SKELETON=DIR go test -run TestWriteBenchTemplate
// ./app/scaffold` writes). Prints one JSON line.

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createTemplateRenderer } = require('nunjitsu');
const { filters } = require('./oracle.cjs');

const [templateDir, outDir, runsArg] = process.argv.slice(2);
if (!templateDir || !outDir) {
  console.error('usage: node bench.cjs TEMPLATE_DIR OUT_DIR [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg || 10);
const skeletonDir = path.join(templateDir, 'skeleton');
const values = JSON.parse(fs.readFileSync(path.join(templateDir, 'values.json'), 'utf8'));

// globby('**/*', {dot: true, onlyFiles: false, markDirectories: true}):
// folders end in '/'.
function entries(dir, prefix = '') {
  const out = [];
  for (const d of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix + d.name;
    if (d.isDirectory()) {
      out.push(rel + '/', ...entries(dir, rel + '/'));
    } else {
      out.push(rel);
    }
  }
  return out;
}

// containsSkippedContent: a name that rendered empty.
function skipped(p) {
  return p === '' || p.startsWith('/') || p.includes('//');
}

// isbinaryfile in short: a NUL byte in the first 8 KiB.
function isBinary(buf) {
  return buf.subarray(0, 8000).includes(0);
}

// One fetch:template run into target; returns the number of files written.
function scaffold(target) {
  const renderer = createTemplateRenderer({
    filters,
    allowRegexExecution: true,
    cookiecutterCompat: false,
    trimBlocks: false,
    lstripBlocks: false,
  });
  const context = renderer.prepareContext({ values });
  let written = 0;
  for (const location of entries(skeletonDir)) {
    const local = renderer.render(location, context);
    if (skipped(local.endsWith('/') ? local.slice(0, -1) : local)) continue;
    const output = path.join(target, local);
    if (fs.existsSync(output)) continue;
    if (location.endsWith('/')) {
      fs.mkdirSync(output, { recursive: true });
      continue;
    }
    const input = path.join(skeletonDir, location);
    const stats = fs.lstatSync(input);
    const data = fs.readFileSync(input);
    fs.mkdirSync(path.dirname(output), { recursive: true });
    if (stats.isSymbolicLink() || isBinary(data)) {
      fs.writeFileSync(output, data, { mode: stats.mode });
    } else {
      fs.writeFileSync(output, renderer.render(data.toString('utf8'), context), { mode: stats.mode });
    }
    written++;
  }
  return written;
}

fs.mkdirSync(outDir, { recursive: true });
let files = scaffold(path.join(outDir, 'warmup'));
const times = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  files = scaffold(path.join(outDir, `run-${i}`));
  times.push(performance.now() - start);
}
// Gone again, as Go's benchmark removes its folders when it ends (on
// some disks deleting files slows the next creations).
for (const d of ['warmup', ...times.map((_, i) => `run-${i}`)]) {
  fs.rmSync(path.join(outDir, d), { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const version = require('nunjitsu/package.json').version;
console.log(JSON.stringify({
  engine: `nunjitsu ${version}, node ${process.versions.node}`,
  files,
  runs,
  medianMs: Number(times[Math.floor(times.length / 2)].toFixed(1)),
  minMs: Number(times[0].toFixed(1)),
  maxMs: Number(times[times.length - 1].toFixed(1)),
}));
