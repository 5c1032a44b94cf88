// The frame of a Chromium spec that runs on its own serve and fresh data
// dir (questions.mjs, decisions.mjs, notifications.mjs): one page, each
// step timed and shot, a failure named by its step, no page error
// allowed, and serve, the browser and the temporary folders gone at the end.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServe } from '../serve.mjs';

export function expect(ok, what) {
  if (!ok) throw new Error(what);
}

/**
 * chromiumSpec starts the spec NAME from its command line (BINARY
 * [OUTDIR]): serve on a fresh data dir, Chromium on a page. run times and
 * shoots one step; steps runs them all and exits with the verdict;
 * tempDir makes a folder removed at the end.
 */
export async function chromiumSpec(name) {
  const [bin, outArg] = process.argv.slice(2);
  if (!bin) {
    console.error(`${name} e2e: usage: node ${name}.mjs BINARY [OUTDIR]`);
    process.exit(2);
  }
  const out = outArg || `test-output/e2e/${name}`;
  const temps = [];
  const tempDir = async (prefix) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `callboard-e2e-${prefix}-`));
    temps.push(dir);
    return dir;
  };
  const data = await tempDir(name);
  await mkdir(out, { recursive: true });
  const { serve, url } = await startServe(bin, data);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let step = 'start';

  async function run(stepName, fn) {
    step = stepName;
    const started = Date.now();
    await fn();
    await page.screenshot({ path: path.join(out, `${stepName.replace(/\W+/g, '-')}.png`) });
    console.log(`${name} e2e: ok   ${stepName} (${Date.now() - started} ms)`);
  }

  async function steps(body) {
    let code = 0;
    try {
      await body();
      expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
    } catch (e) {
      console.error(`${name} e2e: FAILED ${step}: ${e instanceof Error ? e.message : e}`);
      await page.screenshot({ path: path.join(out, 'failed.png') }).catch(() => {});
      code = 1;
    } finally {
      await browser.close();
      serve.kill('SIGTERM');
      await new Promise((r) => serve.on('exit', r));
      for (const dir of temps) await rm(dir, { recursive: true, force: true });
    }
    process.exit(code);
  }

  return { page, url, out, run, steps, tempDir };
}
