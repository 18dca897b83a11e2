/**
 * Triage while a big firewall log loads (ui/live-table.ts, engine/live-query.ts), through the file input of the
 * production build: a search typed and a sort clicked during the load apply to the rows read so far and stay applied
 * as more come; every table drawn meanwhile is the loaded table's answer to the same query on a first part of the
 * connections (the engine in Node, on the whole log: its rows, cut to those before some row count, in its order); a
 * row selected during the load stays selected; the main thread's tasks stay short; once loaded, the table is the
 * loaded table's answer.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, traceMainThread, useSite } from './site';
import { generatedLog } from './generated-log';
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

describe('triage while a firewall log loads', () => {
  it('sorts and filters the rows read so far, as the loaded table would them, and keeps the selection', async () => {
    mkdirSync(SHOTS, { recursive: true });
    // Read for long enough that a search typed key by key after the first rows is answered before the log is read
    // whole (about 340 MB: the 600,000-line log of the other browser tests is read in a second or two).
    const file = generatedLog('asa-2m.log', 2_000_000, 11, 256 << 20);
    const page = await site.browser.newPage({ viewport: { width: 1300, height: 850 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url);
    await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
    const seen: Drawn[] = [];
    let selected = { row: -1, ends: '' };
    const tasks = await traceMainThread(site.browser, page, async () => {
      await page.setInputFiles('[data-testid="file-input"]', [file]);
      await page.waitForSelector(LIVE_ROW, { timeout: 120_000 });
      expect(await page.textContent('[data-testid="live-note"]')).toMatch(/The sort, the search and the filters already work on them/);
      // The search typed key by key and the server column sorted, while the log is read.
      await page.type('[data-testid="search"]', TEXT, { delay: 40 });
      await page.click('button[data-sort="server"]');
      const header = page.locator('[role="columnheader"]', { has: page.locator('button[data-sort="server"]') });
      await expect.poll(() => header.getAttribute('aria-sort'), { timeout: 10_000 }).toBe('ascending');
      // The answer shows while still loading: fewer rows than read, every one with the text in an endpoint.
      await expect.poll(async () => {
        const d = await drawn(page);
        return d.loading && d.rows.length > 3 && d.rows.every((r) => r.ends.includes(TEXT)) && (await page.textContent('.filters .count'))!.match(/^[\d,]+ of [\d,]+ connections$/) !== null;
      }, { timeout: 60_000, interval: 100 }).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'live-filtered-sorted.png') });
      await page.screenshot({ path: join(OUT, 'e2e-live-query.png') });
      // A row selected during the load: it stays selected as rows come, the view follows it.
      const target = page.locator(LIVE_ROW).nth(1);
      selected = { row: Number(await target.getAttribute('data-row')), ends: `${await target.getAttribute('data-client')} → ${await target.getAttribute('data-server')}` };
      await target.click();
      await expect.poll(() => page.textContent('[data-testid="selected-endpoints"]'), { timeout: 30_000 }).toBe(selected.ends);
      // What the table shows while it loads, taken until the load ends.
      while ((await page.locator('[data-testid="progress"]').count()) > 0) {
        const d = await drawn(page);
        if (d.loading && d.rows.length) seen.push(d);
        expect(await page.textContent('[data-testid="selected-endpoints"]')).toBe(selected.ends);
        await page.waitForTimeout(150);
      }
      await page.screenshot({ path: join(SHOTS, 'live-filtered-loaded.png') });
      await page.waitForSelector('[data-testid="flow-table"]:not([data-loading]) [role="row"][data-row]', { timeout: 60_000 });
    });
    expect(tasks.maxCpuMs).toBeLessThanOrEqual(50);

    // The loaded table's answer to the same query, in Node.
    const engine = createEngineSession();
    const result = await engine.load([{ kind: 'blob', name: 'asa-2m.log', blob: new Blob([readFileSync(file)]) }], {});
    const all = await engine.query(QUERY);
    expect(all.length).toBeGreaterThan(100);
    expect(all.length).toBeLessThan(result.flows.count);
    expect(seen.length).toBeGreaterThan(2);
    const counts = new Set(seen.map((d) => d.count));
    expect(counts.size).toBeGreaterThan(1); // the answer grew as rows came
    const least = Array.from(all).sort((x, y) => x - y);
    for (const d of seen) expect(isPrefixAnswer(d, all, least), JSON.stringify({ count: d.count, rows: d.rows.slice(0, 5) })).toBe(true);
    // The endpoints drawn are the loaded table's for those rows.
    const last = seen.at(-1)!;
    const want = await engine.flowRows(Uint32Array.from(last.rows.map((r) => r.row)));
    expect(last.rows.map((r) => r.ends)).toEqual(last.rows.map((_, k) => `${endpointText(want, k, 'client')} → ${endpointText(want, k, 'server')}`));

    // Loaded: the loaded table's answer, the selection kept.
    const n = result.flows.count;
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 60_000 }).toBe(`${all.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} connections`);
    expect(await page.textContent('[data-testid="selected-endpoints"]')).toBe(selected.ends);
    await page.locator('[data-testid="flow-table"]').evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(async () => (await drawn(page)).rows[0]?.row, { timeout: 30_000 }).toBe(all[0]);
    const end = await drawn(page);
    expect(end.rows.map((r) => r.row)).toEqual(Array.from(all.subarray(0, end.rows.length)));
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
