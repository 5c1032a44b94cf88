// Browser end-to-end test of questions and answers in Chromium, on the demo
// organisation of a fresh data dir: the Questions page, a question page,
// asking a question (it lands in the outbox) and the entity page's card.
// Usage: node questions.mjs BINARY [OUTDIR]   (BINARY: the callboard CLI)
// Env: CHROMIUM (the browser binary, default /usr/bin/chromium).
// Exits 1 with the failed step's name and reason; screenshots in OUTDIR.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServe } from './serve.mjs';

const [bin, outArg] = process.argv.slice(2);
const out = outArg || 'test-output/e2e/questions';
const timeout = 45_000; // the demo may still be syncing when the page opens

if (!bin) {
  console.error('questions e2e: usage: node questions.mjs BINARY [OUTDIR]');
  process.exit(2);
}

const data = await mkdtemp(path.join(os.tmpdir(), 'callboard-e2e-questions-'));
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
  console.log(`questions e2e: ok   ${name} (${Date.now() - started} ms)`);
}

function expect(ok, what) {
  if (!ok) throw new Error(what);
}

let code = 0;
try {
  await run('questions page lists the demo questions', async () => {
    await page.goto(`${url}#/questions`);
    await page.locator('[data-testid="question-row"]').first().waitFor({ timeout });
    const titles = await page.locator('[data-testid="question-row"] .question-title').allTextContents();
    expect(titles.length === 3, `${titles.length} questions listed, want the demo's 3: ${titles}`);
    expect(titles[0] === 'How often are the tide tables refreshed?', `newest first: got ${titles[0]}`);
    await page.locator('[data-testid="filter-unanswered"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="question-row"]').length === 2, null, { timeout });
  });

  await run('dark mode keeps the list readable', async () => {
    await page.locator('[data-testid="theme-toggle"]').click();
    const bg = await page.locator('.questions-scroll').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg !== 'rgb(255, 255, 255)', `the list's background in dark mode is ${bg}`);
    await page.locator('[data-testid="theme-toggle"]').click();
  });

  await run('question page shows the accepted answer first', async () => {
    await page.goto(`${url}#/questions/demo/rotate-payments-gateway-keys`);
    await page.locator('[data-testid="answer"]').first().waitFor({ timeout });
    const first = page.locator('[data-testid="answer"]').first();
    expect((await first.locator('.badge').textContent())?.includes('Accepted'), 'the first answer is not the accepted one');
    expect((await first.locator('strong', { hasText: 'two' }).count()) === 1, 'the answer\'s Markdown is not rendered');
    expect((await page.locator('[data-testid="answer"]').count()) === 2, 'want 2 answers');
  });

  await run('entity card lists questions about it', async () => {
    await page.goto(`${url}#/catalog/component/default/payments-gateway`);
    const card = page.locator('[data-testid="entity-questions"]');
    await card.locator('a', { hasText: "How do we rotate the payments gateway's card processor keys?" }).waitFor({ timeout });
    await card.locator('[data-testid="ask-about"]').click();
    await page.locator('[data-testid="ask-title"]').waitFor();
    const refs = await page.locator('[data-testid="ask-entities"]').inputValue();
    expect(refs === 'component:default/payments-gateway', `Ask about this fills in ${refs}`);
  });

  await run('asking a question lands in the outbox', async () => {
    await page.locator('[data-testid="ask-title"]').fill('Who owns the refund webhooks?');
    await page.locator('[data-testid="ask-body"]').fill('They *page* the wrong team.');
    await page.keyboard.press('Control+Enter');
    await page.locator('.page-title', { hasText: 'Who owns the refund webhooks?' }).waitFor({ timeout });
    expect((await page.locator('.badge', { hasText: 'In the outbox' }).count()) === 1, 'the new question is not marked as in the outbox');
    const entries = await page.evaluate(async () => (await fetch('/api/v1/outbox')).json());
    expect(entries.some((e) => e.paths.includes('questions/who-owns-the-refund-webhooks/question.md')), `outbox: ${JSON.stringify(entries)}`);
  });

  await run('the palette finds a question', async () => {
    await page.keyboard.press('Control+k');
    await page.locator('.palette-input').fill('tide tables refreshed');
    await page.locator('.palette-item', { hasText: 'How often are the tide tables refreshed?' }).waitFor({ timeout });
    await page.keyboard.press('Enter');
    await page.locator('.page-title', { hasText: 'How often are the tide tables refreshed?' }).waitFor({ timeout });
  });
  expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
} catch (e) {
  console.error(`questions e2e: FAILED ${step}: ${e instanceof Error ? e.message : e}`);
  await page.screenshot({ path: path.join(out, 'failed.png') }).catch(() => {});
  code = 1;
} finally {
  await browser.close();
  serve.kill('SIGTERM');
  await new Promise((r) => serve.on('exit', r));
  await rm(data, { recursive: true, force: true });
}
process.exit(code);
