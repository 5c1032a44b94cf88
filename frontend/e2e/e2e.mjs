// Browser end-to-end test of the Callboard UI against a running server, the
// same steps in each browser engine, each through its WebDriver.
// Env: CALLBOARD_URL (the server, e.g. http://127.0.0.1:7007; may carry ?token=),
//      E2E_ENGINE (chromium | webkit; default chromium),
//      E2E_SUITE (full | locale: the short pass under another language; default full),
//      E2E_OUT (screenshot folder, default test-output/e2e/ENGINE),
//      E2E_BAD_CHART=1 (the test plugin bad-chart is installed: its card must fail alone),
//      E2E_SERVE_STARTED=MS,MS (the window in which serve started, epoch ms: the
//        Settings page's start time must be one of its minutes),
//      E2E_FORGE_URL (the full suite: an organisation internal/cmd/fakeforge serves,
//        whose token serve has), E2E_FORGE_REVIEW_REPO (its repository whose main
//        refuses pushes) and E2E_FORGE_CONTROL (its server that merges pull requests),
//      LANG (what the UI's language and dates are checked against),
//      CHROMIUM, CHROMEDRIVER, MINIBROWSER, WEBKIT_WEBDRIVER (binaries).
// Exits 1 with the failed step's name and reason.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch } from './lib/engines.mjs';
import { Page } from './lib/page.mjs';

const base = process.env.CALLBOARD_URL;
const engine = process.env.E2E_ENGINE || 'chromium';
const suite = process.env.E2E_SUITE || 'full';
const out = process.env.E2E_OUT || path.join('test-output/e2e', engine);
const badChart = process.env.E2E_BAD_CHART === '1';
const timeout = 20_000;
// The demo organisation may still be syncing when the page first loads; the
// catalog fills in on the catalog:changed event.
const catalogTimeout = 45_000;

if (!base) {
  console.error('e2e: set CALLBOARD_URL to the address of a running callboard serve');
  process.exit(1);
}

/** The page at hash route, keeping any ?token= of CALLBOARD_URL. */
function at(route) {
  const u = new URL(base);
  u.hash = route;
  return u.toString();
}

// Frontend errors the engine reported (BiDi log entries, or the page hook),
// each with the step it happened in. Those of the bad-chart test plugin are
// expected while its card is on screen, also as the cause React names when
// it reports the chart's error recovered at the root (#520).
const problems = [];
const expectedProblems = [];
let session;
let page;
let step = 'start';

function report(text) {
  const entry = `${text} (during "${step}")`;
  if (badChart && /bad-chart|bad chart|the chart has \S+ points, more than the \S+ a card draws/i.test(text)) expectedProblems.push(entry);
  else problems.push(entry);
}

async function run(name, fn) {
  step = name;
  const started = Date.now();
  await fn();
  for (const e of await page.takeHookedErrors()) report(e);
  console.log(`e2e: ${engine}: ok   ${name} (${Date.now() - started} ms)`);
}

function log(msg) {
  console.log(`e2e: ${engine}:      ${msg}`);
}

// What the UI's language should be under LANG, and the start time as it
// should read. de_DE: the German format, to the minute; C.UTF-8 (or any
// English locale): a tag starting with "en" and an English date.
const lang = process.env.LANG || 'C.UTF-8';
const german = /^de_DE\b/.test(lang);
function expectLocale(tag, started) {
  if (german) {
    if (tag !== 'de-DE' && !tag.startsWith('de')) throw new Error(`app-language is ${JSON.stringify(tag)} under LANG=${lang}, want de-DE`);
    if (!/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/.test(started)) throw new Error(`app-started reads ${JSON.stringify(started)}, want a German date like 06.12.2026, 04:40`);
  } else {
    if (!tag.startsWith('en')) throw new Error(`app-language is ${JSON.stringify(tag)} under LANG=${lang}, want a tag starting with "en"`);
    if (!/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.test(started) || !/\b\d{4}\b/.test(started)) {
      throw new Error(`app-started reads ${JSON.stringify(started)}, want an English date like Dec 6, 2026, 4:40 AM`);
    }
  }
  // The minute serve started in, formatted the same way here.
  const window = (process.env.E2E_SERVE_STARTED || '').split(',').map(Number);
  if (window.length === 2 && window.every(Number.isFinite)) {
    const fmt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const want = new Set();
    for (let t = window[0] - 60_000; t <= window[1] + 60_000; t += 30_000) want.add(fmt.format(new Date(t)).replace(/\s/g, ' '));
    if (!want.has(started.replace(/\s/g, ' '))) throw new Error(`app-started reads ${JSON.stringify(started)}; serve started at ${[...want].join(' or ')}`);
  }
}

// Steps both suites share.

async function homeShowsShell() {
  await page.goto(at('/'));
  for (const id of ['nav-home', 'nav-catalog', 'nav-create', 'nav-docs', 'nav-search', 'nav-locations', 'nav-problems', 'nav-settings', 'theme-toggle']) {
    await page.testId(id).waitFor();
  }
  await page.locator('main .card, main [role="alert"]').first().waitFor();
  const alert = page.locator('main [role="alert"]');
  if (await alert.count()) throw new Error(`the home page shows an error: ${(await alert.first().innerText()).replace(/\s+/g, ' ')}`);
  await page.screenshot('home.png');
}

async function catalogLists() {
  await page.testId('nav-catalog').click();
  await page.testId('catalog-table').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-row"]').length >= 10, null, { timeout: catalogTimeout });
  await page.screenshot('catalog.png');
}

/** booking-service's plugin cards; with bad-chart installed, its card fails alone. */
async function pluginCards() {
  const started = Date.now();
  await page.goto(at('/catalog/component/default/booking-service'));
  const cards = page.testId('plugin-card');
  await cards.filter({ hasText: 'Recent commits' }).waitFor();
  await cards.filter({ hasText: 'Commit activity' }).locator('svg').first().waitFor();
  await cards.filter({ hasText: 'Kubernetes' }).first().waitFor();
  log(`plugin cards shown ${Date.now() - started} ms after opening the page`);
  if (await page.testId('plugin-unavailable').count()) throw new Error(`a plugin is unavailable: ${await page.testId('plugin-unavailable').first().innerText()}`);
  if (badChart) {
    // The chart of bad-chart throws when drawn: an error card in its place,
    // everything else on the page as it was.
    await cards.filter({ hasText: 'Bad chart' }).testId('error-card').filter({ hasText: 'could not be shown' }).waitFor();
    await page.testId('entity-about').waitFor();
    await cards.filter({ hasText: 'Recent commits' }).waitFor();
    await cards.filter({ hasText: 'Commit activity' }).locator('svg').first().waitFor();
    const errorCards = await page.testId('error-card').count();
    if (errorCards !== 1) throw new Error(`${errorCards} error cards on the page, want only bad-chart's`);
    await page.testId('error-card').scrollIntoView();
    await page.screenshot('entity-bad-chart.png');
  }
  await cards.filter({ hasText: 'Commit activity' }).scrollIntoView();
  await page.screenshot('entity-plugins.png');
}

async function settingsLanguage() {
  await page.testId('nav-settings').click();
  const tag = (await page.testId('app-language').innerText()).trim();
  await page.waitForFunction(() => document.querySelector('[data-testid="app-started"]')?.textContent?.trim());
  const started = (await page.testId('app-started').innerText()).trim();
  log(`language ${tag}, started ${started}`);
  expectLocale(tag, started);
}

async function full() {
  await run('home page shows the shell', homeShowsShell);

  await run('the first run welcomes, and exploring the demo opens the catalog', async () => {
    await page.testId('home-welcome').waitFor();
    await page.testId('demo-banner').waitFor();
    await page.screenshot('welcome.png');
    await page.testId('welcome-explore-demo').click();
    await page.testId('catalog-table').waitFor();
  });

  await run('catalog lists entities', catalogLists);

  await run('facets filter, sort and stay in the URL; back restores them', async () => {
    // Each click waits for the page to show the last one: the URL changes at
    // once, the render follows (a transition), and a click before it would
    // act on the state before.
    const components = page.testId('facet-kind').role('checkbox', /Components/);
    await components.click();
    await page.waitForFunction(() => location.hash.includes('kind=component'));
    await page.poll(() => components.isChecked(), timeout, 'the Components filter to show checked');
    const service = page.testId('facet-type').role('checkbox', /^service/);
    await service.click();
    await page.waitForFunction(() => location.hash.includes('type=service'));
    await page.poll(() => service.isChecked(), timeout, 'the service filter to show checked');
    await page.role('button', 'Name', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('sort=name'));
    await page.locator('th.col-name[aria-sort="ascending"]').waitFor();
    // The rows follow the URL after a render.
    let names = [];
    await page.poll(async () => {
      names = await page.testId('catalog-row').locator('td.col-name').allInnerTexts();
      const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
      return names.length > 0 && names.join('|') === sorted.join('|');
    }, timeout, 'the rows sorted by name').catch(() => {
      throw new Error(`sorted by name: ${names.join(', ')}`);
    });
    await page.screenshot('catalog-filtered.png');
    const deep = await page.url();
    await page.back();
    await page.waitForFunction(() => !location.hash.includes('sort=name'));
    await page.waitForFunction(() => document.querySelector('th.col-name')?.getAttribute('aria-sort') !== 'ascending');
    await page.goto(deep);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-row"]').length > 0);
    await page.poll(() => page.testId('facet-type').role('checkbox', /^service/).isChecked(), timeout, 'the type filter from the deep link').catch(() => {
      throw new Error('a deep link lost its type filter');
    });
    await page.goto(at('/catalog'));
    await page.testId('catalog-row').first().waitFor();
  });

  let title = '';
  await run('a component opens its entity page', async () => {
    // Until the table is no longer busy its rows may be the last query's
    // (the filtered, sorted ones of the step before), which the answer to
    // this URL replaces; and the link clicked must be the link read.
    await page.locator('[data-testid="catalog-table"]:not([aria-busy="true"])').waitFor();
    const row = page
      .testId('catalog-row')
      .filter({ has: page.locator('td.col-kind', { hasText: /^component$/i }) })
      .first();
    title = (await row.locator('td.col-name a').clickReading({ read: '.entity-name-text' })).trim();
    await page.testId('entity-title').waitFor();
    await page.testId('entity-about').waitFor();
    const shown = (await page.testId('entity-title').innerText()).trim();
    if (shown !== title) throw new Error(`entity page shows "${shown}", the catalog row said "${title}"`);
    await page.screenshot('entity.png');
  });

  let entityUrlAfterStar = '';
  await run('starring the entity puts it on Home', async () => {
    const entityUrl = await page.url();
    entityUrlAfterStar = entityUrl;
    await page.role('button', 'Star', { exact: true }).click();
    await page.role('button', 'Starred').waitFor();
    await page.testId('nav-home').click();
    await page.testId('home-starred').text(title).waitFor();
    await page.testId('home-recent').text(title).waitFor();
    await page.screenshot('home-starred.png');
    await page.goto(entityUrl);
    await page.testId('entity-title').waitFor();
  });

  await run('the inspector shows the ancestry through the Location chain', async () => {
    // The demo's root location reads catalog-info.yaml, whose Location
    // entity lists the booking service's file.
    await page.goto(at('/catalog/component/default/booking-service'));
    await page.testId('entity-title').waitFor();
    await page.role('button', 'Inspect').click();
    const dialog = page.role('dialog', /^Inspect component:default\/booking-service/);
    await dialog.waitFor();
    await page.testId('ancestry-step').nth(2).waitFor();
    const steps = await page.testId('ancestry-step').allInnerTexts();
    const want = [/^Location\s+demo\s+catalog-info\.yaml/, /^Location entity\s+location:default\/marigold-ferries\s+catalog-info\.yaml:\d+\s+lists \.\/components\/booking-service\/catalog-info\.yaml/, /^This entity\s+components\/booking-service\/catalog-info\.yaml:\d+/];
    if (steps.length !== want.length || !want.every((re, i) => re.test(steps[i].trim()))) throw new Error(`ancestry: ${JSON.stringify(steps)}`);
    await page.screenshot('entity-inspector.png');
    await page.role('tab', 'Diff').click();
    await page.locator('.inspector-diff .diff-add').first().waitFor();
    await dialog.role('button', 'Close').click();
    await page.waitForFunction(() => !document.querySelector('.modal.inspector'));
    await page.goto(entityUrlAfterStar);
    await page.testId('entity-title').waitFor();
  });

  await run('the graph tab draws the relations and a node click goes there', async () => {
    await page.role('tab', 'Graph').click();
    await page.locator('.graph-node').nth(1).waitFor();
    const count = await page.locator('.graph-node').count();
    if (count < 2) throw new Error(`the graph has ${count} nodes`);
    await page.screenshot('entity-graph.png');
    // The graph opens on the entity and its neighbours at a readable size:
    // click one of the nodes in view.
    const target = await page.evaluate(() => {
      const canvas = document.querySelector('.graph-canvas')?.getBoundingClientRect();
      // Not under the minimap or the zoom buttons either.
      const over = [...document.querySelectorAll('.graph-canvas .react-flow__minimap, .graph-canvas .react-flow__controls')].map((e) => e.getBoundingClientRect());
      const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      for (const el of document.querySelectorAll('.graph-node:not(.graph-node-root):not(.graph-node-missing)')) {
        const r = el.getBoundingClientRect();
        const inside = canvas && r.left >= canvas.left && r.right <= canvas.right && r.top >= canvas.top && r.bottom <= canvas.bottom;
        if (inside && !over.some((o) => meets(o, r))) return el.getAttribute('title') ?? '';
      }
      return '';
    });
    if (!target) throw new Error('no related entity is in view on the graph');
    await page.locator(`.graph-node[title="${target}"]`).click();
    await page.waitForFunction((ref) => decodeURIComponent(location.hash).includes(ref.split(':')[1].split('/')[1]), target);
    await page.testId('entity-graph').waitFor();
    await page.back();
    await page.testId('entity-title').waitFor();
    await page.role('tab', 'Overview').click();
  });

  await run('an API entity renders its OpenAPI definition', async () => {
    await page.goto(at('/catalog/api/default/booking-api?tab=definition'));
    await page.testId('openapi').waitFor();
    await page.locator('.apidoc-op').first().waitFor();
    await page.screenshot('api-definition.png');
    await page.back();
    await page.testId('entity-title').waitFor();
  });

  await run('the command palette jumps to an entity', async () => {
    const before = await page.url();
    await page.press('Control', 'k');
    const input = page.placeholder('Jump to an entity by name…');
    await input.fill('fare engine');
    await page.locator('.palette-item', { hasText: 'Fare engine' }).waitFor();
    await page.screenshot('palette.png');
    await page.press('Enter');
    await page.waitForFunction(() => location.hash.includes('/catalog/component/default/fare-engine'));
    await page.testId('entity-title').text('Fare engine').waitFor();
    await page.goto(before);
    await page.testId('entity-title').waitFor();
  });

  await run('docs render with nav, outline and next page', async () => {
    const entityUrl = await page.url();
    await page.testId('nav-docs').click();
    await page.testId('docs-index').role('link').first().waitFor();
    await page.screenshot('docs-index.png');
    await page.goto(at('/catalog/component/default/booking-service?tab=docs'));
    const reader = page.testId('docs-reader');
    await reader.locator('.docs-content h1').first().waitFor();
    await reader.role('complementary', 'On this page').waitFor();
    await page.screenshot('docs-page.png');
    const first = await reader.locator('.docs-content h1').first().innerText();
    await reader.role('button', /Next/).click();
    await page.waitForFunction(() => location.hash.includes('page='));
    await page.waitForFunction((before) => document.querySelector('.docs-content h1')?.textContent?.replace('¶', '').trim() !== before.replace('¶', '').trim(), first);
    // Search within this site, from the runbook: the overview is the page about fare quotes.
    await reader.role('searchbox', 'Search this site').fill('fareQuoteId');
    await reader.role('list', 'Pages found').role('button', /Booking service/).first().click();
    await page.waitForFunction(() => location.hash.includes('page=index.md'));
    await page.goto(entityUrl);
    await page.testId('entity-title').waitFor();
  });

  await run('search finds an entity by a typo and marks the words', async () => {
    const entityUrl = await page.url();
    await page.testId('nav-search').click();
    await page.role('searchbox', 'Search').fill('bokking servce');
    // The first hit, once the results are those of this query, is the booking service.
    await page.waitForFunction(() => location.hash.includes('bokking'));
    await page.testId('search-hit').first().locator('.search-hit-title', { hasText: /Booking service/i }).waitFor();
    await page.testId('search-facet-kind').waitFor();
    await page.screenshot('search.png');
    await page.goto(entityUrl);
    await page.testId('entity-title').waitFor();
  });

  await run('editing the entity commits it locally, marked not pushed', async () => {
    await page.role('button', 'Edit', { exact: true }).click();
    const dialog = page.role('dialog');
    const text = dialog.label('File contents');
    await text.waitFor();
    const before = await text.inputValue();
    const edited = /^ {2}description: .*$/m.test(before)
      ? before.replace(/^ {2}description: .*$/m, '  description: Edited in the e2e test')
      : before.replace(/^( {2}name: .*)$/m, '$1\n  description: Edited in the e2e test');
    await text.fill(edited);
    await page.screenshot('entity-edit.png');
    await dialog.role('button', 'Commit', { exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.testId('entity-about').text('Edited in the e2e test').waitFor();
    await page.text('not pushed yet').first().waitFor();
    await page.role('tab', 'History').click();
    const history = page.testId('entity-history');
    await history.text(/^Update /).first().waitFor();
    await history.text('metadata.description').first().waitFor();
    await page.screenshot('entity-history.png');
    await page.role('tab', 'Overview').click();
  });

  await run('plugins show their cards on the entity page, out of process', async () => {
    // git-insights (the local clone), ci (workflows; no token) and
    // kubernetes (no kubeconfig: says how to set one), each a process.
    const entityUrl = await page.url();
    await page.goto(at('/catalog/component/default/fare-engine'));
    await page.testId('entity-title').waitFor();
    await pluginCards();
    await page.role('tab', 'CI/CD').click();
    await page.role('heading', 'Latest runs of marigold-ferries/booking-service').waitFor();
    await page.goto(entityUrl);
    await page.testId('entity-title').waitFor();
  });

  await run('settings lists the plugins, their state and log', async () => {
    const entityUrl = await page.url();
    await page.testId('nav-settings').click();
    const row = page.testId('plugin-row').filter({ has: page.text('git-insights', { exact: true }) });
    await row.waitFor();
    const rows = await page.testId('plugin-row').count();
    if (rows < 3) throw new Error(`${rows} plugins listed, want the three built-in ones`);
    await row.text('running').first().waitFor();
    await row.role('button', /Log/).click();
    await row.label('Log of git-insights').text(/started git-insights/).first().waitFor();
    await row.scrollIntoView();
    await page.screenshot('settings-plugins.png');
    await page.goto(entityUrl);
    await page.testId('entity-title').waitFor();
  });

  await run('the tech radar: its page, a blip by keyboard, Show on radar and its Home card', async () => {
    const entityUrl = await page.url();
    // The built-in techradar plugin reads the demo's techradar.yaml.
    await page.testId('nav-plugin-techradar-radar').click();
    await page.testId('plugin-radar').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="radar-blip"]').length >= 12);
    await page.evaluate(() => document.querySelector('[data-testid="radar-blip"][data-entry="kotlin"]').focus());
    await page.testId('radar-detail').filter({ hasText: 'Kotlin' }).waitFor();
    await page.testId('radar-detail').filter({ hasText: 'The fares team moved the fare engine to Kotlin' }).waitFor();
    await page.screenshot('tech-radar.png');
    // Enter opens the blip's entity.
    await page.press('Enter');
    await page.testId('entity-title').filter({ hasText: 'Fare engine' }).waitFor();
    // Its page offers "Show on radar", which opens the radar with its entries set apart.
    await page.testId('entity-plugin-actions').click();
    await page.role('menuitem', 'Show on radar').click();
    await page.testId('plugin-radar').waitFor();
    await page.locator('.radar-blip-highlighted').first().waitFor();
    await page.role('heading', 'Highlighted').waitFor();
    await page.testId('nav-home').click();
    const card = page.testId('home-plugin-card').filter({ hasText: 'Radar changes' });
    await card.waitFor();
    await card.scrollIntoView();
    await page.screenshot('home-radar-changes.png');
    if (await page.testId('home-plugin-unavailable').count()) throw new Error(`a plugin's Home card is unavailable: ${await page.testId('home-plugin-unavailable').first().innerText()}`);
    await page.goto(entityUrl);
    await page.testId('entity-title').waitFor();
  });

  // Each of these has a Chromium spec of its own (questions.mjs,
  // decisions.mjs, notifications.mjs); here they are drawn in this engine
  // too, WebKitGTK being the window's.
  await run('questions, a question, decision records and the notification centre render', async () => {
    const back = await page.url();
    await page.goto(at('/questions'));
    await page.testId('question-row').first().waitFor();
    const titles = await page.locator('[data-testid="question-row"] .question-title').allInnerTexts();
    if (titles.length !== 3) throw new Error(`${titles.length} questions listed, want the demo's 3: ${titles.join(' | ')}`);
    await page.screenshot('questions.png');
    await page.goto(at('/questions/demo/rotate-payments-gateway-keys'));
    await page.testId('answer').first().locator('.badge', { hasText: 'Accepted' }).waitFor();
    await page.testId('answer').first().locator('strong', { hasText: 'two' }).waitFor();
    await page.goto(at('/catalog/component/default/booking-service'));
    await page.role('tab', 'Decisions').click();
    await page.testId('decision-view').locator('h1', { hasText: 'Record architecture decisions' }).waitFor();
    const statuses = await page.locator('.decisions-list [data-testid="decision-status"]').allInnerTexts();
    if (statuses.join(',') !== 'accepted,superseded,accepted,accepted,proposed') throw new Error(`decision statuses: ${statuses.join(',')}`);
    await page.screenshot('decisions.png');
    await page.testId('notification-bell').click();
    await page.testId('notification-panel').waitFor();
    await page.screenshot('notifications.png');
    await page.press('Escape');
    await page.testId('notification-panel').waitFor({ state: 'detached' });
    await page.goto(back);
    await page.testId('entity-title').waitFor();
  });

  await run("the actions page lists a plugin's action with its schema; Create filters its templates", async () => {
    const back = await page.url();
    await page.goto(at('/create/actions'));
    const action = (id) => page.testId('action').filter({ has: page.role('heading', id, { exact: true }) });
    await action('fetch:template').label('fetch:template input').text('url', { exact: true }).waitFor();
    if (badChart) {
      // The test plugin serves the actions extension point: bad-chart:greet.
      const greet = action('bad-chart:greet');
      await greet.text('plugin bad-chart').waitFor();
      await greet.label('bad-chart:greet input').text('name', { exact: true }).waitFor();
      await greet.label('bad-chart:greet example').text(/action: bad-chart:greet/).waitFor();
      await greet.scrollIntoView();
      await page.screenshot('create-actions.png');
    }
    await page.goto(at('/create'));
    const shown = () => page.role('list', 'Templates').role('link').allInnerTexts();
    await page.role('list', 'Templates').role('link', /Static website/).waitFor();
    await page.role('combobox', 'Type').selectOption('website');
    await page.poll(async () => (await shown()).length === 1 && (await shown())[0].includes('Static website'), timeout, 'only the website template');
    await page.role('combobox', 'Type').selectOption('');
    await page.role('searchbox', 'Search templates').fill('Go service');
    await page.poll(async () => (await shown()).length === 1 && !(await shown())[0].includes('Static website'), timeout, 'only the Go service template');
    await page.screenshot('create-filtered.png');
    await page.role('searchbox', 'Search templates').fill('');
    await page.goto(back);
    await page.testId('entity-title').waitFor();
  });

  await run('the theme toggle switches light and dark', async () => {
    const before = await page.locator('html').getAttribute('data-theme');
    if (before !== 'light' && before !== 'dark') throw new Error(`<html data-theme> is ${JSON.stringify(before)}`);
    await page.testId('theme-toggle').click();
    await page.waitForFunction((b) => document.documentElement.getAttribute('data-theme') !== b, before);
    const after = await page.locator('html').getAttribute('data-theme');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    log(`data-theme ${before} → ${after}, body background ${background}`);
    await page.screenshot(`entity-${after}.png`);
  });

  await run('settings shows the version, the language and the start time', async () => {
    await page.testId('nav-settings').click();
    await page.testId('app-version').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="app-version"]')?.textContent?.trim());
    log(`version ${(await page.testId('app-version').innerText()).trim()}`);
    await page.screenshot('settings.png');
    await settingsLanguage();
  });

  await run('sync pushes the outbox', async () => {
    await page.testId('nav-locations').click();
    const outbox = page.testId('outbox');
    await outbox.testId('outbox-entry').first().waitFor();
    await page.screenshot('locations-outbox.png');
    await page.role('button', 'Sync demo now').click();
    await outbox.text('Everything written in Callboard has been pushed.').waitFor({ timeout: catalogTimeout });
  });

  await run('a template scaffolds a project through its form', async () => {
    // Into test-output, so the project stays there to look at; the tree is
    // compared with e2e/golden/static-website (E2E_UPDATE=1 rewrites it).
    const parent = path.join(path.resolve(out), 'created');
    await rm(parent, { recursive: true, force: true });
    await mkdir(parent, { recursive: true });
    await page.testId('nav-create').click();
    await page.role('list', 'Templates').role('link', /Static website/).click();
    await page.role('textbox', /^Name/).fill('e2e-site');
    await page.role('textbox', /^Title/).fill('E2E site');
    await page.role('textbox', /^Description/).fill('Made by the "e2e" test');
    await page.role('combobox', /^Owner/).click();
    await page.role('option', /Harbour/).first().click();
    await page.screenshot('create-form.png');
    await page.role('button', 'Next', { exact: true }).click();
    await page.label('Local folder only (no remote)').check();
    await page.label('Folder', { exact: true }).fill(parent);
    await page.label('Folder name').fill('e2e-site');
    await page.role('button', 'Review', { exact: true }).click();
    await page.role('heading', 'Review', { exact: true }).waitFor();
    await page.screenshot('create-review.png');
    await page.role('button', 'Create', { exact: true }).click();
    await page.testId('run').waitFor();
    const summary = page.locator('.run-summary:not(.run-summary-running):not(.run-summary-pending)');
    await summary.waitFor({ timeout: catalogTimeout });
    if (!(await summary.getAttribute('class'))?.includes('run-summary-completed')) {
      await page.screenshot('create-run-failed.png');
      throw new Error(`the run ended: ${(await page.locator('main').innerText()).replace(/\s+/g, ' ').slice(0, 600)}`);
    }
    await page.role('button', /Open in editor/).waitFor();
    await page.screenshot('create-run.png');

    const target = path.join(parent, 'e2e-site');
    const history = execFileSync('git', ['-C', target, 'log', '--format=%s', 'main'], { encoding: 'utf8' }).trim();
    if (history !== 'initial commit') throw new Error(`the project's history is ${JSON.stringify(history)}`);
    const golden = new URL('./golden/static-website/', import.meta.url).pathname;
    const files = execFileSync('git', ['-C', target, 'ls-files'], { encoding: 'utf8' }).trim().split('\n');
    // What made the project is recorded in it, for template updates; its
    // commit and time change, so it is checked here, not against the golden.
    const record = JSON.parse(await readFile(path.join(target, '.callboard/template.json'), 'utf8'));
    if (!record.template?.startsWith('template:') || !record.commit || !JSON.stringify(record.values).includes('e2e-site')) {
      throw new Error(`the project's record: ${JSON.stringify(record)}`);
    }
    for (const f of files) {
      if (f === '.callboard/template.json') continue;
      const got = await readFile(path.join(target, f), 'utf8');
      if (process.env.E2E_UPDATE) {
        await mkdir(path.dirname(path.join(golden, f)), { recursive: true });
        await writeFile(path.join(golden, f), got);
        continue;
      }
      const want = await readFile(path.join(golden, f), 'utf8').catch(() => null);
      if (got !== want) throw new Error(`${f} of the new project differs from e2e/golden/static-website/${f}:\n${got}`);
    }
    const found = await page.evaluate(async () => (await fetch('/api/v1/entities/component%3Adefault%2Fe2e-site')).status);
    if (found !== 200) throw new Error(`the new project's component is not in the catalog: HTTP ${found}`);
    await page.role('link', 'Open in catalog').click();
    await page.testId('entity-title').text('E2E site').waitFor();
  });

  await run('the template workbench follows a folder on disk and diffs its dry runs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-workbench-'));
    const template = (fields) =>
      'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: e2e-bench\n  title: E2E bench\nspec:\n  type: service\n  parameters:\n    - title: Fill in\n      properties:\n' +
      fields.map((f) => `        ${f}:\n          title: ${f[0].toUpperCase()}${f.slice(1)}\n          type: string\n`).join('') +
      '  steps:\n    - id: fetch\n      action: fetch:template\n      input:\n        url: ./skeleton\n        values:\n          name: ${{ parameters.name }}\n';
    try {
      await mkdir(path.join(dir, 'skeleton'));
      await writeFile(path.join(dir, 'template.yaml'), template(['name']));
      await writeFile(path.join(dir, 'skeleton', 'README.md'), '# ${{ values.name }}\n');
      await page.testId('nav-create').click();
      await page.role('link', /Open template folder/).click();
      await page.label('Template folder', { exact: true }).fill(dir);
      await page.role('button', 'Open', { exact: true }).click();
      await page.role('textbox', /^Name/).fill('e2e-bench');
      await page.locator('pre', { hasText: '# e2e-bench' }).waitFor();
      // Saved in any editor: the form re-renders with the new field, and
      // keeps what was typed.
      await writeFile(path.join(dir, 'template.yaml'), template(['name', 'owner']));
      await page.role('textbox', /^Owner/).waitFor();
      const kept = await page.role('textbox', /^Name/).inputValue();
      if (kept !== 'e2e-bench') throw new Error(`the name typed reads ${JSON.stringify(kept)} after the re-render`);
      // A broken save shows where, and keeps the form.
      await writeFile(path.join(dir, 'template.yaml'), 'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: [e2e\n');
      await page.label('Problems', { exact: true }).filter({ hasText: 'template.yaml:4' }).waitFor();
      await page.role('textbox', /^Owner/).waitFor();
      await writeFile(path.join(dir, 'template.yaml'), template(['name', 'owner']));
      await page.label('Problems', { exact: true }).waitFor({ state: 'detached' });
      // A change to the skeleton shows in the next dry run's diff.
      await writeFile(path.join(dir, 'skeleton', 'README.md'), '# ${{ values.name }}\n\nMore words.\n');
      await page.role('tab', /Changes since last run \(1\)/).click();
      await page.locator('pre', { hasText: '+More words.' }).waitFor();
      await page.screenshot('workbench.png');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  await run('locations adds, syncs and removes a location', async () => {
    await page.testId('nav-locations').click();
    // A real git repository on disk, registered through the form.
    const repo = await mkdtemp(path.join(os.tmpdir(), 'e2e-repo-'));
    try {
      const component = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: e2e-widget\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-harbour\n';
      await writeFile(path.join(repo, 'catalog-info.yaml'), component);
      const git = (...args) => execFileSync('git', ['-C', repo, '-c', 'user.name=e2e', '-c', 'user.email=e2e@callboard.invalid', ...args], { stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'e2e catalog');
      const id = path.basename(repo).toLowerCase();
      await page.label('Repository').fill(repo);
      await page.role('button', 'Add location').click();
      const item = page.locator('li.location', { hasText: id });
      await item.locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });
      await item.text('1 entity').waitFor();
      await page.screenshot('locations-added.png');
      const found = await page.evaluate(async () => (await fetch('/api/v1/entities/component%3Adefault%2Fe2e-widget')).status);
      if (found !== 200) throw new Error(`the added location's entity is not served: HTTP ${found}`);
      await page.acceptDialog(() => page.role('button', `Remove ${id}`, { exact: true }).click());
      await item.waitFor({ state: 'detached' });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  await run('an organisation on a forge is discovered, its repositories listed and synced', async () => {
    // scripts/e2e.sh serves internal/cmd/fakeforge: a GitHub organisation
    // of four repositories on loopback, two of them with catalog files.
    const org = process.env.E2E_FORGE_URL;
    if (!org) throw new Error('set E2E_FORGE_URL to the organisation internal/cmd/fakeforge serves');
    await page.testId('nav-locations').click();
    const form = page.locator('form[aria-label="Add your organisation"]');
    await form.label('Organisation').fill(org);
    // 127.0.0.1 is no host Callboard knows: the forge is named.
    await form.locator('select').selectOption('github');
    await form.role('button', 'Add organisation').click();
    const item = page.locator('li.location:not(.location-listed)', { hasText: org });
    try {
      await item.locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });
    } catch (err) {
      // Say what the location reached (status, last error), not only that it never read ok.
      const state = await page.evaluate(async (url) => {
        const r = await fetch('/api/v1/locations');
        if (!r.ok) return `HTTP ${r.status}`;
        const loc = (await r.json()).find((l) => l.url === url);
        return loc ? JSON.stringify({ status: loc.status, lastError: loc.lastError, org: loc.org }) : 'no such location';
      }, org).catch((e) => String(e));
      throw new Error(`${err instanceof Error ? err.message : err}; the location reads ${state}`);
    }
    await item.text('4 repositories, 2 with catalog files').click();
    const repo = (name) => page.testId('org-repo').filter({ hasText: `acme/${name}` });
    for (const name of ['forge-api', 'forge-web']) {
      await repo(name).locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });
      await repo(name).text('catalog-info.yaml').waitFor();
    }
    await repo('forge-notes').text('no catalog file').waitFor();
    await repo('forge-legacy').text('archived').waitFor();
    await page.screenshot('locations-org.png');
    await page.goto(at('/catalog/component/default/forge-api'));
    await page.testId('entity-title').text('forge-api').waitFor({ timeout: catalogTimeout });
    await page.text('Discovered from the fake forge').waitFor();
    await page.testId('nav-locations').click();
    await page.acceptDialog(() => page.role('button', 'Remove acme', { exact: true }).click());
    await item.waitFor({ state: 'detached' });
  });

  await run('an edit to a protected branch becomes a pull request; merged on the forge, the next sync clears it', async () => {
    // scripts/e2e.sh: fakeforge's repository whose main a pre-receive hook
    // guards (its API does not tell), and the control server that merges
    // as a reviewer would. Both engines share the forge: each edits to its
    // own words and merges its own pull request.
    const repoUrl = process.env.E2E_FORGE_REVIEW_REPO;
    const control = process.env.E2E_FORGE_CONTROL;
    if (!repoUrl || !control) throw new Error('set E2E_FORGE_REVIEW_REPO and E2E_FORGE_CONTROL to what internal/cmd/fakeforge prints');
    const forge = new URL(repoUrl).origin;
    const id = 'forge-review';
    await page.testId('nav-locations').click();
    await page.label('Repository').fill(repoUrl);
    await page.role('button', 'Add location').click();
    const item = page.locator('li.location', { hasText: id });
    await item.locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });
    // 127.0.0.1 is no host Callboard knows: the forge is named on the
    // location, as the organisation form does; the mode stays detect.
    const forgeSelect = item.locator(`select[aria-label="Forge of ${new URL(repoUrl).host}"]`);
    await forgeSelect.selectOption('github');
    await forgeSelect.locator('option[value=""]').waitFor({ state: 'detached' });

    const words = `Reviewed on the forge in ${engine}`;
    // The entity's actions are wider than the window: clicking Refresh
    // scrolls the page sideways; the screenshots want the header whole.
    const scrollHome = () =>
      page.evaluate(() => {
        for (const el of document.querySelectorAll('*')) if (el.scrollLeft > 0) el.scrollLeft = 0;
      });
    const entity = () =>
      page.evaluate(async () => {
        const r = await fetch('/api/v1/entities/component%3Adefault%2Fforge-review');
        return r.ok ? r.json() : { status: r.status };
      });
    await page.goto(at('/catalog/component/default/forge-review'));
    await page.testId('entity-title').text('forge-review').waitFor({ timeout: catalogTimeout });
    await page.role('button', 'Edit', { exact: true }).click();
    const dialog = page.role('dialog');
    const text = dialog.label('File contents');
    await text.waitFor();
    const before = await text.inputValue();
    if (!/^ {2}description: .*$/m.test(before)) throw new Error(`forge-review's file has no description:\n${before}`);
    await text.fill(before.replace(/^ {2}description: .*$/m, `  description: ${words}`));
    await dialog.role('button', 'Commit', { exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.testId('entity-about').text(words).waitFor();
    await page.text('not pushed yet').first().waitFor();

    // The push to main is refused as protected: the same sync pushes an
    // edit branch and opens a pull request from it.
    await page.role('button', 'Refresh', { exact: true }).click();
    const badge = page.testId('review-badge');
    await badge.text('In review', { exact: true }).waitFor({ timeout: catalogTimeout });
    const link = badge.role('link', /pull request #\d+/);
    await link.waitFor();
    const href = await link.getAttribute('href');
    const number = Number(/^(.*)\/acme-review\/forge-review\/pull\/(\d+)$/.exec(href ?? '')?.[2]);
    if (!href?.startsWith(`${forge}/`) || !number) throw new Error(`the pull request link is ${JSON.stringify(href)}, want one on ${forge}`);
    const open = await entity();
    if (open.review?.state !== 'open' || open.review?.number !== number) throw new Error(`the entity's review is ${JSON.stringify(open.review)}, want pull request ${number} open`);
    await page.testId('entity-about').text(words).waitFor();
    const pulls = await (await fetch(`${control}/pulls`)).json();
    const pull = pulls.find((p) => p.Number === number);
    if (pull?.State !== 'open' || pull.Base !== 'main' || !pull.Head.startsWith(`callboard/edit/${id}-`)) throw new Error(`the forge has pull request ${number} as ${JSON.stringify(pull)}`);
    log(`pull request #${number} from ${pull.Head}`);
    await scrollHome();
    await page.screenshot('entity-in-review.png');

    // The forge merges it; the next sync fetches main with the change and
    // the marker goes.
    const merged = await fetch(`${control}/merge?number=${number}`, { method: 'POST' });
    if (!merged.ok) throw new Error(`the forge could not merge pull request ${number}: HTTP ${merged.status} ${await merged.text()}`);
    await page.role('button', 'Refresh', { exact: true }).click();
    await badge.waitFor({ state: 'detached', timeout: catalogTimeout });
    await page.testId('entity-about').text(words).waitFor();
    const after = await entity();
    if (after.review || after.pending || after.description !== words) throw new Error(`after the merge the entity is ${JSON.stringify({ review: after.review, pending: after.pending, description: after.description })}`);
    await scrollHome();
    await page.screenshot('entity-review-merged.png');

    await page.testId('nav-locations').click();
    await page.acceptDialog(() => page.role('button', `Remove ${id}`, { exact: true }).click());
    await item.waitFor({ state: 'detached' });
  });

  await run('problems lists a broken file with file:line and Open in editor', async () => {
    await page.testId('nav-locations').click();
    // A repository with one good file and one that does not parse.
    const repo = await mkdtemp(path.join(os.tmpdir(), 'e2e-broken-'));
    try {
      await writeFile(path.join(repo, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: e2e-broken\nspec:\n  targets: [./good.yaml, ./broken.yaml]\n');
      await writeFile(path.join(repo, 'good.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: e2e-good\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-harbour\n');
      await writeFile(path.join(repo, 'broken.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [e2e-broken\n');
      const git = (...args) => execFileSync('git', ['-C', repo, '-c', 'user.name=E2E Author', '-c', 'user.email=e2e@callboard.invalid', ...args], { stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'e2e broken catalog');
      const id = path.basename(repo).toLowerCase();
      await page.label('Repository').fill(repo);
      await page.role('button', 'Add location').click();
      const item = page.locator('li.location', { hasText: id });
      await item.locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });
      await page.testId('problems-link').filter({ hasText: /\d+ problems?/ }).waitFor();
      await item.role('link', /1 processing error/).click();
      await page.testId('problems-table').waitFor();
      const row = page.testId('problem-row').filter({ hasText: 'broken.yaml:4' }).filter({ hasText: 'E2E Author' });
      await row.waitFor();
      // Not clicked: it would start an editor on this machine.
      await row.role('button', /Open in editor/).waitFor();
      await row.role('button', /Edit/).waitFor();
      await page.screenshot('problems.png');
      await page.testId('nav-locations').click();
      await page.acceptDialog(() => page.role('button', `Remove ${id}`, { exact: true }).click());
      await item.waitFor({ state: 'detached' });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  await run('the inspector follows a two-level Location chain, and Unregister explains it or removes the location', async () => {
    // catalog-info.yaml lists teams/locations.yaml, whose Location lists the service.
    const repo = await mkdtemp(path.join(os.tmpdir(), 'e2e-chain-'));
    try {
      await mkdir(path.join(repo, 'teams'));
      await writeFile(path.join(repo, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: e2e-chain-root\nspec:\n  targets: [./teams/locations.yaml]\n');
      await writeFile(path.join(repo, 'teams', 'locations.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: e2e-chain-teams\nspec:\n  targets: [./service.yaml]\n');
      await writeFile(path.join(repo, 'teams', 'service.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: e2e-chain-service\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-harbour\n');
      const git = (...args) => execFileSync('git', ['-C', repo, '-c', 'user.name=E2E Author', '-c', 'user.email=e2e@callboard.invalid', ...args], { stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'e2e two-level catalog');
      const id = path.basename(repo).toLowerCase();
      await page.testId('nav-locations').click();
      await page.label('Repository').fill(repo);
      await page.role('button', 'Add location').click();
      const item = page.locator('li.location', { hasText: id });
      await item.locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });

      await page.goto(at('/catalog/component/default/e2e-chain-service'));
      await page.testId('entity-title').waitFor();
      await page.role('button', 'Inspect').click();
      const inspector = page.role('dialog', /^Inspect component:default\/e2e-chain-service/);
      await inspector.waitFor();
      await page.testId('ancestry-step').nth(3).waitFor();
      const steps = await page.testId('ancestry-step').allInnerTexts();
      const want = [
        new RegExp(`^Location\\s+${id}\\s+catalog-info\\.yaml`),
        /^Location entity\s+location:default\/e2e-chain-root\s+catalog-info\.yaml:\d+\s+lists \.\/teams\/locations\.yaml/,
        /^Location entity\s+location:default\/e2e-chain-teams\s+teams\/locations\.yaml:\d+\s+lists \.\/service\.yaml/,
        /^This entity\s+teams\/service\.yaml:\d+/,
      ];
      if (steps.length !== want.length || !want.every((re, i) => re.test(steps[i].trim()))) throw new Error(`two-level ancestry: ${JSON.stringify(steps)}`);
      await inspector.role('button', 'Close').click();
      await page.waitForFunction(() => !document.querySelector('.modal.inspector'));

      // Reached through Location files: explained, with its file to open.
      await page.role('button', 'Unregister').click();
      const explain = page.role('dialog', /^Unregister component:default\/e2e-chain-service/);
      await explain.waitFor();
      await page.testId('unregister-plan').text(/Not registered from Callboard/).waitFor();
      await explain.testId('ancestry-step').nth(3).waitFor();
      // Not clicked: it would start an editor on this machine.
      await explain.role('button', /Open in editor/).waitFor();
      await page.screenshot('entity-unregister-explained.png');
      await explain.role('button', 'Close', { exact: true }).click();
      await explain.waitFor({ state: 'detached' });

      // The root's Location entity leaves with the location the app added.
      await page.goto(at('/catalog/location/default/e2e-chain-root'));
      await page.testId('entity-title').waitFor();
      await page.role('button', 'Unregister').click();
      const remove = page.role('dialog', /^Unregister location:default\/e2e-chain-root/);
      await page.testId('unregister-plan').text(new RegExp(`Removes location ${id}`)).waitFor();
      await remove.role('button', /Remove the location/).click();
      await page.waitForFunction(() => location.hash.startsWith('#/catalog') && !location.hash.includes('e2e-chain'));
      await page.testId('nav-locations').click();
      await page.locator('li.location', { hasText: id }).waitFor({ state: 'detached' });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  await run('importing a repository without catalog files commits a valid generated component', async () => {
    // A bare repository, as a remote is: the import's commit is pushed to it.
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'e2e-import-'));
    const work = path.join(tmp, 'work');
    const bare = path.join(tmp, 'billing-e2e.git');
    try {
      await mkdir(work);
      await writeFile(path.join(work, 'main.go'), 'package main\n\nfunc main() {}\n');
      await writeFile(path.join(work, 'mkdocs.yml'), 'site_name: Billing\n');
      await writeFile(path.join(work, 'CODEOWNERS'), '* @acme/team-harbour\n');
      const git = (...args) => execFileSync('git', [...args], { stdio: 'ignore' });
      git('-C', work, 'init', '-q', '-b', 'main');
      git('-C', work, 'add', '-A');
      git('-C', work, '-c', 'user.name=e2e', '-c', 'user.email=e2e@callboard.invalid', 'commit', '-q', '-m', 'e2e service');
      git('clone', '-q', '--bare', work, bare);
      await page.goto(at('/catalog/import'));
      await page.label('Repository URL or folder').fill(bare);
      await page.role('button', 'Preview').click();
      await page.label('Catalog file').waitFor({ timeout: catalogTimeout });
      await page.testId('import-validation').text('Valid').waitFor();
      await page.screenshot('import-preview.png');
      await page.role('button', 'Import', { exact: true }).click();
      await page.role('link', 'billing-e2e', { exact: true }).waitFor({ timeout: catalogTimeout });
      await page.screenshot('import-done.png');
      const entity = await page.evaluate(async () => {
        const r = await fetch('/api/v1/entities/component%3Adefault%2Fbilling-e2e');
        return r.ok ? r.json() : { status: r.status };
      });
      if (entity.owner !== 'group:default/team-harbour' || entity.type !== 'service') throw new Error(`the imported component is ${JSON.stringify(entity).slice(0, 300)}`);
      const pushed = execFileSync('git', ['-C', bare, 'log', '--format=%s', 'main'], { encoding: 'utf8' });
      if (!pushed.includes('Register in the Backstage catalog')) throw new Error(`the import's commit did not reach the repository: ${pushed}`);
      await page.testId('nav-locations').click();
      const item = page.locator('li.location', { hasText: 'billing-e2e' });
      await page.acceptDialog(() => page.role('button', 'Remove billing-e2e', { exact: true }).click());
      await item.waitFor({ state: 'detached' });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  await run('a docs folder previewed from disk renders again when a page is saved', async () => {
    // An author's folder, never committed: serve runs on this machine, so
    // the browser's preview reads it, and the watcher sees the save.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-docs-'));
    try {
      await mkdir(path.join(dir, 'docs'));
      await writeFile(path.join(dir, 'mkdocs.yml'), 'site_name: E2E draft\nnav:\n  - Home: index.md\n  - Gone: gone.md\n');
      await writeFile(path.join(dir, 'docs', 'index.md'), '# E2E draft\n\nWritten before opening.\n');
      await page.goto(at(`/docs/preview?dir=${encodeURIComponent(dir)}`));
      const reader = page.testId('docs-reader');
      await reader.text('Written before opening.').waitFor();
      // The nav entry without a file is listed beside the page, with its line.
      await page.testId('docs-problems').text('mkdocs.yml:4').waitFor();
      await writeFile(path.join(dir, 'docs', 'index.md'), '# E2E draft\n\nSaved on disk while open.\n');
      await reader.text('Saved on disk while open.').waitFor();
      await page.screenshot('docs-preview.png');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

/** The short pass under another language: the pages that format numbers, dates and plugin data. */
async function locale() {
  await run('home page shows the shell', homeShowsShell);
  await run('catalog lists entities', catalogLists);
  await run('a component page shows its plugin cards', async () => {
    await pluginCards();
    await page.testId('entity-title').waitFor();
    await page.testId('entity-about').waitFor();
  });
  await run('settings shows the language and the start time', async () => {
    await settingsLanguage();
    await page.screenshot('settings.png');
  });
}

const suites = { full, locale };

async function main() {
  if (!suites[suite]) throw new Error(`unknown suite ${JSON.stringify(suite)}; want one of ${Object.keys(suites).join(', ')}`);
  await mkdir(out, { recursive: true });
  session = await launch(engine, { out, onLog: (e) => report(`${e.type === 'console' ? 'console error' : 'page error'}: ${e.text}`) });
  page = new Page(session.browser, { out, timeout, bidi: session.bidi });
  await suites[suite]();
  step = 'end';
  if (problems.length > 0) throw new Error(`the page reported errors:\n  ${problems.join('\n  ')}`);
  if (expectedProblems.length > 0) log(`expected errors of the bad-chart test plugin: ${expectedProblems.length}`);
}

const started = Date.now();
try {
  await main();
  console.log(`e2e: ${engine}: all ${suite} steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${out}`);
} catch (err) {
  console.error(`e2e: ${engine}: FAILED at "${step}": ${err instanceof Error ? err.message : err}`);
  if (page) await page.screenshot('failed.png').catch(() => {});
  if (step !== 'end' && problems.length > 0) console.error(`e2e: ${engine}: the page also reported:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} finally {
  await session?.close();
}
// The driver's child processes can keep the event loop alive for seconds.
process.exit(process.exitCode ?? 0);
