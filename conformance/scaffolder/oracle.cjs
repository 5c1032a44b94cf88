// Runs templates' steps through Backstage's own NunjucksWorkflowRunner
// (@backstage/plugin-scaffolder-backend), for app/scaffold's differential
// test. Reads a JSON list of cases ({name, steps, dryRun}) on stdin
// and writes, per case, the inputs each test:record step received and the
// task's error. The runner is not exported, so it is loaded from the
// package's dist folder; its actions are test actions defined here.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const backend = path.dirname(require.resolve('@backstage/plugin-scaffolder-backend/package.json'));
const { NunjucksWorkflowRunner } = require(path.join(backend, 'dist/scaffolder/tasks/NunjucksWorkflowRunner.cjs.js'));
const { ScmIntegrations } = require('@backstage/integration');
const { ConfigReader } = require('@backstage/config');
const { NotFoundError } = require('@backstage/errors');

const logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return logger;
  },
};

// A metrics service that keeps nothing.
const instrument = { add() {}, record() {} };
const metrics = new Proxy({}, { get: () => () => instrument });

let records = [];

async function runCase(runner, c) {
  records = [];
  const task = {
    taskId: 'task',
    isDryRun: Boolean(c.dryRun),
    secrets: {},
    cancelSignal: new AbortController().signal,
    spec: { apiVersion: 'scaffolder.backstage.io/v1beta3', steps: c.steps, output: {}, parameters: {} },
    async getWorkspaceName() {
      return 'task';
    },
    async getInitiatorCredentials() {
      return {};
    },
    async emitLog() {},
  };
  let error = '';
  try {
    await runner.execute(task);
  } catch (e) {
    error = String(e && e.message ? e.message : e);
  }
  return { records, error };
}

function newRunner(workingDirectory) {
  const actions = {
    // Sets each of input.outputs as an output.
    'test:output': {
      id: 'test:output',
      supportsDryRun: true,
      async handler(ctx) {
        for (const [k, v] of Object.entries(ctx.input.outputs ?? {})) ctx.output(k, v);
      },
    },
    // Sets its outputs, then fails.
    'test:fail': {
      id: 'test:fail',
      supportsDryRun: true,
      async handler(ctx) {
        for (const [k, v] of Object.entries(ctx.input.outputs ?? {})) ctx.output(k, v);
        throw new Error('test:fail fails');
      },
    },
    // Keeps its rendered input.
    'test:record': {
      id: 'test:record',
      supportsDryRun: true,
      async handler(ctx) {
        records.push(ctx.input);
      },
    },
    // An action that does not run in a dry run, without an output schema:
    // what Backstage does with it is what Callboard does with an action
    // it does not have.
    'test:missing': {
      id: 'test:missing',
      supportsDryRun: false,
      async handler(ctx) {
        ctx.output('url', 'https://example.com');
      },
    },
  };
  return new NunjucksWorkflowRunner({
    workingDirectory,
    logger,
    metrics,
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    actionRegistry: {
      async get(id) {
        if (!actions[id]) throw new NotFoundError(`Template action with ID '${id}' is not registered.`);
        return actions[id];
      },
    },
  });
}

async function main() {
  const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callboard-scaffolder-oracle-'));
  const out = [];
  try {
    const runner = newRunner(dir);
    for (const c of cases) out.push(await runCase(runner, c));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
