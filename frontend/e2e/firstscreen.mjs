// Benchmark: how soon after `callboard serve` starts the catalog's first
// rows show in the browser, and the server's peak RSS once the catalog has
// been browsed. Usage: node firstscreen.mjs BINARY DATA_DIR [RUNS]
// Prints one JSON line per run: {"firstRowsMs": ..., "peakRssMiB": ...}.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServe } from './serve.mjs';

const [bin, data, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);

function peakRssMiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    const started = performance.now();
    const { serve, url } = await startServe(bin, data);
    await page.goto(`${url}#/catalog`);
    await page.locator('[data-testid="catalog-row"]').first().waitFor({ timeout: 60_000 });
    const firstRowsMs = Math.round(performance.now() - started);
    // Browse a little: filters, a deep scroll, an entity, so the peak is a working one.
    await page.goto(`${url}#/catalog?kind=component&type=service&sort=owner`);
    await page.locator('[data-testid="catalog-row"]').first().waitFor();
    await page.locator('[data-testid="catalog-scroller"]').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await page.waitForTimeout(300);
    await page.locator('[data-testid="catalog-row"] td.col-name a').first().click();
    await page.locator('[data-testid="entity-title"]').waitFor();
    const rss = peakRssMiB(serve.pid);
    console.log(JSON.stringify({ firstRowsMs, peakRssMiB: rss }));
    serve.kill('SIGTERM');
    await new Promise((r) => serve.on('exit', r));
    await page.close();
  }
} finally {
  await browser.close();
}
