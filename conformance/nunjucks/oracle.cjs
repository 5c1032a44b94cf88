'use strict';
// Reads a JSON array of cases on stdin and writes one result per case:
//   {template, data, options: {cookiecutterCompat, trimBlocks, lstripBlocks},
//    mode: "string" | "value", engine: "nunjitsu" | "nunjucks"}
// → {output} (string mode), {value} or {undefined: true} (value mode), or
//   {error: message}.
// nunjitsu is configured as Backstage's scaffolder configures it
// (fetch:template for string mode, NunjucksWorkflowRunner.render for value
// mode); nunjucks 3.2.4 as Backstage's SecureTemplater did before nunjitsu.
// Backstage's template filters are ported here from
// @backstage/plugin-scaffolder-backend 4.3 and plugin-scaffolder-node 1.0
// (their packages pull in the whole backend).

const { createTemplateRenderer } = require('nunjitsu');
const nunjucks = require('nunjucks');
const { parseEntityRef } = require('@backstage/catalog-model');
const { get, trim } = require('lodash');

// ScmIntegrations' default hosts.
const integrationTypes = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucketCloud',
  'dev.azure.com': 'azure',
};

function checkRequiredParams(repoUrl, ...params) {
  for (const param of params) {
    if (!repoUrl.searchParams.get(param)) {
      throw new Error(`Invalid repo URL passed to publisher: ${repoUrl.toString()}, missing ${param}`);
    }
  }
}

function parseRepoUrl(repoUrl) {
  let parsed;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch (error) {
    throw new Error(`Invalid repo URL passed to publisher, got ${repoUrl}, ${error}`);
  }
  const host = parsed.host;
  const type = integrationTypes[host];
  if (!type) {
    throw new Error(`No matching integration configuration for host ${host}, please check your integrations config`);
  }
  const { owner, organization, workspace, project, repo } = Object.fromEntries(
    ['owner', 'organization', 'workspace', 'project', 'repo'].map(param => [
      param,
      parsed.searchParams.has(param) ? trim(parsed.searchParams.get(param), '/') : undefined,
    ]),
  );
  switch (type) {
    case 'bitbucketCloud':
      checkRequiredParams(parsed, 'workspace', 'project', 'repo');
      break;
    case 'bitbucketServer':
    case 'azure':
      checkRequiredParams(parsed, 'project', 'repo');
      break;
    case 'gitlab':
      if (!project) checkRequiredParams(parsed, 'owner', 'repo');
      break;
    case 'gitea':
    case 'gerrit':
      checkRequiredParams(parsed, 'repo');
      break;
    default:
      checkRequiredParams(parsed, 'repo', 'owner');
  }
  return { host, owner, repo, organization, workspace, project };
}

const filters = {
  parseRepoUrl: url => parseRepoUrl(url),
  parseEntityRef: (ref, context) => parseEntityRef(ref, context),
  pick: get,
  projectSlug: repoUrl => {
    const { owner, repo } = parseRepoUrl(repoUrl);
    return `${owner}/${repo}`;
  },
};

// Test globals: a value and a function, as the runner's always()/failure().
const globals = {
  greeting: 'hello',
  always: () => true,
  failure: () => false,
  twice: x => [x, x],
};

function nunjitsuRenderer(options) {
  return createTemplateRenderer({
    filters,
    globals,
    allowRegexExecution: true,
    cookiecutterCompat: options.cookiecutterCompat,
    trimBlocks: options.trimBlocks,
    lstripBlocks: options.lstripBlocks,
  });
}

// NunjucksWorkflowRunner.render.
function renderValue(renderer, input, context) {
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    try {
      if (typeof value === 'string') {
        return renderer.renderValue(value, context, { coercion: 'json' });
      }
    } catch {
      return value;
    }
    return value;
  });
}

// SecureTemplater before nunjitsu: nunjucks 3.2.4, autoescape off, `${{`
// tags unless cookiecutterCompat.
function nunjucksEnv(options) {
  const env = new nunjucks.Environment(undefined, {
    autoescape: false,
    trimBlocks: options.trimBlocks,
    lstripBlocks: options.lstripBlocks,
    ...(options.cookiecutterCompat ? {} : { tags: { variableStart: '${{', variableEnd: '}}' } }),
  });
  for (const [name, f] of Object.entries(filters)) env.addFilter(name, f);
  if (options.cookiecutterCompat) env.addFilter('jsonify', s => JSON.stringify(s));
  for (const [name, g] of Object.entries(globals)) env.addGlobal(name, g);
  return env;
}

function run(c) {
  const options = c.options || {};
  const data = c.data || {};
  try {
    if ((c.engine || 'nunjitsu') === 'nunjucks') {
      return { output: nunjucksEnv(options).renderString(c.template, data) };
    }
    const renderer = nunjitsuRenderer(options);
    if (c.mode === 'value') {
      const value = renderValue(renderer, c.template, renderer.prepareContext(data));
      return value === undefined ? { undefined: true } : { value: JSON.stringify(value) };
    }
    return { output: renderer.render(c.template, renderer.prepareContext(data)) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

// bench.cjs renders with the same filters.
module.exports = { filters };

if (require.main === module) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { input += chunk; });
  process.stdin.on('end', () => {
    const cases = JSON.parse(input);
    process.stdout.write(JSON.stringify(cases.map(run)));
  });
}
