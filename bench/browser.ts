/**
 * The built app in headless Chromium loading the benchmark capture through its file input.
 *
 *   npx tsx bench/browser.ts [--mb=1024 | --file=PATH] [--no-build] [--clicks=5]     (or npm run bench -- --browser)
 *
 * Reports: wall time from handing the file to the input until the connection table is complete
 * (progress panel gone, grid filled); peak JS heap of the page (CDP Runtime.getHeapUsage) and of
 * the engine worker (CDP, attached through the browser target), sampled every 100 ms; the renderer
 * process's peak RSS (VmHWM in /proc, covers page + worker); the longest main-thread task during the
 * load (PerformanceObserver 'longtask'); and the time from a click on a table row to its ladder
 * drawn, for a few rows; then (run as a script: npm run bench:browser) the fastest ways a worker reads the same File
 * (bench/browser-read.ts) and the app's load against that floor. Writes bench/out/browser-results.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { launch } from '../tests/e2e/site';
import { benchParams, ensureBenchPcap, OUT_DIR } from './generate-pcap';
import { REPO } from './lib/spawn';
import { serve } from './lib/static-server';
import { fmt, fmtInt, median, MB } from './lib/stats';
import { FLOOR_MODES, measureReads } from './browser-read';

const DIST = join(OUT_DIR, 'dist');

/** `extra`: more vite build arguments (e.g. --minify false, for profiles with the functions' names). */
export function build(extra: string[] = []): void {
  execFileSync(join(REPO, 'node_modules/.bin/vite'), ['build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn', ...extra], {
    cwd: REPO,
    stdio: 'inherit',
  });
}

/** Peak RSS (VmHWM) of the biggest Chromium renderer process, in bytes. */
export function rendererPeakRss(): number {
  let best = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) best = Math.max(best, Number(m[1]) * 1024);
    } catch {
      // process went away
    }
  }
  return best;
}

/**
 * Polls JS heap use of the page and of every worker (through the browser-level CDP session). `workerAll` adds the
 * worker's ArrayBuffer backing stores (typed-array columns; Runtime.getHeapUsage backingStorageSize, Chromium 124+).
 */
export async function heapSampler(page: Page, browserCdp: CDPSession, everyMs = 100) {
  const pageCdp = await page.context().newCDPSession(page);
  const peaks = { page: 0, worker: 0, workerAll: 0 };
  /** Every sample of the worker's heap plus ArrayBuffers, with its time (Date.now()): where in a run the peak is. */
  const series: { at: number; workerAll: number }[] = [];
  let nextId = 1;
  const pending = new Map<number, (v: { usedSize: number; backingStorageSize?: number }) => void>();
  const workerSessions = new Set<string>();
  browserCdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize: number; backingStorageSize?: number } };
    if (msg.id !== undefined && pending.has(msg.id)) {
      pending.get(msg.id)!(msg.result ?? { usedSize: 0 });
      pending.delete(msg.id);
    }
  });
  const attachWorkers = async () => {
    const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
    // A worker that ended (the log decoder Worker after its input) is sampled no more.
    for (const s of workerSessions) if (!targetInfos.some((t) => s.startsWith(`${t.targetId}|`))) workerSessions.delete(s);
    for (const t of targetInfos) {
      if (t.type !== 'worker' || [...workerSessions].some((s) => s.startsWith(t.targetId))) continue;
      try {
        const { sessionId } = (await browserCdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as { sessionId: string };
        workerSessions.add(`${t.targetId}|${sessionId}`);
      } catch {
        // worker gone
      }
    }
  };
  const workerHeap = (sessionId: string) =>
    new Promise<{ usedSize: number; backingStorageSize?: number }>((ok) => {
      const id = nextId++;
      pending.set(id, ok);
      void browserCdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) })
        .catch(() => ok({ usedSize: 0 }));
      setTimeout(() => pending.has(id) && (pending.delete(id), ok({ usedSize: 0 })), 2000);
    });
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await attachWorkers();
        const p = (await pageCdp.send('Runtime.getHeapUsage')) as { usedSize: number };
        peaks.page = Math.max(peaks.page, p.usedSize);
        // The engine worker and its log decoder Worker (worker/nested-log.ts) at once: their sum.
        let used = 0;
        let all = 0;
        for (const s of workerSessions) {
          const h = await workerHeap(s.split('|')[1]);
          used += h.usedSize;
          all += h.usedSize + (h.backingStorageSize ?? 0);
        }
        peaks.worker = Math.max(peaks.worker, used);
        peaks.workerAll = Math.max(peaks.workerAll, all);
        if (workerSessions.size) series.push({ at: Date.now(), workerAll: all });
      } catch {
        // page navigating / closing
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    peaks,
    series,
    /** The worker's peak heap plus ArrayBuffers among the samples taken from `from` to `to` (Date.now() times). */
    peakBetween: (from: number, to: number) => Math.max(0, ...series.filter((x) => x.at >= from && x.at <= to).map((x) => x.workerAll)),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export interface BrowserBenchResult {
  file: string;
  bytes: number;
  loadSeconds: number;
  /** From the files handed to the engine worker until its result reached the page (the app's performance marks). */
  engineSeconds: number;
  connectionsListed: number;
  peakPageHeap: number;
  peakWorkerHeap: number;
  rendererPeakRss: number;
  longestTaskMsDuringLoad: number;
  longTasksDuringLoad: number;
  clickToLadderMs: number[];
  longestTaskMsDuringClicks: number;
}

export async function runBrowserBench(file: string, opts: { build?: boolean; clicks?: number } = {}): Promise<BrowserBenchResult> {
  if (opts.build !== false || !existsSync(join(DIST, 'index.html'))) build();
  const { url, server } = await serve(DIST);
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ entryTypes: ['longtask'] });
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
    const browserCdp = await browser.newBrowserCDPSession();
    const sampler = await heapSampler(page, browserCdp);

    const t0 = await page.evaluate(() => performance.now());
    const wall0 = performance.now();
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForSelector('[role="row"][data-close-kind]', { timeout: 30 * 60_000 });
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 30 * 60_000 });
    const loadSeconds = (performance.now() - wall0) / 1000;
    // The app's own marks (ui/app.tsx): from the files handed to the engine worker to its result back on the page.
    const engineSeconds = await page.evaluate(() => {
      const start = performance.getEntriesByName('teardown:load-start').pop();
      const result = performance.getEntriesByName('teardown:result').pop();
      return start && result ? (result.startTime - start.startTime) / 1000 : NaN;
    });
    const rowCount = Number(await page.getByRole('grid', { name: 'Connections' }).getAttribute('aria-rowcount')) - 1;
    const t1 = await page.evaluate(() => performance.now());
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);
    const loadTasks = tasks.filter((t) => t.start >= t0 && t.start <= t1);

    // Click rows that have no ladder open yet; time until a ladder with arrows for that row shows.
    const clicks: number[] = [];
    const rows = await page.locator('[role="row"][data-row]:not(.open)').evaluateAll((els) => els.map((e) => e.getAttribute('data-row')));
    for (const row of rows.slice(1, 1 + (opts.clicks ?? 5))) {
      // A string, not a function: tsx's keepNames would inject a __name helper the page lacks.
      const ms = (await page.evaluate(`new Promise((ok) => {
        const labels = () => [...document.querySelectorAll('[data-testid="ladder"]')].map((l) => l.getAttribute('aria-label')).join('|');
        const before = labels();
        const el = document.querySelector('[role="row"][data-row="${row}"]');
        const start = performance.now();
        el.click();
        const check = () => {
          const drawn = [...document.querySelectorAll('[data-testid="ladder"]')].some((l) => l.querySelector('g.arrow'));
          if (labels() !== before && drawn) ok(performance.now() - start);
          else if (performance.now() - start > 60000) ok(NaN);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })`)) as number;
      clicks.push(ms);
    }
    const t2 = await page.evaluate(() => performance.now());
    const all = await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks);
    const clickTasks = all.filter((t) => t.start > t1 && t.start <= t2);
    await sampler.stop();
    const result: BrowserBenchResult = {
      file,
      bytes: (await import('node:fs')).statSync(file).size,
      loadSeconds,
      engineSeconds,
      connectionsListed: rowCount,
      peakPageHeap: sampler.peaks.page,
      peakWorkerHeap: sampler.peaks.worker,
      rendererPeakRss: rendererPeakRss(),
      longestTaskMsDuringLoad: Math.max(0, ...loadTasks.map((t) => t.duration)),
      longTasksDuringLoad: loadTasks.length,
      clickToLadderMs: clicks,
      longestTaskMsDuringClicks: Math.max(0, ...clickTasks.map((t) => t.duration)),
    };
    await page.screenshot({ path: join(OUT_DIR, 'browser-bench.png') });
    printResult(result);
    writeFileSync(join(OUT_DIR, 'browser-results.json'), JSON.stringify(result, null, 2) + '\n');
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}

function printResult(r: BrowserBenchResult): void {
  const size = r.bytes / MB;
  console.log(
    [
      '',
      `browser (Chromium headless, built app, file input): ${fmt(size, 0)} MB`,
      `  load to complete table: ${fmt(r.loadSeconds, 2)} s = ${fmt(size / r.loadSeconds, 0)} MB/s, ${fmtInt(r.connectionsListed)} connections listed`,
      `  of which the engine worker (files handed over -> result on the page): ${fmt(r.engineSeconds, 2)} s`,
      `  peak JS heap: page ${fmt(r.peakPageHeap / MB, 0)} MB, engine worker ${fmt(r.peakWorkerHeap / MB, 0)} MB (sampled every 100 ms)`,
      `  renderer process peak RSS: ${fmt(r.rendererPeakRss / MB, 0)} MB = ${fmt(r.rendererPeakRss / r.bytes, 3)}x the file`,
      `  longest main-thread task while loading: ${fmt(r.longestTaskMsDuringLoad, 0)} ms (${r.longTasksDuringLoad} tasks over 50 ms)`,
      `  click -> ladder drawn: median ${fmt(median(r.clickToLadderMs), 0)} ms, max ${fmt(Math.max(...r.clickToLadderMs), 0)} ms over ${r.clickToLadderMs.length} rows; longest task ${fmt(r.longestTaskMsDuringClicks, 0)} ms`,
    ].join('\n'),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  // --file=PATH: any input instead of the generated capture (a firewall log from bench/log-gen.ts, say).
  const given = args.find((a) => a.startsWith('--file='))?.slice(7);
  const m = given ? { file: given } : ensureBenchPcap(benchParams(args));
  const clicks = Number(args.find((a) => a.startsWith('--clicks='))?.slice(9) ?? 5);
  const r = await runBrowserBench(m.file, { build: !args.includes('--no-build'), clicks });
  // The floor under the load: the fastest way a worker reads the same File (bench/browser-read.ts, the ways that
  // were fastest there), the engine's own source beside it.
  const { medians, floorLabel, floor } = await measureReads(m.file, r.bytes, 1, FLOOR_MODES);
  const source = [...medians].find(([l]) => l.startsWith("the engine's Blob source"));
  console.log(
    [
      `  reading the File alone (fresh worker each): fastest ${floorLabel} ${fmt(floor, 2)} s` +
        (source ? `; the engine's source ${fmt(source[1], 2)} s (${fmt(source[1] / floor, 2)}x)` : ''),
      `  the app's load is ${fmt(r.loadSeconds / floor, 1)}x that floor (engine worker ${fmt(r.engineSeconds / floor, 1)}x)`,
    ].join('\n'),
  );
}
