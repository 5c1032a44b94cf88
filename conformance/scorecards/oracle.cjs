// Runs json-rules-engine, which Backstage Tech Insights' fact checkers
// (@backstage-community/plugin-tech-insights-backend-module-jsonfc) run,
// for app/scorecard's differential test of its operators. Reads a JSON
// list of cases ({operator, fact, value}) on stdin and writes, per case,
// whether a rule of that one condition passed ("pass", "fail") or the
// engine threw ("error").
'use strict';

const { Engine } = require('json-rules-engine');

async function answer(c) {
  const engine = new Engine([], { allowUndefinedFacts: false });
  engine.addRule({
    conditions: { all: [{ fact: 'x', operator: c.operator, value: c.value }] },
    event: { type: 'pass' },
  });
  try {
    const { events } = await engine.run({ x: c.fact });
    return events.length === 1 ? 'pass' : 'fail';
  } catch (e) {
    return 'error';
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = [];
  for (const c of cases) out.push(await answer(c));
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
