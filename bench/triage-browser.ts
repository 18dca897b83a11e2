/**
 * The firewall triage panel on a big log, in headless Chromium (1280x720): a generated four-day ASA log with a rule
 * change (bench/triage-log-gen.ts) of about `--connections` connections, loaded through the file input. Measures the
 * page's main thread while the panel draws after the load, and while the user brushes the timeline, clicks a deny
 * class and a host (each until the panel and the table show the new numbers): the longest task by the Long Tasks
 * API (wall time, what the user feels) and by a Chromium trace (CPU time of the page's thread, which other load on a
 * busy machine does not inflate).
 *
 *   npx tsx bench/triage-browser.ts [--connections=1000000] [--no-build]
 *
 * Writes bench/out/triage-browser.json.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './lib/spawn';
import { serve } from './lib/static-server';
import { generateTriageLog, TRIAGE_LOG_DEFAULTS } from './triage-log-gen';
import { traceMainThread } from '../tests/e2e/site';

const OUT = join(REPO, 'bench/out');
const DIST = join(OUT, 'dist-triage');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const connections = Number(arg('connections') ?? 1_000_000);

function writeLog(file: string): void {
  // The day/night swing averages 0.75 of perHour; the database pool and the scans in the e2e test's proportions.
  const perHour = Math.round(connections / (TRIAGE_LOG_DEFAULTS.days * 24 * 0.75));
  const fd = openSync(file, 'w');
  const truth = generateTriageLog({ perHour, idlePerHour: Math.round(perHour * 0.02), scansPerHour: Math.round(perHour * 0.013) }, (chunk) => writeSync(fd, chunk));
  closeSync(fd);
  writeFileSync(`${file}.truth.json`, JSON.stringify(truth));
}

const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ entryTypes: ['longtask'] });
`;

const longestSince = (page: Page, since: number) => page.evaluate((t) => Math.max(0, ...(window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
  .filter((x) => x.start + x.duration >= t).map((x) => x.duration)), since);

const lateCount = (page: Page) => page.getAttribute('[data-deny-class="late-close"]', 'data-count').then(Number);

async function step(browser: Browser, page: Page, name: string, act: () => Promise<void>) {
  const t0 = await page.evaluate(() => performance.now());
  const wall0 = Date.now();
  const trace = await traceMainThread(browser, page, act);
  const ms = Date.now() - wall0;
  const longTask = await longestSince(page, t0);
  console.log(`${name}: ${ms} ms to the new numbers; longest main-thread task ${longTask.toFixed(0)} ms (Long Tasks API), ${trace.maxCpuMs.toFixed(1)} ms CPU / ${trace.maxWallMs.toFixed(1)} ms wall (trace)`);
  return { name, ms, longTaskMs: longTask, maxCpuMs: trace.maxCpuMs, maxWallMs: trace.maxWallMs };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const log = join(OUT, `triage-${connections}.log`);
  if (!existsSync(log)) writeLog(log);
  if (!process.argv.includes('--no-build') || !existsSync(join(DIST, 'index.html'))) {
    execFileSync(join(REPO, 'node_modules/.bin/vite'), ['build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: REPO, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  const { url, server } = await serve(DIST);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.addInitScript(LONG_TASKS);
  await page.goto(url);
  await page.waitForSelector('[data-example]');
  const t0 = Date.now();
  // Traced in two parts: the file input to the table (the load), then the table to the panel drawn (the panel).
  const load = await traceMainThread(browser, page, async () => {
    await page.setInputFiles('[data-testid="file-input"]', [log]);
    await page.waitForSelector('[role="row"][data-close-kind]', { timeout: 30 * 60_000 });
  });
  const tableMs = Date.now() - t0;
  const tableAt = await page.evaluate(() => performance.now());
  const panel = await traceMainThread(browser, page, async () => {
    await page.waitForSelector('[data-testid="spike-start"]', { timeout: 5 * 60_000 });
  });
  const panelLong = await longestSince(page, tableAt);
  const result = await page.evaluate(() => performance.getEntriesByName('teardown:result')[0]?.startTime ?? 0);
  const panelMs = Date.now() - t0;
  const connCount = await page.$eval('.sourcesbar > span', (e) => e.textContent ?? '');
  const drawLong = await longestSince(page, result);
  console.log(`${connCount.split('·')[0].trim()} (${(statSync(log).size / 1e6).toFixed(0)} MB log): table after ${tableMs} ms, triage panel after ${panelMs} ms; ` +
    `longest main-thread task from the result to the panel drawn: ${drawLong.toFixed(0)} ms (Long Tasks API); file to table: ${load.maxCpuMs.toFixed(1)} ms CPU / ${load.maxWallMs.toFixed(1)} ms wall (trace); ` +
    `table to panel drawn: ${panelLong.toFixed(0)} ms (Long Tasks API), ${panel.maxCpuMs.toFixed(1)} ms CPU / ${panel.maxWallMs.toFixed(1)} ms wall (trace)`);

  const steps = [];
  const before = await lateCount(page);
  steps.push(await step(browser, page, 'brush from the spike', async () => {
    const box = (await (await page.$('[data-testid="deny-timeline"]'))!.boundingBox())!;
    const x = Number(await page.getAttribute('[data-testid="spike-start"]', 'data-x'));
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + x + 1, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 40, y, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((n) => Number(document.querySelector('[data-deny-class="late-close"]')?.getAttribute('data-count')) !== n, before);
  }));
  steps.push(await step(browser, page, 'click the idle-timeout class', async () => {
    await page.click('[data-deny-class="idle-timeout"]');
    await page.waitForSelector('[data-deny-class="idle-timeout"][aria-pressed="true"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-deny-class="late-close"]')?.getAttribute('data-count')) === 0);
  }));
  steps.push(await step(browser, page, 'click the top server', async () => {
    await page.click('[data-testid="top-servers"] li button');
    await page.waitForSelector('[data-testid="top-servers"] li button[aria-pressed="true"]');
  }));
  await page.screenshot({ path: join(OUT, 'triage-browser.png') });
  writeFileSync(join(OUT, 'triage-browser.json'), JSON.stringify({ connections: connCount, log: statSync(log).size, tableMs, panelMs, drawLongTaskMs: drawLong, load, panel, panelLongTaskMs: panelLong, steps }, null, 2));
  await browser.close();
  server.close();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
