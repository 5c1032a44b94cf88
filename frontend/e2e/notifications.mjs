// Browser end-to-end test of the notification centre in Chromium, on the
// demo organisation of a fresh data dir: a template run's end raises a
// notification (on by default) that the bell counts live, the centre
// lists under Today and opens at the run's page, marked read; dark mode
// keeps the panel readable; the palette opens the centre as a page.
// Usage: node notifications.mjs BINARY [OUTDIR]   (BINARY: the callboard CLI)
// Env: CHROMIUM (the browser binary, default /usr/bin/chromium).
// Exits 1 with the failed step's name and reason; screenshots in OUTDIR.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServe } from './serve.mjs';

const [bin, outArg] = process.argv.slice(2);
const out = outArg || 'test-output/e2e/notifications';
const timeout = 45_000; // the demo may still be syncing when the page opens

if (!bin) {
  console.error('notifications e2e: usage: node notifications.mjs BINARY [OUTDIR]');
  process.exit(2);
}

const data = await mkdtemp(path.join(os.tmpdir(), 'callboard-e2e-notifications-'));
const projects = await mkdtemp(path.join(os.tmpdir(), 'callboard-e2e-projects-'));
await mkdir(out, { recursive: true });
const { serve, url } = await startServe(bin, data);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
let step = 'start';

async function run(name, fn) {
  step = name;
  const started = Date.now();
  await fn();
  await page.screenshot({ path: path.join(out, `${name.replace(/\W+/g, '-')}.png`) });
  console.log(`notifications e2e: ok   ${name} (${Date.now() - started} ms)`);
}

function expect(ok, what) {
  if (!ok) throw new Error(what);
}

const bell = page.locator('[data-testid="notification-bell"]');
const panel = page.locator('[data-testid="notification-panel"]');

let code = 0;
try {
  await run('the centre starts empty', async () => {
    await page.goto(`${url}#/`);
    await bell.waitFor({ timeout });
    expect((await page.locator('[data-testid="notification-count"]').count()) === 0, 'a fresh data dir has unread notifications');
    await bell.click();
    await panel.locator('[data-testid="notifications-empty"]').waitFor({ timeout });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout });
  });

  let runPath = '';
  await run('a template run finishes', async () => {
    await page.locator('[data-testid="nav-create"]').click();
    await page.getByRole('list', { name: 'Templates' }).getByRole('link', { name: /Static website/ }).click({ timeout });
    await page.getByRole('textbox', { name: /^Name/ }).fill('notified-site');
    await page.getByRole('textbox', { name: /^Title/ }).fill('Notified site');
    await page.getByRole('combobox', { name: /^Owner/ }).click();
    await page.getByRole('option', { name: /Harbour/ }).first().click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByLabel('Local folder only (no remote)').check();
    await page.getByLabel('Folder', { exact: true }).fill(projects);
    await page.getByLabel('Folder name').fill('notified-site');
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('.run-summary-completed').waitFor({ timeout });
    runPath = new URL(page.url()).hash.slice(1);
    expect(runPath.startsWith('/create/runs/'), `the run's page is at ${runPath}`);
  });

  await run('the bell counts it live', async () => {
    await page.locator('[data-testid="notification-count"]', { hasText: '1' }).waitFor({ timeout });
    const label = await bell.getAttribute('aria-label');
    expect(label === 'Notifications, 1 unread', `the bell reads ${label}`);
  });

  await run('the centre lists it under Today and opens the run', async () => {
    await page.goto(`${url}#/`);
    await bell.click();
    await panel.getByRole('heading', { name: 'Today' }).waitFor({ timeout });
    const item = panel.locator('[data-testid="notification"][data-kind="template-run"]');
    const text = await item.innerText();
    expect(text.includes('Template run finished: Static website'), `the notification reads ${text}`);
    await item.click();
    await page.waitForFunction((want) => location.hash === `#${want}`, runPath, { timeout });
    await page.locator('[data-testid="notification-count"]').waitFor({ state: 'detached', timeout });
    const centre = await page.evaluate(async () => (await fetch('/api/v1/notification-centre')).json());
    expect(centre.unread === 0 && centre.notifications.length === 1, `the centre after opening: ${JSON.stringify(centre)}`);
  });

  await run('dark mode keeps the panel readable', async () => {
    await page.locator('[data-testid="theme-toggle"]').click();
    await bell.click();
    const bg = await panel.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg !== 'rgb(255, 255, 255)', `the panel's background in dark mode is ${bg}`);
    await page.screenshot({ path: path.join(out, 'panel-dark.png') });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="theme-toggle"]').click();
  });

  await run('the palette opens the centre as a page', async () => {
    await page.keyboard.press('Control+k');
    await page.locator('.palette-input').fill('Notifications');
    await page.locator('.palette-item', { hasText: 'Notifications' }).first().waitFor({ timeout });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="notifications-page"] [data-testid="notification"]').waitFor({ timeout });
  });
  expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
} catch (e) {
  console.error(`notifications e2e: FAILED ${step}: ${e instanceof Error ? e.message : e}`);
  await page.screenshot({ path: path.join(out, 'failed.png') }).catch(() => {});
  code = 1;
} finally {
  await browser.close();
  serve.kill('SIGTERM');
  await new Promise((r) => serve.on('exit', r));
  await rm(data, { recursive: true, force: true });
  await rm(projects, { recursive: true, force: true });
}
process.exit(code);
