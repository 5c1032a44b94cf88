// Browser end-to-end test of the notification centre in Chromium, on the
// demo organisation of a fresh data dir: a template run's end raises a
// notification (on by default) that the bell counts live, the centre
// lists under Today and opens at the run's page, marked read; dark mode
// keeps the panel readable; the palette opens the centre as a page.
// Usage: node notifications.mjs BINARY [OUTDIR]   (BINARY: the callboard CLI)
// Env: CHROMIUM (the browser binary, default /usr/bin/chromium).
// Exits 1 with the failed step's name and reason; screenshots in OUTDIR.
import path from 'node:path';
import { chromiumSpec, expect } from './lib/chromium.mjs';

const timeout = 45_000; // the demo may still be syncing when the page opens
const { page, url, out, run, steps, tempDir } = await chromiumSpec('notifications');
const projects = await tempDir('projects');

const bell = page.locator('[data-testid="notification-bell"]');
const panel = page.locator('[data-testid="notification-panel"]');

await steps(async () => {
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
});
