// The two browser engines the e2e test drives, each through its WebDriver:
// Debian's Chromium through chromedriver (with WebDriver BiDi, so console
// messages and uncaught errors arrive as log.entryAdded events) and
// WebKitGTK's MiniBrowser through WebKitWebDriver (WebDriver classic only:
// Debian builds it without BiDi, so console errors are caught by a hook the
// page helper installs). Only loopback addresses; nothing is downloaded.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { remote } from 'webdriverio';

// Chromium with no network of its own: the test machine has none.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--window-size=1280,820',
];

/**
 * The BCP 47 tag of a POSIX locale name (de_DE.UTF-8 → de-DE), or undefined
 * for C and POSIX. Headless Chromium reads no locale from the environment:
 * it is told the same language WebKitGTK takes from LANG.
 */
export function languageOf(lang = process.env.LANG) {
  const name = (lang || '').split(/[.@]/)[0];
  if (!name || name === 'C' || name === 'POSIX') return undefined;
  return name.replace('_', '-');
}

function chromiumLanguageArgs() {
  const tag = languageOf();
  return tag ? [`--lang=${tag}`, `--accept-lang=${tag}`] : [];
}

export const engines = {
  chromium: {
    driver: process.env.CHROMEDRIVER || '/usr/bin/chromedriver',
    driverArgs: (port) => [`--port=${port}`, '--allowed-ips=127.0.0.1'],
    capabilities: () => ({
      browserName: 'chrome',
      'goog:chromeOptions': { binary: process.env.CHROMIUM || '/usr/bin/chromium', args: [...chromiumArgs, ...chromiumLanguageArgs()] },
      // BiDi: log.entryAdded carries console errors and uncaught exceptions.
      webSocketUrl: true,
    }),
    bidi: true,
  },
  webkit: {
    driver: process.env.WEBKIT_WEBDRIVER || 'WebKitWebDriver',
    driverArgs: (port) => [`--port=${port}`, '--host=127.0.0.1'],
    capabilities: () => ({
      // MiniBrowser has no headless mode in WebKitGTK 2.50: it needs an X
      // display (scripts/e2e.sh runs this under Xvfb).
      'webkitgtk:browserOptions': {
        binary: process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
      // Debian's WebKitWebDriver refuses webSocketUrl (built without BiDi).
      'wdio:enforceWebDriverClassic': true,
    }),
    bidi: false,
  },
};

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForDriver(port, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the WebDriver exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the WebDriver did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/**
 * Starts the engine's WebDriver and a browser session in it.
 * onLog receives {level, text} for each console or JavaScript error entry
 * the driver reports over BiDi (Chromium); WebKit reports none.
 * Returns {browser, close}.
 */
export async function launch(name, { out, onLog }) {
  const engine = engines[name];
  if (!engine) throw new Error(`unknown engine ${JSON.stringify(name)}; want one of ${Object.keys(engines).join(', ')}`);
  const port = await freePort();
  const log = createWriteStream(path.join(out, 'driver.log'));
  const proc = spawn(engine.driver, engine.driverArgs(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const spawned = new Promise((resolve, reject) => {
    proc.once('spawn', resolve);
    proc.once('error', (err) => reject(new Error(`start ${engine.driver}: ${err.message}`)));
  });
  await spawned;
  const stopDriver = () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
  };
  let browser;
  try {
    await waitForDriver(port, proc, 20_000);
    browser = await remote({
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'silent',
      connectionRetryCount: 1,
      capabilities: engine.capabilities(),
    });
    if (engine.bidi && onLog) {
      await browser.sessionSubscribe({ events: ['log.entryAdded'] });
      browser.on('log.entryAdded', (entry) => {
        if (entry.level === 'error') onLog({ level: entry.level, type: entry.type, text: entry.text ?? '' });
      });
    }
    await browser.setWindowSize(1280, 820).catch(() => {});
  } catch (err) {
    stopDriver();
    throw err;
  }
  return {
    browser,
    bidi: engine.bidi,
    async close() {
      await browser.deleteSession().catch(() => {});
      stopDriver();
    },
  };
}
