// Browser end-to-end test of questions and answers in Chromium, on the demo
// organisation of a fresh data dir: the Questions page, a question page,
// asking a question (it lands in the outbox) and the entity page's card.
// Usage: node questions.mjs BINARY [OUTDIR]   (BINARY: the callboard CLI)
// Env: CHROMIUM (the browser binary, default /usr/bin/chromium).
// Exits 1 with the failed step's name and reason; screenshots in OUTDIR.
import { chromiumSpec, expect } from './lib/chromium.mjs';

const timeout = 45_000; // the demo may still be syncing when the page opens
const { page, url, run, steps } = await chromiumSpec('questions');

await steps(async () => {
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
});
