/**
 * A big firewall log's table while it is read (ui/live-table.ts, engine/live-rows.ts), through the file input of the
 * production build: rows come before the load ends, marked as loading, with the progress panel and its Cancel still
 * up; a click on one selects it and draws its ladder while the log is still read; the main thread's tasks stay short;
 * and once loaded, the selection is the same connection and the table is the one the engine gives without the early
 * rows (createEngineSession in Node: the same default query, rows and endpoints).
 *
 * The log (34 MB: live rows start at 32 MiB) is made in the page (page-log.ts), and its decoder Worker held by the
 * debugger most of the time (held-worker.ts), as on a slower machine: the load lasts long enough for the click and
 * its ladder while it is read (read in well under a second here, the click could come after the load's end).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OUT, traceMainThread, useSite } from './site';
import { logParts, pageLogToInput, openWithPageLog } from './page-log';
import { holdWorker, type HeldWorker } from './held-worker';
import { LIVE_ROWS_BYTES } from '../../src/ui/live-table';
import { createEngineSession } from '../../src/engine/session';
import { DEFAULT_QUERY, endpointText } from '../../src/model/flow-table';

const site = useSite();

/** The log: 200,000 lines (seed 11), 34.1 MB. */
const LOG = { name: 'asa-200k.log', lines: 200_000, seed: 11 };

const LIVE_ROW = '[data-testid="flow-table"][data-loading] [role="row"][data-row]';

/** The rows drawn, top first: their row number and endpoints. */
async function drawn(page: import('playwright-core').Page): Promise<{ index: number; row: number; ends: string }[]> {
  return page.$$eval('[data-testid="flow-table"] [role="row"][data-row]', (rows) =>
    rows
      .map((r) => ({ index: Number(r.getAttribute('aria-rowindex')) - 2, row: Number(r.getAttribute('data-row')), ends: `${r.getAttribute('data-client')} → ${r.getAttribute('data-server')}` }))
      .sort((a, b) => a.index - b.index),
  );
}

describe('a firewall log table while it loads', () => {
  it('shows rows as they come, answers a click during the load, and ends with the table the engine gives', async () => {
    const { page, errors, bytes } = await openWithPageLog(site.browser, site.url, LOG.name, LOG);
    expect(bytes).toBeGreaterThanOrEqual(LIVE_ROWS_BYTES);
    let held: HeldWorker | null = null;
    let clicked = { row: -1, ends: '' };
    const tasks = await traceMainThread(site.browser, page, async () => {
      await pageLogToInput(page, '[data-testid="file-input"]');
      // Held 450 ms of every 500 ms (ten times slower) until the table's rows were scrolled as they came.
      held = await holdWorker(site.browser, 'teardown-log-decoder', 450, 50);
      await page.waitForSelector(LIVE_ROW, { timeout: 120_000 });
      // Still loading: the progress panel with Cancel, the note, the rows marked.
      expect(await page.locator('[data-testid="progress"]').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
      expect(await page.textContent('[data-testid="live-note"]')).toMatch(/Reading the log: the [\d,]+ connections? read so far/);
      const live = await drawn(page);
      expect(live.length).toBeGreaterThan(3);
      expect(live.slice(0, 4).map((r) => r.row)).toEqual([0, 1, 2, 3]); // log order
      await page.screenshot({ path: join(OUT, 'e2e-live-loading.png') });
      // A click during the load selects the row and draws its ladder (a log-only connection: its firewall events).
      const target = page.locator(LIVE_ROW).nth(2);
      clicked = { row: Number(await target.getAttribute('data-row')), ends: `${await target.getAttribute('data-client')} → ${await target.getAttribute('data-server')}` };
      // Every row the table marks selected from here on: the click selects its row and no other on the way. The focus
      // elsewhere first (the search box, as after a filter typed): the table's focus, which the click then brings,
      // selected the first row before the clicked one (a render of the explorer and a worker round trip for nothing).
      await page.focus('[data-testid="search"]');
      await page.evaluate(() => {
        const marked: number[] = [];
        (window as unknown as { __marked: number[] }).__marked = marked;
        new MutationObserver((list) => {
          for (const m of list) {
            const row = m.target as Element;
            if (row.getAttribute('aria-selected') === 'true') marked.push(Number(row.getAttribute('data-row')));
          }
        }).observe(document.querySelector('[data-testid="flow-table"]')!, { subtree: true, attributeFilter: ['aria-selected'] });
      });
      await target.click();
      await expect.poll(() => page.textContent('[data-testid="selected-endpoints"]'), { timeout: 30_000 }).toBe(clicked.ends);
      expect(await page.evaluate(() => (window as unknown as { __marked: number[] }).__marked)).toEqual([clicked.row]);
      await page.waitForSelector('[data-testid="ladder-head"]', { timeout: 30_000 });
      expect(await page.textContent('[data-testid="ladder-head"]')).toContain('(the log as read so far: still loading)');
      expect(await page.locator('[data-testid="flow-table"][data-loading]').count()).toBe(1);
      expect(await page.locator('[data-testid="progress"]').count()).toBe(1);
      await page.screenshot({ path: join(OUT, 'e2e-live-clicked.png') });
      // Scrolled away from the selection while rows keep coming, the view stays where the user put it (the selected
      // row pulled it back at every update, and when the loaded table came, once: the table's scroll-to-row changed
      // with the row count).
      const grid = page.getByRole('grid', { name: 'Connections' });
      const count0 = Number(await grid.getAttribute('aria-rowcount'));
      await page.locator('[data-testid="flow-table"]').evaluate((el) => { el.scrollTop = 2000; });
      // More rows, or (on a machine so busy that the rest of the log was read meanwhile) the end of the load: the
      // view must stay put either way, through the updates and when the loaded table replaces the rows.
      const grewOrLoaded = async () =>
        Number(await grid.getAttribute('aria-rowcount')) > count0 || (await page.locator('[data-testid="progress"]').count()) === 0;
      await expect.poll(grewOrLoaded, { timeout: 300_000 }).toBe(true);
      await held.stop();
      held = null;
      await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 300_000 });
      await page.waitForSelector('[data-testid="flow-table"]:not([data-loading]) [role="row"][data-row]', { timeout: 60_000 });
    }).finally(() => held?.stop());
    expect(tasks.maxCpuMs).toBeLessThanOrEqual(50);

    // The table the engine gives this log without early rows, in Node.
    const engine = createEngineSession();
    const result = await engine.load([{ kind: 'blob', name: LOG.name, blob: new Blob(logParts(LOG)) }], {});
    const n = result.flows.count;
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 60_000 }).toBe(`${n.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} connections`);
    // The selection is the same connection, at the same place in the table (the 3rd row): the view was not moved.
    expect(await page.textContent('[data-testid="selected-endpoints"]')).toBe(clicked.ends);
    const rows = await engine.query(DEFAULT_QUERY);
    expect(rows.indexOf(clicked.row)).toBe(2);
    await page.waitForTimeout(500);
    expect(await page.locator('[data-testid="flow-table"]').evaluate((el) => el.scrollTop)).toBe(2000);
    await page.locator('[data-testid="flow-table"]').evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(async () => (await drawn(page)).some((r) => r.row === clicked.row), { timeout: 30_000 }).toBe(true);
    const shown = await drawn(page);
    expect(shown.length).toBeGreaterThan(3);
    const want = await engine.flowRows(Uint32Array.from(shown.map((r) => rows[r.index])));
    expect(shown).toEqual(shown.map((r, k) => ({ index: r.index, row: rows[r.index], ends: `${endpointText(want, k, 'client')} → ${endpointText(want, k, 'server')}` })));
    // The ladder drawn again from the loaded analysis, no longer marked.
    await expect.poll(() => page.textContent('[data-testid="ladder-head"]'), { timeout: 30_000 }).not.toContain('still loading');
    await page.screenshot({ path: join(OUT, 'e2e-live-loaded.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});

