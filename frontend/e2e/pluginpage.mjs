// Benchmark: how soon an entity page shows its plugins' content — three
// plugin processes (git-insights, ci, kubernetes) answering for a component
// of a 10,000-commit repository. Usage: node pluginpage.mjs BINARY DATA_DIR REF [RUNS]
// (the data dir already holds the location). The first run is cold: serve
// just started, no plugin process yet; the others reopen the page in a new
// tab. Prints one JSON line per run: {"run", "cold", "entityMs" (the
// entity's title shown), "pluginCardsMs" (the three plugins' cards shown)}.
import { chromium } from 'playwright-core';
import { startServe } from './serve.mjs';

const [bin, data, ref, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const [kind, rest] = ref.split(':');
const [namespace, name] = rest.split('/');

const { serve, url } = await startServe(bin, data);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    // The app shell first, so the figure is the entity page alone.
    await page.goto(`${url}#/`);
    await page.locator('[data-testid="nav-home"]').waitFor();
    // Timed in the page, by animation frame, so no round trip to the
    // browser is counted.
    const { entityMs, pluginCardsMs } = await page.evaluate(async (route) => {
      const t0 = performance.now();
      location.hash = route;
      const seen = (sel, titles) => {
        const els = [...document.querySelectorAll(sel)];
        return titles.every((t) => els.some((el) => el.textContent?.includes(t)));
      };
      let entity = 0;
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (!entity && document.querySelector('[data-testid="entity-title"]')) entity = performance.now() - t0;
        if (seen('[data-testid="plugin-card"]', ['Recent commits', 'CI', 'Kubernetes'])) return { entityMs: Math.round(entity), pluginCardsMs: Math.round(performance.now() - t0) };
        if (performance.now() - t0 > 60_000) throw new Error('no plugin cards within 60 s');
      }
    }, `/catalog/${kind}/${namespace}/${name}`);
    const unavailable = await page.locator('[data-testid="plugin-unavailable"]').count();
    console.log(JSON.stringify({ run: i + 1, cold: i === 0, entityMs, pluginCardsMs, unavailable }));
    await page.close();
  }
} finally {
  await browser.close();
  serve.kill('SIGTERM');
}
