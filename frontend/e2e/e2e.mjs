// Browser end-to-end test of the Callboard UI against a running server.
// Env: CALLBOARD_URL (the server, e.g. http://127.0.0.1:7007; may carry ?token=),
//      E2E_OUT (screenshot folder, default test-output/e2e),
//      CHROMIUM (browser binary, default /usr/bin/chromium).
// Exits 1 with the failed step's name and reason.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const base = process.env.CALLBOARD_URL;
const out = process.env.E2E_OUT || 'test-output/e2e';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const timeout = 15_000;
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

const problems = [];
let browser;
let step = 'start';

async function run(name, fn) {
  step = name;
  const started = Date.now();
  await fn();
  console.log(`e2e: ok   ${name} (${Date.now() - started} ms)`);
}

async function main() {
  await mkdir(out, { recursive: true });
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error during "${step}": ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error during "${step}": ${err.message}`));
  page.on('requestfailed', (req) => {
    // The event stream is cut when the page goes away; that is not a failure.
    if (!req.url().includes('/api/v1/events')) problems.push(`request failed during "${step}": ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  const shot = (file) => page.screenshot({ path: path.join(out, file), fullPage: false });
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);

  await run('home page shows the shell', async () => {
    const res = await page.goto(at('/'));
    if (!res || !res.ok()) throw new Error(`GET ${base} answered ${res ? res.status() : 'nothing'}`);
    for (const id of ['nav-home', 'nav-catalog', 'nav-create', 'nav-docs', 'nav-search', 'nav-locations', 'nav-settings', 'theme-toggle']) {
      await byTestId(id).waitFor();
    }
    await page.locator('main .card, main [role="alert"]').first().waitFor();
    const alert = page.locator('main [role="alert"]');
    if (await alert.count()) throw new Error(`the home page shows an error: ${(await alert.first().innerText()).replace(/\s+/g, ' ')}`);
    await shot('home.png');
  });

  await run('catalog lists entities', async () => {
    await byTestId('nav-catalog').click();
    await byTestId('catalog-table').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-row"]').length >= 10, null, {
      timeout: catalogTimeout,
    });
    await shot('catalog.png');
  });

  await run('facets filter, sort and stay in the URL; back restores them', async () => {
    await byTestId('facet-kind').getByRole('checkbox', { name: /Components/ }).click();
    await page.waitForFunction(() => location.hash.includes('kind=component'));
    await byTestId('facet-type').getByRole('checkbox', { name: /^service/ }).click();
    await page.waitForFunction(() => location.hash.includes('type=service'));
    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForFunction(() => location.hash.includes('sort=name'));
    const names = await byTestId('catalog-row').locator('td.col-name').allInnerTexts();
    const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
    if (names.join('|') !== sorted.join('|')) throw new Error(`sorted by name: ${names.join(', ')}`);
    await shot('catalog-filtered.png');
    const deep = page.url();
    await page.goBack();
    await page.waitForFunction(() => !location.hash.includes('sort=name'));
    await page.goto(deep);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog-row"]').length > 0);
    if (!(await byTestId('facet-type').getByRole('checkbox', { name: /^service/ }).isChecked())) throw new Error('a deep link lost its type filter');
    await page.goto(at('/catalog'));
    await byTestId('catalog-row').first().waitFor();
  });

  let title = '';
  await run('a component opens its entity page', async () => {
    const row = byTestId('catalog-row').filter({ has: page.locator('td.col-kind', { hasText: /^component$/i }) }).first();
    const link = row.locator('td.col-name a');
    title = (await link.innerText()).trim();
    await link.click();
    await byTestId('entity-title').waitFor();
    await byTestId('entity-about').waitFor();
    const shown = (await byTestId('entity-title').innerText()).trim();
    if (shown !== title) throw new Error(`entity page shows "${shown}", the catalog row said "${title}"`);
    await shot('entity.png');
  });

  await run('starring the entity puts it on Home', async () => {
    const entityUrl = page.url();
    await page.getByRole('button', { name: 'Star', exact: true }).click();
    await page.getByRole('button', { name: 'Starred' }).waitFor();
    await byTestId('nav-home').click();
    await byTestId('home-starred').getByText(title).waitFor();
    await byTestId('home-recent').getByText(title).waitFor();
    await shot('home-starred.png');
    await page.goto(entityUrl);
    await byTestId('entity-title').waitFor();
  });

  await run('the graph tab draws the relations and a node click goes there', async () => {
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.locator('.graph-node').nth(1).waitFor();
    const count = await page.locator('.graph-node').count();
    if (count < 2) throw new Error(`the graph has ${count} nodes`);
    await shot('entity-graph.png');
    const other = page.locator('.graph-node:not(.graph-node-root):not(.graph-node-missing)').first();
    const target = (await other.getAttribute('title')) ?? '';
    await other.click();
    await page.waitForFunction((ref) => decodeURIComponent(location.hash).includes(ref.split(':')[1].split('/')[1]), target);
    await byTestId('entity-graph').waitFor();
    await page.goBack();
    await byTestId('entity-title').waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();
  });

  await run('an API entity renders its OpenAPI definition', async () => {
    await page.goto(at('/catalog/api/default/booking-api?tab=definition'));
    await byTestId('openapi').waitFor();
    const ops = await page.locator('.apidoc-op').count();
    if (ops < 1) throw new Error('the OpenAPI definition shows no operations');
    await shot('api-definition.png');
    await page.goBack();
    await byTestId('entity-title').waitFor();
  });

  await run('the command palette jumps to an entity', async () => {
    const before = page.url();
    await page.keyboard.press('Control+k');
    const input = page.getByPlaceholder('Jump to an entity by name…');
    await input.fill('fare engine');
    const item = page.locator('.palette-item', { hasText: 'Fare engine' });
    await item.waitFor();
    await shot('palette.png');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('/catalog/component/default/fare-engine'));
    await byTestId('entity-title').getByText('Fare engine').waitFor();
    await page.goto(before);
    await byTestId('entity-title').waitFor();
  });

  await run('docs render with nav, outline and next page', async () => {
    const entityUrl = page.url();
    await byTestId('nav-docs').click();
    await byTestId('docs-index').getByRole('link').first().waitFor();
    await shot('docs-index.png');
    await page.goto(at('/catalog/component/default/booking-service?tab=docs'));
    const reader = byTestId('docs-reader');
    await reader.locator('.docs-content h1').first().waitFor();
    await reader.getByRole('complementary', { name: 'On this page' }).waitFor();
    await shot('docs-page.png');
    const first = await reader.locator('.docs-content h1').first().innerText();
    await reader.getByRole('button', { name: /Next/ }).click();
    await page.waitForFunction(() => location.hash.includes('page='));
    await page.waitForFunction((before) => document.querySelector('.docs-content h1')?.textContent?.replace('¶', '').trim() !== before.replace('¶', '').trim(), first);
    // Search within this site, from the runbook: the overview is the page about fare quotes.
    await reader.getByRole('searchbox', { name: 'Search this site' }).fill('fareQuoteId');
    await reader.getByRole('list', { name: 'Pages found' }).getByRole('button', { name: /Booking service/ }).first().click();
    await page.waitForFunction(() => location.hash.includes('page=index.md'));
    await page.goto(entityUrl);
    await byTestId('entity-title').waitFor();
  });

  await run('search finds an entity by a typo and marks the words', async () => {
    const entityUrl = page.url();
    await byTestId('nav-search').click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('bokking servce');
    // The first hit, once the results are those of this query, is the booking service.
    await page.waitForFunction(() => location.hash.includes('bokking'));
    await byTestId('search-hit').first().locator('.search-hit-title', { hasText: /Booking service/i }).waitFor();
    await byTestId('search-facet-kind').waitFor();
    await shot('search.png');
    await page.goto(entityUrl);
    await byTestId('entity-title').waitFor();
  });

  await run('editing the entity commits it locally, marked not pushed', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    const text = dialog.getByLabel('File contents');
    await text.waitFor();
    const before = await text.inputValue();
    const edited = /^ {2}description: .*$/m.test(before)
      ? before.replace(/^ {2}description: .*$/m, '  description: Edited in the e2e test')
      : before.replace(/^( {2}name: .*)$/m, '$1\n  description: Edited in the e2e test');
    await text.fill(edited);
    await shot('entity-edit.png');
    await dialog.getByRole('button', { name: 'Commit' }).click();
    await dialog.waitFor({ state: 'detached', timeout });
    await byTestId('entity-about').getByText('Edited in the e2e test').waitFor({ timeout });
    await page.getByText('not pushed yet').first().waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    const history = byTestId('entity-history');
    await history.getByText(/^Update /).waitFor();
    await history.getByText('metadata.description').first().waitFor();
    await shot('entity-history.png');
    await page.getByRole('tab', { name: 'Overview' }).click();
  });

  await run('plugins show their cards on the entity page, out of process', async () => {
    // git-insights (the local clone), ci (workflows; no token) and
    // kubernetes (no kubeconfig: says how to set one), each a process.
    const entityUrl = page.url();
    await page.goto(at('/catalog/component/default/fare-engine'));
    await byTestId('entity-title').waitFor();
    const started = Date.now();
    await page.goto(at('/catalog/component/default/booking-service'));
    const cards = byTestId('plugin-card');
    await cards.filter({ hasText: 'Recent commits' }).waitFor();
    await cards.filter({ hasText: 'Commit activity' }).locator('svg').first().waitFor();
    await cards.filter({ hasText: 'Kubernetes' }).first().waitFor();
    console.log(`e2e:      plugin cards shown ${Date.now() - started} ms after opening the page`);
    if (await byTestId('plugin-unavailable').count()) throw new Error(`a plugin is unavailable: ${await byTestId('plugin-unavailable').first().innerText()}`);
    await cards.filter({ hasText: 'Commit activity' }).scrollIntoViewIfNeeded();
    await shot('entity-plugins.png');
    await page.getByRole('tab', { name: 'CI/CD' }).click();
    await page.getByRole('heading', { name: 'Latest runs of marigold-ferries/booking-service' }).waitFor();
    await page.goto(entityUrl);
    await byTestId('entity-title').waitFor();
  });

  await run('settings lists the plugins, their state and log', async () => {
    const entityUrl = page.url();
    await byTestId('nav-settings').click();
    const row = byTestId('plugin-row').filter({ has: page.getByText('git-insights', { exact: true }) });
    await row.waitFor();
    const rows = await byTestId('plugin-row').count();
    if (rows < 3) throw new Error(`${rows} plugins listed, want the three built-in ones`);
    await row.getByText('running').first().waitFor();
    await row.getByRole('button', { name: /Log/ }).click();
    await row.getByLabel('Log of git-insights').getByText(/started git-insights/).waitFor();
    await row.scrollIntoViewIfNeeded();
    await shot('settings-plugins.png');
    await page.goto(entityUrl);
    await byTestId('entity-title').waitFor();
  });

  await run('the theme toggle switches light and dark', async () => {
    const before = await page.locator('html').getAttribute('data-theme');
    if (before !== 'light' && before !== 'dark') throw new Error(`<html data-theme> is ${JSON.stringify(before)}`);
    await byTestId('theme-toggle').click();
    const after = await page.locator('html').getAttribute('data-theme');
    if (after === before) throw new Error(`data-theme stayed "${before}" after the toggle`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    console.log(`e2e:      data-theme ${before} → ${after}, body background ${background}`);
    await shot(`entity-${after}.png`);
  });

  await run('settings shows the version', async () => {
    await byTestId('nav-settings').click();
    const version = byTestId('app-version');
    await version.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="app-version"]')?.textContent?.trim(), null, { timeout });
    console.log(`e2e:      version ${(await version.innerText()).trim()}`);
    await shot('settings.png');
  });

  await run('sync pushes the outbox', async () => {
    await byTestId('nav-locations').click();
    const outbox = byTestId('outbox');
    await outbox.getByTestId('outbox-entry').first().waitFor({ timeout });
    await shot('locations-outbox.png');
    await page.getByRole('button', { name: 'Sync demo now' }).click();
    await outbox.getByText('Everything written in Callboard has been pushed.').waitFor({ timeout: catalogTimeout });
  });

  await run('a template scaffolds a project through its form', async () => {
    // Into test-output, so the project stays there to look at; the tree is
    // compared with e2e/golden/static-website (E2E_UPDATE=1 rewrites it).
    const parent = path.join(path.resolve(out), 'created');
    await rm(parent, { recursive: true, force: true });
    await mkdir(parent, { recursive: true });
    await byTestId('nav-create').click();
    await page.getByRole('list', { name: 'Templates' }).getByRole('link', { name: /Static website/ }).click();
    await page.getByRole('textbox', { name: /^Name/ }).fill('e2e-site');
    await page.getByRole('textbox', { name: /^Title/ }).fill('E2E site');
    await page.getByRole('textbox', { name: /^Description/ }).fill('Made by the "e2e" test');
    await page.getByRole('combobox', { name: /^Owner/ }).click();
    await page.getByRole('option', { name: /Harbour/ }).first().click();
    await shot('create-form.png');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Local folder only (no remote)').check();
    await page.getByLabel('Folder', { exact: true }).fill(parent);
    await page.getByLabel('Folder name').fill('e2e-site');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('heading', { name: 'Review' }).waitFor();
    await shot('create-review.png');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await byTestId('run').waitFor();
    const summary = page.locator('.run-summary:not(.run-summary-running):not(.run-summary-pending)');
    await summary.waitFor({ timeout: catalogTimeout });
    if (!(await summary.getAttribute('class'))?.includes('run-summary-completed')) {
      await shot('create-run-failed.png');
      throw new Error(`the run ended: ${(await page.locator('main').innerText()).replace(/\s+/g, ' ').slice(0, 600)}`);
    }
    await page.getByRole('button', { name: /Open in editor/ }).waitFor();
    await shot('create-run.png');

    const target = path.join(parent, 'e2e-site');
    const log = execFileSync('git', ['-C', target, 'log', '--format=%s', 'main'], { encoding: 'utf8' }).trim();
    if (log !== 'initial commit') throw new Error(`the project's history is ${JSON.stringify(log)}`);
    const golden = new URL('./golden/static-website/', import.meta.url).pathname;
    const files = execFileSync('git', ['-C', target, 'ls-files'], { encoding: 'utf8' }).trim().split('\n');
    for (const f of files) {
      const got = await readFile(path.join(target, f), 'utf8');
      if (process.env.E2E_UPDATE) {
        await mkdir(path.dirname(path.join(golden, f)), { recursive: true });
        await writeFile(path.join(golden, f), got);
        continue;
      }
      const want = await readFile(path.join(golden, f), 'utf8').catch(() => null);
      if (got !== want) throw new Error(`${f} of the new project differs from e2e/golden/static-website/${f}:\n${got}`);
    }
    const found = await page.evaluate(async () => (await fetch('/api/v1/entities/component/default/e2e-site')).status);
    if (found !== 200) throw new Error(`the new project's component is not in the catalog: HTTP ${found}`);
    await page.getByRole('link', { name: 'Open in catalog' }).click();
    await byTestId('entity-title').getByText('E2E site').waitFor();
  });

  await run('locations adds, syncs and removes a location', async () => {
    await byTestId('nav-locations').click();
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
      await page.getByLabel('Repository').fill(repo);
      await page.getByRole('button', { name: 'Add location' }).click();
      const item = page.locator('li.location', { hasText: id });
      await item.locator('.badge', { hasText: 'ok' }).waitFor({ timeout: catalogTimeout });
      await item.getByText('1 entity').waitFor();
      await shot('locations-added.png');
      const found = await page.evaluate(async () => (await fetch('/api/v1/entities/component/default/e2e-widget')).status);
      if (found !== 200) throw new Error(`the added location's entity is not served: HTTP ${found}`);
      page.once('dialog', (d) => d.accept());
      await page.getByRole('button', { name: `Remove ${id}` }).click();
      await item.waitFor({ state: 'detached' });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  step = 'end';
  if (problems.length > 0) throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
}

try {
  await main();
  console.log(`e2e: all steps passed; screenshots in ${out}`);
} catch (err) {
  console.error(`e2e: FAILED at "${step}": ${err instanceof Error ? err.message : err}`);
  if (step !== 'end' && problems.length > 0) console.error(`e2e: the page also reported:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
}
