// Browser end-to-end test of the Kubernetes and CI/CD tabs in Chromium, on
// the demo organisation of a fresh data dir, against the fake cluster and
// GitHub Actions of internal/cmd/fakecluster on loopback: the plugins are
// pointed at them in Settings as a user would (the kubeconfig's path; the
// GitHub API's URL and a token, kept in the OS keyring); the booking
// service's Kubernetes tab shows the detected errors, a crashed
// container's logs, its current log followed while a line is written
// (fixtures' POST /append-log), its events, followed while one is added
// (POST /add-event), and restarts the rollout after asking;
// its CI/CD tab shows the red run's jobs and steps, the failed job's log
// folded by step and searched, and re-runs the failed jobs after asking.
// The fixtures' control server tells that the buttons reached them, and
// that the token never went to the log storage's host.
// Usage: node kubeci.mjs BINARY FAKECLUSTER [OUTDIR]
//   (BINARY: the callboard CLI; FAKECLUSTER: go build ./internal/cmd/fakecluster)
// Needs a Secret Service on the session bus (scripts/with-keyring.sh).
// Env: CHROMIUM (the browser binary, default /usr/bin/chromium).
// Exits 1 with the failed step's name and reason; screenshots in OUTDIR.
import { spawn } from 'node:child_process';
import { chromiumSpec, expect } from './lib/chromium.mjs';

const timeout = 45_000; // the demo may still be syncing when the page opens
const fakeBin = process.argv[3];
if (!fakeBin) {
  console.error('kubeci e2e: usage: node kubeci.mjs BINARY FAKECLUSTER [OUTDIR]');
  process.exit(2);
}
// chromiumSpec reads BINARY [OUTDIR]: the fixtures' binary is taken out.
process.argv.splice(3, 1);

const fixtures = await startFixtures(fakeBin);
const { page, url, run, steps } = await chromiumSpec('kubeci');

/** startFixtures runs fakecluster and resolves to what it printed. */
function startFixtures(bin) {
  const proc = spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => proc.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/^fakecluster (\S+) (\S+) (\S+) (\S+)$/m);
      if (m) resolve({ kubeconfig: m[1], api: m[2], token: m[3], control: m[4] });
    });
    proc.on('exit', (code) => reject(new Error(`fakecluster exited ${code}: ${out}`)));
  });
}

/** asked is what the fixtures were asked to change (control server). */
async function asked() {
  const res = await fetch(`${fixtures.control}/requests`);
  expect(res.ok, `the fixtures' control server answered ${res.status}`);
  return res.json();
}

/** waitAsked waits until the fixtures' record satisfies ok. */
async function waitAsked(ok, what) {
  const end = Date.now() + timeout;
  for (;;) {
    const got = await asked();
    if (ok(got)) return got;
    expect(Date.now() < end, `${what}: the fixtures got ${JSON.stringify(got)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const tab = () => page.locator('[data-testid="plugin-tab"]');
/** result is the answer of the action labelled label, where it was pressed. */
const result = (label) => tab().getByRole('region', { name: label, exact: true });
const dialog = () => page.getByRole('alertdialog');

/** settings fills a plugin's settings form and saves it. */
async function settings(plugin, fields, secrets = {}) {
  const row = page.locator('[data-testid="plugin-row"]', { has: page.locator('.plugin-name', { hasText: new RegExp(`^${plugin}$`) }) });
  const form = row.locator(`form[aria-label="Settings of ${plugin}"]`);
  await form.waitFor({ timeout });
  for (const [title, value] of Object.entries(fields)) {
    await form.locator('label.plugin-field', { has: page.locator('.setting-label', { hasText: new RegExp(`^${title}$`) }) }).locator('input').fill(value);
  }
  for (const [title, value] of Object.entries(secrets)) await form.getByLabel(title, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Save' }).click();
  await row.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ timeout });
}

await steps(async () => {
  await run('the plugins are pointed at the fixtures in Settings', async () => {
    await page.goto(`${url}#/settings`);
    await settings('kubernetes', { Kubeconfig: fixtures.kubeconfig });
    await settings('ci', { 'GitHub API URL': fixtures.api }, { 'GitHub token': fixtures.token });
  });

  await run('the Kubernetes tab shows the detected errors', async () => {
    await page.goto(`${url}#/catalog/component/default/booking-service`);
    await page.locator('[role="tab"]', { hasText: /^Kubernetes$/ }).click({ timeout });
    const crash = tab().locator('tr', { hasText: 'CrashLoopBackOff' });
    await crash.first().waitFor({ timeout });
    const crashText = await crash.first().textContent();
    expect(crashText.includes('booking-service-7c9d5f8b6-crash') && crashText.includes('Last exit code 2 (Error)'), `the CrashLoopBackOff row: ${crashText}`);
    const oom = await tab().locator('tr', { hasText: 'OOMKilled' }).first().textContent();
    expect(oom.includes('booking-service-7c9d5f8b6-oomkd') && oom.includes('limit 512Mi') && oom.includes('last usage 488Mi'), `the OOMKilled row: ${oom}`);
  });

  await run("a crashed container's previous logs", async () => {
    await tab().locator('tr', { hasText: 'CrashLoopBackOff' }).first().getByRole('button', { name: 'Logs (previous)' }).click();
    const logs = result('Logs (previous)').filter({ hasText: 'panic: seat map for sailing MF-204 is empty' });
    await logs.waitFor({ timeout });
    await logs.scrollIntoViewIfNeeded(); // for the step's screenshot
  });

  await run('following the log shows a new line', async () => {
    await result('Logs (previous)').getByRole('button', { name: 'Logs (current)' }).click();
    const logs = result('Logs (current)');
    const toggle = logs.getByRole('button', { name: 'Follow' });
    await toggle.waitFor({ timeout });
    await toggle.click();
    expect((await toggle.getAttribute('aria-pressed')) === 'true', 'Follow is not pressed');
    const res = await fetch(`${fixtures.control}/append-log`, { method: 'POST', body: new URLSearchParams({ key: 'marigold/booking-service-7c9d5f8b6-crash/app', line: 'e2e: a line written while following' }) });
    expect(res.ok, `the fixtures' control server answered ${res.status} to append-log`);
    await logs.filter({ hasText: 'e2e: a line written while following' }).waitFor({ timeout });
    await toggle.click();
    expect((await toggle.getAttribute('aria-pressed')) === 'false', 'Follow is still pressed');
    await logs.scrollIntoViewIfNeeded();
  });

  await run("a pod's events, warnings first", async () => {
    const pods = tab().locator('table', { has: page.locator('th', { hasText: 'Restarts' }) });
    await pods.locator('tr', { hasText: 'booking-service-7c9d5f8b6-crash' }).getByRole('button', { name: 'Events' }).click();
    const events = result('Events').locator('table', { has: page.locator('th', { hasText: 'Reason' }) });
    await events.locator('tr', { hasText: 'BackOff' }).waitFor({ timeout });
    const reasons = await events.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(reasons.join(',') === 'BackOff,Pulled', `the events' reasons in order: ${reasons}`);
    await events.scrollIntoViewIfNeeded();
  });

  await run('following events shows a new event', async () => {
    const live = result('Events').locator('figure', { hasText: 'Live events of pod marigold/booking-service-7c9d5f8b6-crash' });
    const toggle = live.getByRole('button', { name: 'Follow' });
    await toggle.waitFor({ timeout });
    await toggle.click();
    expect((await toggle.getAttribute('aria-pressed')) === 'true', 'Follow is not pressed');
    const form = { pod: 'booking-service-7c9d5f8b6-crash', type: 'Warning', reason: 'Unhealthy', message: 'e2e: readiness probe failed while following' };
    const res = await fetch(`${fixtures.control}/add-event`, { method: 'POST', body: new URLSearchParams(form) });
    expect(res.ok, `the fixtures' control server answered ${res.status} to add-event`);
    await live.filter({ hasText: 'Warning Unhealthy pod/booking-service-7c9d5f8b6-crash: e2e: readiness probe failed while following' }).waitFor({ timeout });
    await toggle.click();
    expect((await toggle.getAttribute('aria-pressed')) === 'false', 'Follow is still pressed');
    await live.scrollIntoViewIfNeeded();
  });

  await run('restart rollout asks, then reaches the cluster', async () => {
    const deployment = tab().locator('tr', { has: page.getByRole('button', { name: 'Restart rollout' }) });
    await deployment.getByRole('button', { name: 'Restart rollout' }).click();
    await dialog().waitFor({ timeout });
    expect((await dialog().textContent()).includes('deployment marigold/booking-service in marigold-prod'), `the confirmation: ${await dialog().textContent()}`);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached', timeout });
    expect((await asked()).restarts.length === 0, 'Cancel restarted the rollout');
    await deployment.getByRole('button', { name: 'Restart rollout' }).click();
    await dialog().getByRole('button', { name: 'Restart rollout' }).click();
    await result('Restart rollout').filter({ hasText: 'Restarting the rollout of deployment marigold/booking-service' }).waitFor({ timeout });
    const got = await waitAsked((r) => r.restarts.length === 1, 'no rollout restart');
    expect(got.restarts[0].startsWith('/apis/apps/v1/namespaces/marigold/deployments/booking-service {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":'), `the restart: ${got.restarts[0]}`);
  });

  await run("the CI/CD tab shows the red run's jobs and steps", async () => {
    await page.locator('[role="tab"]', { hasText: /^CI\/CD$/ }).click();
    const red = tab().locator('tr', { hasText: '42' }).filter({ has: page.getByRole('button', { name: 'Jobs' }) });
    await red.first().getByRole('button', { name: 'Jobs' }).click({ timeout });
    const jobs = result('Jobs').locator('table', { has: page.locator('th', { hasText: 'Job / step' }) });
    await jobs.waitFor({ timeout });
    const rows = (await jobs.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim());
    for (const want of ['build', 'test', '3. Run go test ./...', '4. Run make lint']) expect(rows.includes(want), `no row ${want} in ${rows}`);
  });

  await run("the failed job's log, folded by step and searched", async () => {
    await result('Jobs').locator('tr', { hasText: /^\s*test/ }).getByRole('button', { name: 'Log' }).click();
    const log = result('Log').locator('.plugin-log');
    await log.waitFor({ timeout });
    const sections = log.locator('.plugin-log-section > button');
    await sections.first().waitFor({ timeout });
    const titles = await sections.allTextContents();
    expect(titles.some((t) => t.includes('Run go test ./...')), `the log's steps: ${titles}`);
    await log.getByRole('searchbox').fill('TestHoldSeat');
    const hit = log.locator('mark', { hasText: 'TestHoldSeat' }).first();
    await hit.waitFor({ timeout });
    await hit.scrollIntoViewIfNeeded();
  });

  await run('Re-run failed jobs asks, then reaches GitHub', async () => {
    await page.locator('[role="tab"]', { hasText: /^CI\/CD$/ }).click();
    const red = tab().locator('tr', { hasText: '42' }).filter({ has: page.getByRole('button', { name: 'Jobs' }) });
    await red.first().getByRole('button', { name: 'Jobs' }).click({ timeout });
    await result('Jobs').getByRole('button', { name: 'Re-run failed jobs' }).click({ timeout });
    await dialog().waitFor({ timeout });
    await dialog().getByRole('button', { name: 'Re-run failed jobs' }).click();
    await result('Re-run failed jobs').filter({ hasText: 'GitHub re-runs the failed jobs of run #42 of marigold-ferries/booking-service' }).waitFor({ timeout });
    const got = await waitAsked((r) => r.reruns.length === 1, 'no re-run');
    expect(got.reruns[0] === '/repos/marigold-ferries/booking-service/actions/runs/7700042/rerun-failed-jobs', `the re-run: ${got.reruns[0]}`);
    expect(got.storageAuth.length > 0 && got.storageAuth.every((a) => a === ''), `the log storage got Authorization ${JSON.stringify(got.storageAuth)}`);
  });
});
