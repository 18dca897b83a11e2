/**
 * A big firewall log in the built app, in headless Chromium, through the file input, as a user meets it: the time
 * until the table shows its first rows (while the log loads: a row clicked then, its ladder drawn, a scroll), then the
 * final table, then until it answers (scrolled to the middle and to the end, a free-text search typed
 * key by key and a filter expression, each until the table shows the new rows and count), the triage panel drawn;
 * the engine worker's memory (JS heap plus ArrayBuffer backing stores, CDP Runtime.getHeapUsage every 250 ms) and
 * the renderer's peak RSS against the file size, and the worker's peak within each step; the longest main-thread task
 * of each step (Long Tasks API, wall time) and over all steps by CPU time (a Chromium trace: on a loaded machine the
 * wall time of a task grows with the load); then the fastest way a worker reads the same File (bench/browser-read.ts),
 * the floor the load is set against; and, while it loads, a filter typed: the time from the file input to its first
 * answer (the rows read so far filtered: engine/live-query.ts) against that floor.
 *
 *   npx tsx bench/log-browser.ts --file=bench/out/asa-5000000.log [--no-build] [--no-floor] [--profile] [--no-live-filter] [--dist=DIR]
 *   (npm run bench:log-browser -- --file=...)
 *
 * `--profile`: the app built unminified and the trace taken with V8's sampling profiler too (bench/out/log-browser-trace.json),
 * then each worker thread's samples during the load: busy, idle, the functions with the most self time, and the
 * engine's work once the decoder is done (bench/lib/worker-profile.ts). The profiler slows the load down.
 *
 * `--dist=DIR`: serve an app already built in DIR (another build, to compare against) instead of building one.
 *
 * Writes bench/out/log-browser.json and the screenshots bench/out/log-browser-*.png.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeLongTasks, launch, traceMainThread } from '../tests/e2e/site';
import { OUT_DIR } from './generate-pcap';
import { serve } from './lib/static-server';
import { fmt, fmtInt, MB } from './lib/stats';
import { build, heapSampler, rendererPeakRss } from './browser';
import { FLOOR_MODES, measureReads } from './browser-read';
import { scrollGestures, type Gesture } from './lib/scroll-probe';
import { PROFILE_CATEGORY, workerProfile } from './lib/worker-profile';

const args = process.argv.slice(2);
const givenDist = args.find((a) => a.startsWith('--dist='))?.slice(7);
const DIST = givenDist ?? join(OUT_DIR, 'dist');
const file = args.find((a) => a.startsWith('--file='))?.slice(7);
if (!file || !existsSync(file)) {
  console.error('usage: npx tsx bench/log-browser.ts --file=LOG [--no-build] [--no-floor]  (make one: npx tsx bench/log-gen.ts)');
  process.exit(2);
}
const bytes = statSync(file).size;
const profile = args.includes('--profile');
if (profile) {
  process.env.TEARDOWN_TRACE_CATEGORIES = [process.env.TEARDOWN_TRACE_CATEGORIES, PROFILE_CATEGORY].filter(Boolean).join(',');
  process.env.TEARDOWN_TRACE_OUT ??= join(OUT_DIR, 'log-browser-trace.json');
}

const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ entryTypes: ['longtask'] });
`;

/** Longest main-thread task (ms) and how many went over 50 ms since page time `since`. */
async function tasksSince(page: Page, since: number): Promise<{ longestMs: number; over50: number }> {
  const all = (await page.evaluate('window.__longTasks')) as { start: number; duration: number }[];
  const mine = all.filter((t) => t.start + t.duration >= since);
  return { longestMs: Math.max(0, ...mine.map((t) => t.duration)), over50: mine.length };
}

const shownCount = (page: Page) => page.locator('.filters .count').textContent();
const LIVE_ROW = '[data-testid="flow-table"][data-loading] [role="row"][data-row]';
const LOADED_ROW = '[data-testid="flow-table"]:not([data-loading]) [role="row"][data-row]';
const FIRST_ROWS = 'file input -> first rows';
const FINAL_TABLE = '-> the final table';
const LIVE_FILTER = 'type a filter while loading -> its first answer';
/** What the filter typed during the load is (an address part: its rows say it in an endpoint). */
const LIVE_TEXT = '10.30.13.';
/** From the file input to the first answer of the filter typed while loading (liveFilterSince). */
let liveFilterSince = NaN;

/**
 * Types `text` into the search box while the log loads (cleared first), then waits for the table to show its answer
 * while still loading: every row drawn has the text in an endpoint, fewer rows than read (or, for '', as many).
 */
async function filterWhileLoading(page: Page, t0: number, text = LIVE_TEXT): Promise<string> {
  await page.fill('[data-testid="search"]', '');
  if (text) await page.type('[data-testid="search"]', text, { delay: 60 });
  const typed = Date.now();
  for (;;) {
    const d = (await page.evaluate(`(() => {
      const grid = document.querySelector('[data-testid="flow-table"]');
      const rows = [...grid.querySelectorAll('[role="row"][data-row]')].map((r) => r.getAttribute('data-client') + ' ' + r.getAttribute('data-server'));
      return { loading: grid.hasAttribute('data-loading'), count: document.querySelector('.filters .count')?.textContent ?? '', rows };
    })()`)) as { loading: boolean; count: string; rows: string[] };
    const [shown, total] = (d.count.match(/[\d,]+/g) ?? []).map((x) => Number(x.replace(/,/g, '')));
    const answered = text ? shown < total && d.rows.length > 0 && d.rows.every((r) => r.includes(text)) : shown === total;
    if (!d.loading) return `the load ended before the answer (${fmtInt(Date.now() - typed)} ms after the last key)`;
    if (answered) {
      if (text) liveFilterSince = Date.now() - t0;
      return `"${text}": ${d.count}, ${fmtInt(Date.now() - typed)} ms after the last key${text ? `, ${fmt(liveFilterSince / 1000, 2)} s after the file input` : ''}, still loading`;
    }
    if (Date.now() - typed > 120_000) throw new Error(`no answer to "${text}" while loading`);
    await page.waitForTimeout(20);
  }
}

interface Step {
  name: string;
  /** From the action to the table showing its answer. */
  ms: number;
  /** Date.now() at the action and at the answer (the worker's memory in between: workerPeak). */
  from: number;
  to: number;
  workerPeak?: number;
  /** For the final table: ms from the file input (the steps while loading included). */
  sinceInput?: number;
  longestTaskMs: number;
  tasksOver50: number;
  note?: string;
}

/** When a step's answer came, if it waited on past it (search() holds a second to see the count settle); else 0. */
let settledAt = 0;

async function step(page: Page, name: string, act: () => Promise<string | void>): Promise<Step> {
  const since = (await page.evaluate('performance.now()')) as number;
  const t0 = Date.now();
  const note = await act();
  const ms = (settledAt || Date.now()) - t0;
  settledAt = 0;
  const tasks = await tasksSince(page, since);
  const s: Step = { name, ms, from: t0, to: t0 + ms, longestTaskMs: tasks.longestMs, tasksOver50: tasks.over50, ...(note ? { note } : {}) };
  console.log(`  ${name}: ${fmtInt(ms)} ms; longest main-thread task ${fmt(s.longestTaskMs, 0)} ms (${s.tasksOver50} over 50 ms)${note ? `; ${note}` : ''}`);
  return s;
}

/** Scrolls the table to `fraction` of its height; resolves once a row that far down is drawn. */
async function scrollTable(page: Page, fraction: number): Promise<string> {
  const total = Number(await page.getByRole('grid', { name: 'Connections' }).getAttribute('aria-rowcount')) - 1;
  await page.evaluate(`(() => { const el = document.querySelector('[data-testid="flow-table"]'); el.scrollTop = (el.scrollHeight - el.clientHeight) * ${fraction}; })()`);
  const want = Math.floor(total * fraction * 0.98);
  await page.waitForFunction(
    (w) => [...document.querySelectorAll('[data-testid="flow-table"] [role="row"][data-row]')].some((r) => Number(r.getAttribute('aria-rowindex')) >= w),
    want,
    { timeout: 120_000, polling: 'raf' },
  );
  return `row ${fmtInt(want)} of ${fmtInt(total)} in view`;
}

/** Types `text` into the search box key by key (as a user types), then waits for the count to change. */
async function search(page: Page, text: string): Promise<string> {
  const before = await shownCount(page);
  await page.fill('[data-testid="search"]', '');
  await page.type('[data-testid="search"]', text, { delay: 60 });
  const typed = Date.now();
  // The answer to the whole text: the count changed and then held for a second (on a loaded machine a pause between
  // two keys can let a prefix of the text be searched first).
  let last = before;
  let changedAt = 0;
  for (;;) {
    const now = await shownCount(page);
    if (now !== last) [last, changedAt] = [now, Date.now()];
    if (changedAt && Date.now() - changedAt >= 1000) break;
    if (Date.now() - typed > 300_000) throw new Error(`no answer to "${text}"`);
    await page.waitForTimeout(20);
  }
  settledAt = changedAt;
  return `"${text}": ${last}, ${fmtInt(changedAt - typed)} ms after the last key`;
}

/** What a user does, step by step, from handing the file to the triage panel drawn. */
async function userSteps(page: Page, gestures: Gesture[]): Promise<Step[]> {
  const steps: Step[] = [];
  const t0 = Date.now();
  steps.push(
    await step(page, FIRST_ROWS, async () => {
      await page.setInputFiles('[data-testid="file-input"]', [file!]);
      // The rows read so far, while the log loads (ui/live-table.ts); a log read before any shows comes loaded.
      await page.waitForSelector(`${LIVE_ROW}, ${LOADED_ROW}`, { timeout: 30 * 60_000 });
      const marks = (await page.evaluate(`(() => {
        const s = performance.getEntriesByName('teardown:load-start').pop(), r = performance.getEntriesByName('teardown:live-rows').pop();
        return s && r ? r.startTime - s.startTime : NaN; })()`)) as number;
      return `${await shownCount(page)}${(await page.locator(LIVE_ROW).count()) ? `, loading; the engine's first rows ${fmtInt(marks)} ms after the load began` : ', loaded'}`;
    }),
  );
  if (await page.locator(LIVE_ROW).count()) {
    await page.screenshot({ path: join(OUT_DIR, 'log-browser-loading.png') });
  }
  // --no-live-filter: the load as a user who only watches it (the worker's CPU with no query to keep up).
  if (!args.includes('--no-live-filter') && (await page.locator(LIVE_ROW).count())) {
    // At once, as a user who came for one address would: the filter typed on the first rows.
    steps.push(await step(page, LIVE_FILTER, () => filterWhileLoading(page, t0)));
    await page.screenshot({ path: join(OUT_DIR, 'log-browser-loading-filtered.png') });
    steps.push(await step(page, 'clear the filter while loading', () => filterWhileLoading(page, t0, '')));
  }
  // What a click and a scroll do during the load (if it has not ended meanwhile).
  if (await page.locator(LIVE_ROW).count()) {
    steps.push(
      await step(page, 'click a row while loading -> its ladder', async () => {
        const row = page.locator(LIVE_ROW).nth(3);
        await row.click();
        await page.waitForSelector('[data-testid="ladder-head"]', { timeout: 30 * 60_000 });
        return (await page.locator(LIVE_ROW).count()) ? 'still loading' : 'the load had ended';
      }),
    );
    steps.push(await step(page, 'scroll to the middle while loading', () => scrollTable(page, 0.5)));
    await page.screenshot({ path: join(OUT_DIR, 'log-browser-loading-2.png') });
  }
  steps.push(
    await step(page, FINAL_TABLE, async () => {
      await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 30 * 60_000 });
      await page.waitForSelector(LOADED_ROW, { timeout: 30 * 60_000 });
      // The count shows '…' from the end of the load until the loaded table's answer to the query comes.
      await page.waitForFunction(() => document.querySelector('.filters .count')?.textContent !== '…', undefined, { timeout: 30 * 60_000 });
      const engine = (await page.evaluate(`(() => {
        const s = performance.getEntriesByName('teardown:load-start').pop(), r = performance.getEntriesByName('teardown:result').pop();
        return s && r ? r.startTime - s.startTime : NaN; })()`)) as number;
      return `${await shownCount(page)}; ${fmt((Date.now() - t0) / 1000, 1)} s since the file input, the engine's load ${fmt(engine / 1000, 1)} s of it`;
    }),
  );
  steps[steps.length - 1].sinceInput = Date.now() - t0;
  await page.screenshot({ path: join(OUT_DIR, 'log-browser-loaded.png') });
  steps.push(await step(page, 'scroll to the middle', () => scrollTable(page, 0.5)));
  steps.push(await step(page, 'scroll to the end', () => scrollTable(page, 1)));
  steps.push(
    await step(page, 'scroll gestures', async () => {
      gestures.push(...(await scrollGestures(page)));
      return gestures.map((g) => `${g.name}: rows drawn ${fmtInt(g.drawnMs)} ms after the last input, longest blank ${fmtInt(g.longestBlankMs)} ms (${g.blankFrames}/${g.frames} frames blank)`).join('; ');
    }),
  );
  steps.push(await step(page, 'type a free-text search', () => search(page, '10.30.13.')));
  steps.push(await step(page, 'type another free-text search', () => search(page, 'reset-o')));
  steps.push(await step(page, 'type a filter expression', () => search(page, 'tcp.dstport == 443')));
  steps.push(await step(page, 'clear the search', () => search(page, '')));
  steps.push(
    await step(page, 'triage panel drawn (since the clear)', async () => {
      await page.waitForSelector('[data-deny-class]', { timeout: 300_000 });
    }),
  );
  return steps;
}

async function main(): Promise<void> {
  if (!givenDist && (!args.includes('--no-build') || !existsSync(join(DIST, 'index.html')))) build(profile ? ['--minify', 'false'] : []);
  const { url, server } = await serve(DIST);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.addInitScript(LONG_TASKS);
    await page.goto(url);
    await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
    const sampler = await heapSampler(page, await browser.newBrowserCDPSession(), 250);
    console.log(`\n${file} (${fmt(bytes / MB, 0)} MB) in the built app, headless Chromium`);
    // Every step under a Chromium trace: the CPU time of the page's main-thread tasks (wall time grows with the load).
    let steps: Step[] = [];
    const gestures: Gesture[] = [];
    const cpu = await traceMainThread(browser, page, async () => void (steps = await userSteps(page, gestures)));
    const loadMs = steps[0].ms;
    const finalMs = steps.find((s) => s.name === FINAL_TABLE)!.sinceInput!;
    await page.screenshot({ path: join(OUT_DIR, 'log-browser-end.png') });
    await sampler.stop();
    for (const s of steps) s.workerPeak = sampler.peakBetween(s.from, s.to + 250);
    console.log(`  engine worker heap + ArrayBuffers, peak per step: ${steps.map((s) => `${s.name} ${fmt(s.workerPeak! / bytes, 3)}x`).join('; ')}`);
    // Where in the load the peak is: every sample from the file input to the final table (seconds since the input).
    const final = steps.find((s) => s.name === FINAL_TABLE)!;
    const during = sampler.series.filter((x) => x.at >= steps[0].from && x.at <= final.to + 250);
    console.log(`  engine workers' heap + ArrayBuffers during the load (s after the file input: x the file): ${during.map((x) => `${fmt((x.at - steps[0].from) / 1000, 1)}: ${fmt(x.workerAll / bytes, 2)}`).join(', ')}`);
    const rss = rendererPeakRss();
    // From the final table on: shown, scrolled twice, first search answered.
    const after = steps.slice(steps.findIndex((s) => s.name === FINAL_TABLE) + 1).filter((s) => s.name !== 'scroll gestures');
    const usableMs = finalMs + after.slice(0, 3).reduce((a, s) => a + s.ms, 0);
    console.log(
      [
        `  first rows ${fmt(loadMs / 1000, 1)} s, the final table ${fmt(finalMs / 1000, 1)} s after the file input`,
        `  usable (final table shown, scrolled twice, first search answered): ${fmt(usableMs / 1000, 1)} s`,
        `  engine worker peak: JS heap ${fmt(sampler.peaks.worker / MB, 0)} MB; with its ArrayBuffers ${fmt(sampler.peaks.workerAll / MB, 0)} MB = ${fmt(sampler.peaks.workerAll / bytes, 3)}x the file (sampled every 250 ms)`,
        `  page JS heap peak ${fmt(sampler.peaks.page / MB, 0)} MB; renderer process peak RSS ${fmt(rss / MB, 0)} MB = ${fmt(rss / bytes, 3)}x the file`,
        `  the engine worker's CPU during the load (Chromium trace): ${fmt(cpu.workerLoadCpuMs / 1000, 1)} s${cpu.workerThreadsCpuMs.length > 1 ? ` in ${cpu.workerThreadsCpuMs.length} worker threads: ${cpu.workerThreadsCpuMs.map((ms) => fmt(ms / 1000, 1)).join(' + ')} s` : ''}` +
          (Number.isNaN(cpu.workerTailCpuMs) ? '' : `; its task once the decoder was done (join, correlation, the table's columns): ${fmt(cpu.workerTailCpuMs / 1000, 2)} s CPU, ${fmt(cpu.workerTailWallMs / 1000, 2)} s wall`),
        `  longest main-thread task over all steps: ${fmt(Math.max(...steps.map((s) => s.longestTaskMs)), 0)} ms wall (Long Tasks API); ${fmt(cpu.maxCpuMs, 0)} ms CPU, ${fmt(cpu.maxWallMs, 0)} ms wall in the trace of ${fmtInt(cpu.count)} tasks`,
      ].join('\n'),
    );
    console.log(`  the longest main-thread tasks by CPU, with what ran in them:\n${describeLongTasks(cpu)}`);
    if (profile) console.log(workerProfile(readFileSync(process.env.TEARDOWN_TRACE_OUT!, 'utf8')));
    let floor: { label: string; seconds: number } | null = null;
    if (!args.includes('--no-floor')) {
      const r = await measureReads(file!, bytes, 1, FLOOR_MODES.filter(([l]) => !l.startsWith("the engine's")));
      floor = { label: r.floorLabel, seconds: r.floor };
      console.log(
        `  the worker's read floor (${r.floorLabel}): ${fmt(r.floor, 2)} s; first rows at ${fmt(loadMs / 1000 / r.floor, 1)}x it, the final table at ${fmt(finalMs / 1000 / r.floor, 1)}x, usable at ${fmt(usableMs / 1000 / r.floor, 1)}x`,
      );
      const live = steps.find((s) => s.name === LIVE_FILTER);
      console.log(
        Number.isFinite(liveFilterSince)
          ? `  a filter typed while loading answered ${fmt(liveFilterSince / 1000, 2)} s after the file input = ${fmt(liveFilterSince / 1000 / r.floor, 1)}x the floor (the typing, 60 ms a key, included); main-thread tasks over 50 ms meanwhile: ${live?.tasksOver50 ?? 0}`
          : '  a filter typed while loading: no answer before the load ended',
      );
      console.log(`  the engine's load took ${fmt(cpu.workerLoadCpuMs / 1000, 1)} s of worker CPU = ${fmt(cpu.workerLoadCpuMs / 1000 / r.floor, 1)}x the floor (a loaded machine stretches the wall time, not this)`);
    }
    writeFileSync(
      join(OUT_DIR, 'log-browser.json'),
      JSON.stringify({ file, bytes, steps, gestures, firstRowsMs: loadMs, liveFilterMs: liveFilterSince, finalMs, usableMs, worker: sampler.peaks, mainThread: cpu, rendererPeakRss: rss, floor }, null, 2) + '\n',
    );
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
