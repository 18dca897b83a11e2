/**
 * The flow table fetches rows ahead of the user (src/ui/row-cache.ts, flow-rows.ts): on a generated ASA log of a few
 * thousand connections, once the table says its rows are ready (data-rows), a scroll a few screens further in the
 * same direction and a pull to the end draw rows with their data at once, never blank rows; a jump far past the window
 * fetched ahead first shows blank rows, then fills them. Every wait is for a condition (a loaded machine only makes
 * it slower): the first rendering that shows the new position is caught by a MutationObserver, not by timing.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { OUT, useSite } from './site';
import { generateLog } from '../../bench/log-gen';

const site = useSite();

const grid = '[data-testid="flow-table"]';

/** Waits until the rows in view and ahead of them are all held (the table's data-rows). */
const ready = (page: Page) => page.waitForSelector(`${grid}[data-rows="ready"]`, { timeout: 60_000 });

/**
 * Moves the table's scroll position in the page (`to`: a scrollTop, or 'down' for ten screens further down: past the
 * rows fetched either side of the view, row-cache.ts PAD) and reports the first rendering that shows the new
 * position: how many rows in view it drew blank, and how many with data.
 */
async function firstRendering(page: Page, to: 'down' | number, wanted = 0): Promise<{ blank: number; drawn: number }> {
  return page.evaluate(
    ([to, wanted]) =>
      new Promise<{ blank: number; drawn: number }>((done, fail) => {
        const el = document.querySelector<HTMLElement>('[data-testid="flow-table"]')!;
        const box = el.getBoundingClientRect();
        const rowsNow = () => [...el.querySelectorAll('[role="row"][aria-rowindex]')].filter((r) => !r.classList.contains('hrow'));
        const inView = () =>
          rowsNow().filter((r) => {
            const b = r.getBoundingClientRect();
            return b.bottom > box.top + 1 && b.top < box.bottom - 1;
          });
        const at = (r: Element) => Number(r.getAttribute('aria-rowindex')) - 2;
        const rowH = inView()[0].getBoundingClientRect().height;
        const topNow = Math.min(...inView().map(at));
        const scrollTop = to === 'down' ? el.scrollTop + 10 * el.clientHeight : to;
        // A row nine screens past the old view's top, or the one asked for.
        const want = to === 'down' ? topNow + Math.floor((9 * el.clientHeight) / rowH) : wanted;
        const look = () => {
          const rows = inView();
          if (!rows.some((r) => at(r) >= want)) return false;
          watch.disconnect();
          done({ blank: rows.filter((r) => r.classList.contains('pending')).length, drawn: rows.filter((r) => r.hasAttribute('data-row')).length });
          return true;
        };
        const watch = new MutationObserver(look);
        watch.observe(el, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class'] });
        setTimeout(() => (watch.disconnect(), fail(new Error(`row ${want} never shown`))), 60_000);
        el.scrollTop = scrollTop;
      }),
    [to, wanted] as const,
  );
}

describe('flow table rows fetched ahead', () => {
  it('draws rows at once when scrolling on and at the end; a far jump fills its blank rows', { timeout: 240_000 }, async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'rows-ahead.log');
    const { connections } = generateLog(file, { lines: 30_000, seed: 11 });
    expect(connections).toBeGreaterThan(5000);
    // Tall enough for a few dozen rows in view below the triage panel and above the ladder.
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 1800 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(site.url);
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForSelector(`${grid} [role="row"][data-row]`, { timeout: 120_000 });
    const total = Number(await page.getAttribute(grid, 'aria-rowcount')) - 1;
    expect(total).toBeGreaterThan(5000);

    // Scrolling down, ten screens at a time: each new position is drawn whole in its first rendering.
    await ready(page);
    await page.$eval(grid, (el) => (el.scrollTop = el.clientHeight));
    for (let i = 0; i < 6; i++) {
      await ready(page);
      const first = await firstRendering(page, 'down');
      expect(first.blank, `scroll ${i + 1}`).toBe(0);
      expect(first.drawn).toBeGreaterThan(5);
    }

    // The end of the table (the scroll bar pulled down, or End): the last rows are held from the start.
    await ready(page);
    const end = await firstRendering(page, 1e9, total - 3);
    expect(end.blank).toBe(0);
    expect(end.drawn).toBeGreaterThan(5);

    // Back to the top, then a jump to the middle, far past what was fetched ahead: blank rows first, then filled.
    await page.$eval(grid, (el) => (el.scrollTop = 0));
    await page.waitForSelector(`${grid} [role="row"][aria-rowindex="2"][data-row]`, { timeout: 60_000 });
    await ready(page);
    const middle = Math.floor(total / 2);
    const jump = await page.$eval(grid, (el, m) => Math.floor((el.scrollHeight - el.clientHeight) * m), middle / total);
    const far = await firstRendering(page, jump, middle - 60);
    expect(far.blank).toBeGreaterThan(0);
    await ready(page);
    await page.waitForFunction((g) => {
      const t = document.querySelector(g)!;
      return !t.querySelector('.frow.pending') && t.querySelectorAll('[role="row"][data-row]').length > 10;
    }, grid, { timeout: 60_000 });
    await page.close();
  });
});
