/**
 * Triage while a big firewall log loads (ui/live-table.ts, engine/live-query.ts), through the file input of the
 * production build: a search typed and a sort clicked during the load apply to the rows read so far and stay applied
 * as more come; every table drawn meanwhile is the loaded table's answer to the same query on a first part of the
 * connections (the engine in Node, on the whole log: its rows, cut to those before some row count, in its order); a
 * row selected during the load stays selected; the main thread's tasks stay short; once the log is read whole the
 * page says the table is being built, with no Cancel (too late for one), and a sort clicked then shows its count as
 * pending; once loaded, the rows in view stay drawn until the loaded answer comes (never blank), then the table is
 * the loaded table's answer.
 *
 * The log (34 MB: live rows start at 32 MiB) is made in the page (tests/e2e/page-log.ts: nothing written to disk),
 * and its decoder Worker is held by the debugger most of the time (held-worker.ts), as on a slower machine: the load
 * lasts several seconds, long enough to type, sort, select and see the answer grow.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, traceMainThread, useSite } from './site';
import { logParts, pageLogToInput, openWithPageLog } from './page-log';
import { holdWorker, type HeldWorker } from './held-worker';
import { LIVE_ROWS_BYTES } from '../../src/ui/live-table';
import { createEngineSession } from '../../src/engine/session';
import { DEFAULT_QUERY, endpointText, type FlowQuery } from '../../src/model/flow-table';

const site = useSite();
const SHOTS = '/tmp/b';
const LIVE_ROW = '[data-testid="flow-table"][data-loading] [role="row"][data-row]';
const TEXT = '10.30.1';
const QUERY: FlowQuery = { ...DEFAULT_QUERY, sort: 'server', text: TEXT };

/** The table as drawn: loading or not, its row count, the rows in view top first (their place, row and endpoints). */
interface Drawn { loading: boolean; count: number; rows: { index: number; row: number; ends: string }[] }

async function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const grid = document.querySelector('[data-testid="flow-table"]')!;
    const rows = [...grid.querySelectorAll('[role="row"][data-row]')]
      .map((r) => ({ index: Number(r.getAttribute('aria-rowindex')) - 2, row: Number(r.getAttribute('data-row')), ends: `${r.getAttribute('data-client')} → ${r.getAttribute('data-server')}` }))
      .sort((a, b) => a.index - b.index);
    return { loading: grid.hasAttribute('data-loading'), count: Number(grid.getAttribute('aria-rowcount')) - 1, rows };
  });
}

/**
 * Whether `d` is the loaded answer `all` cut to the rows before some row count N: as many rows as that cut, and the
 * rows in view those at the same places in it. (A cut of d.count rows ends at all's d.count-th least row: one N.)
 */
function isPrefixAnswer(d: Drawn, all: Uint32Array, least: number[]): boolean {
  if (d.count === 0 || d.count > least.length) return false;
  const n = least[d.count - 1] + 1;
  const cut = all.filter((r) => r < n);
  return d.rows.every((r) => cut[r.index] === r.row);
}

/** The log: 200,000 lines (seed 11), 34.1 MB. */
const LOG = { name: 'asa-200k.log', lines: 200_000, seed: 11 };
/**
 * The log decoder Worker held this long, then let run this long, over and over (held-worker.ts): it decodes the log
 * in well under a second here, and about fifteen times slower held so (the engine worker is never held: it answers).
 */
const HELD_MS = 700;
const RUN_MS = 50;
/** The engine worker held this long at a time near the end (about as long as it builds the table of a 5 M-line log). */
const ENGINE_HELD_MS = 1100;
const ENGINE_RUN_MS = 100;

/**
 * From the loaded table's first render until its answer's count shows (the count reads '…' meanwhile), each frame:
 * whether a row in view was drawn blank (a pending row: its values not there). Runs in the page, on animation frames.
 */
function watchLoadedEnd(): void {
  const w = window as unknown as { __end: { frames: number; blank: number } };
  w.__end = { frames: 0, blank: 0 };
  const tick = () => {
    const grid = document.querySelector('[data-testid="flow-table"]');
    const count = document.querySelector('.filters .count')?.textContent ?? '';
    if (grid && !grid.hasAttribute('data-loading') && count === '…') {
      w.__end.frames++;
      if (grid.querySelector('[role="row"].pending')) w.__end.blank++;
    }
    if (!grid || grid.hasAttribute('data-loading') || count === '…') requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/**
 * From now until the load ends, each frame: the live table's row count while it draws the answer to a search for
 * `text` (in window.__liveCounts, each change). Taken in the page on every frame from the typing on, so that the answer's
 * growth is seen however the load's seconds fall between the test's own samples (a machine busy with other work can
 * leave those only the load's last second, when the engine is held and no new answer comes).
 */
function watchLiveCounts(text: string): void {
  const w = window as unknown as { __liveCounts: number[] };
  w.__liveCounts = [];
  const tick = () => {
    const grid = document.querySelector('[data-testid="flow-table"]');
    const search = document.querySelector<HTMLInputElement>('[data-testid="search"]');
    // The search's answer drawn: the count is one, and every row in view has the text in an endpoint.
    const rows = grid ? [...grid.querySelectorAll('[role="row"][data-row]')] : [];
    const answered = rows.length > 0 && rows.every((r) => `${r.getAttribute('data-client')} ${r.getAttribute('data-server')}`.includes(text));
    if (grid?.hasAttribute('data-loading') && search?.value === text && answered && /^[\d,]+ of [\d,]+ connections read so far$/.test(document.querySelector('.filters .count')?.textContent ?? '')) {
      const count = Number(grid.getAttribute('aria-rowcount')) - 1;
      if (count !== w.__liveCounts.at(-1)) w.__liveCounts.push(count);
    }
    if (!grid || grid.hasAttribute('data-loading')) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** What the page showed while the loaded table was built (watchNearEnd). */
interface Finishing {
  note: string;
  chip: string;
  cancel: number;
  /** The count on each later frame while still finishing, after the sort was clicked twice (back to the same). */
  counts: string[];
}

/**
 * Calls window.__nearEnd on the first frame that shows three quarters of the log read, and keeps in window.__finishing
 * what the first frame that shows the log read whole (the progress panel's phase analyzing) says: the live note, the
 * top bar, the Cancel buttons; then clicks the sorted column twice (descending, then ascending again: the query asked
 * about at the end is the same) and takes the count on each frame after, while it is still finishing.
 */
function watchNearEnd(): void {
  const w = window as unknown as { __nearEnd: () => Promise<void>; __finishing: Finishing | null };
  w.__finishing = null;
  let near = false;
  let seenProgress = false;
  let clicks = 0;
  const tick = () => {
    const progress = document.querySelector('[data-testid="progress"]');
    seenProgress ||= !!progress;
    if (!near && Number(progress?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? 0) >= 75) {
      near = true;
      void w.__nearEnd();
    }
    if (progress?.getAttribute('data-phase') === 'analyzing') {
      // The second click a frame after the first: each toggles the query the page drew last.
      const sort = () => document.querySelector<HTMLButtonElement>('button[data-sort="server"]')!.click();
      if (!w.__finishing) {
        w.__finishing = {
          note: document.querySelector('[data-testid="live-note"]')?.textContent ?? '',
          chip: document.querySelector('[data-testid="live-count"]')?.textContent ?? '',
          cancel: [...progress.querySelectorAll('button')].filter((b) => /Cancel/.test(b.textContent ?? '')).length,
          counts: [],
        };
        sort();
        clicks = 1;
      } else if (clicks === 1) {
        sort();
        clicks = 2;
      } else w.__finishing.counts.push(document.querySelector('.filters .count')?.textContent ?? '');
    }
    if (!seenProgress || progress) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

describe('triage while a firewall log loads', () => {
  it('sorts and filters the rows read so far, as the loaded table would them, and keeps the selection', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { page, errors, bytes } = await openWithPageLog(site.browser, site.url, LOG.name, LOG);
    expect(bytes).toBeGreaterThanOrEqual(LIVE_ROWS_BYTES);
    const seen: Drawn[] = [];
    let selected = { row: -1, ends: '' };
    let held: HeldWorker | null = null;
    // From three quarters of the log read on, the engine worker is held too, a second at a time: the last tables of
    // the rows read so far and the loaded one come before the rows of the one before have come, and building the
    // loaded table lasts a second or more, as for a big log (the rows in view must stay drawn meanwhile, and until the
    // loaded answer comes). The page calls this on the first frame that shows 75% read (watchNearEnd).
    let engineHeld: Promise<HeldWorker> | null = null;
    await page.exposeFunction('__nearEnd', () => void (engineHeld ??= holdWorker(site.browser, 'teardown-engine', ENGINE_HELD_MS, ENGINE_RUN_MS)));
    await page.evaluate(watchNearEnd);
    const tasks = await traceMainThread(site.browser, page, async () => {
      await pageLogToInput(page, '[data-testid="file-input"]');
      held = await holdWorker(site.browser, 'teardown-log-decoder', HELD_MS, RUN_MS);
      await page.waitForSelector(LIVE_ROW, { timeout: 120_000 });
      expect(await page.textContent('[data-testid="live-note"]')).toMatch(/The sort, the search and the filters already work on them/);
      // The search typed key by key and the server column sorted, while the log is read.
      await page.evaluate(watchLiveCounts, TEXT);
      await page.type('[data-testid="search"]', TEXT, { delay: 40 });
      await page.click('button[data-sort="server"]');
      const header = page.locator('[role="columnheader"]', { has: page.locator('button[data-sort="server"]') });
      await expect.poll(() => header.getAttribute('aria-sort'), { timeout: 10_000 }).toBe('ascending');
      // The answer shows while still loading: fewer rows than read, every one with the text in an endpoint.
      await expect.poll(async () => {
        const d = await drawn(page);
        return d.loading && d.rows.length > 3 && d.rows.every((r) => r.ends.includes(TEXT)) && (await page.textContent('.filters .count'))!.match(/^[\d,]+ of [\d,]+ connections read so far$/) !== null;
      }, { timeout: 60_000, interval: 100 }).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'live-filtered-sorted.png') });
      await page.screenshot({ path: join(OUT, 'e2e-live-query.png') });
      // A row selected during the load: it stays selected as rows come, the view follows it.
      const target = page.locator(LIVE_ROW).nth(1);
      selected = { row: Number(await target.getAttribute('data-row')), ends: `${await target.getAttribute('data-client')} → ${await target.getAttribute('data-server')}` };
      await target.click();
      await expect.poll(() => page.textContent('[data-testid="selected-endpoints"]'), { timeout: 30_000 }).toBe(selected.ends);
      await page.evaluate(watchLoadedEnd);
      // What the table shows while it loads, taken until the log is read whole.
      while ((await page.locator('[data-testid="progress"][data-phase="reading"]').count()) > 0) {
        const d = await drawn(page);
        if (d.loading && d.rows.length) seen.push(d);
        expect(await page.textContent('[data-testid="selected-endpoints"]')).toBe(selected.ends);
        await page.waitForTimeout(150);
      }
      await page.screenshot({ path: join(SHOTS, 'live-filtered-finishing.png') });
      await held.stop();
      held = null;
      await page.waitForSelector('[data-testid="flow-table"]:not([data-loading]) [role="row"][data-row]', { timeout: 60_000 });
      await expect.poll(() => page.textContent('.filters .count'), { timeout: 60_000 }).not.toBe('…');
      await (await engineHeld)?.stop();
      engineHeld = null;
    }).finally(() => Promise.all([held?.stop(), engineHeld?.then((h) => h.stop())]));
    expect(tasks.maxCpuMs).toBeLessThanOrEqual(50);
    // Read whole, the table being built: the page said so, and offered no Cancel.
    const finishing = await page.evaluate(() => (window as unknown as { __finishing: Finishing | null }).__finishing);
    expect(finishing, 'the page seen while the table is built').not.toBeNull();
    // The query changed then gets no answer until the table is built: its count shows as pending, not the last one's.
    expect(finishing!.counts.length).toBeGreaterThan(0);
    expect(new Set(finishing!.counts)).toEqual(new Set(['…']));
    expect(finishing!.note).toMatch(/The log is read whole: building its table/);
    expect(finishing!.cancel).toBe(0);
    expect(finishing!.chip).toBe(`${LOG.name} read whole · building the table…`);

    // The loaded table's answer to the same query, in Node, on the same log.
    const engine = createEngineSession();
    const result = await engine.load([{ kind: 'blob', name: LOG.name, blob: new Blob(logParts(LOG)) }], {});
    const all = await engine.query(QUERY);
    expect(all.length).toBeGreaterThan(100);
    expect(all.length).toBeLessThan(result.flows.count);
    expect(seen.length).toBeGreaterThan(2);
    // The answer grew as rows came (its counts on every frame of the load, watchLiveCounts).
    const liveCounts = await page.evaluate(() => (window as unknown as { __liveCounts: number[] }).__liveCounts);
    expect(liveCounts.length, JSON.stringify(liveCounts)).toBeGreaterThan(1);
    // Rows only come: the answer of a search on endpoints never shrinks.
    expect(liveCounts, JSON.stringify(liveCounts)).toEqual([...liveCounts].sort((a, b) => a - b));
    const least = Array.from(all).sort((x, y) => x - y);
    for (const d of seen) expect(isPrefixAnswer(d, all, least), JSON.stringify({ count: d.count, rows: d.rows.slice(0, 5) })).toBe(true);
    // The endpoints drawn are the loaded table's for those rows.
    const last = seen.at(-1)!;
    const want = await engine.flowRows(Uint32Array.from(last.rows.map((r) => r.row)));
    expect(last.rows.map((r) => r.ends)).toEqual(last.rows.map((_, k) => `${endpointText(want, k, 'client')} → ${endpointText(want, k, 'server')}`));

    // Loaded: the loaded table's answer, the selection kept; until that answer came, no row in view went blank.
    const n = result.flows.count;
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 60_000 }).toBe(`${all.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} connections`);
    const end = await page.evaluate(() => (window as unknown as { __end: { frames: number; blank: number } }).__end);
    expect(end.blank, `blank frames of ${end.frames} before the loaded answer`).toBe(0);
    expect(await page.textContent('[data-testid="selected-endpoints"]')).toBe(selected.ends);
    await page.screenshot({ path: join(SHOTS, 'live-filtered-loaded.png') });
    await page.locator('[data-testid="flow-table"]').evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(async () => (await drawn(page)).rows[0]?.row, { timeout: 30_000 }).toBe(all[0]);
    const top = await drawn(page);
    expect(top.rows.map((r) => r.row)).toEqual(Array.from(all.subarray(0, top.rows.length)));
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
