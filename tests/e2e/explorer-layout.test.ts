/**
 * The explorer's room at 1280x720 with a firewall log (issue 11): the triage panel above the table gives way (it
 * scrolls inside, and shrinks to a strip once a deny class is picked) so the table keeps at least
 * TABLE_LEAST_ROWS rows in view, the selected connection's row among them; and the "Selected" line agrees with the
 * ladder: the keyboard moves the selection, the line says when the ladder shows another connection, Enter opens it.
 * Generated multi-day ASA log (bench/triage-log-gen.ts). Screenshots go to tests/out/ for a human look.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { OUT, useSite } from './site';
import { triageLogText } from '../../bench/triage-log-gen';

const site = useSite();
/** src/ui/explorer.tsx TABLE_LEAST_ROWS: the rows the table keeps in view whatever the triage panel wants. */
const TABLE_LEAST_ROWS = 8;

async function loadLog(): Promise<Page> {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'layout-triage.log');
  writeFileSync(file, triageLogText().text);
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(site.url);
  await page.waitForSelector('[data-example]');
  await page.setInputFiles('[data-testid="file-input"]', [file]);
  await page.waitForSelector('[data-deny-class]', { timeout: 60_000 });
  return page;
}

/** Rows drawn wholly inside the table's scroll box (below its sticky header), and whether the selected one is. */
const inView = (page: Page) =>
  page.evaluate(() => {
    const grid = document.querySelector('[data-testid="flow-table"]')!;
    const box = grid.getBoundingClientRect();
    const top = box.top + (grid.querySelector('.hrow')?.getBoundingClientRect().height ?? 0);
    const whole = [...grid.querySelectorAll('[role="row"][data-row]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= top - 0.5 && b.bottom <= box.bottom + 0.5;
    });
    return { rows: whole.length, selected: whole.some((r) => r.getAttribute('aria-selected') === 'true') };
  });

/** "client → server" of the selected row in the table, and of the first ladder's head. */
const selectedRow = (page: Page) =>
  page.evaluate(() => {
    const r = document.querySelector('[role="row"][aria-selected="true"]');
    return r ? `${r.getAttribute('data-client')} → ${r.getAttribute('data-server')}` : null;
  });
const ladderConnection = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-testid="ladder-head"] h3 .ep')?.textContent?.replace(' ⇄ ', ' → ') ?? null);

describe('explorer layout with a firewall log at 1280x720', () => {
  it('keeps the table at least 8 rows high beside the open triage panel, the selected row in view', async () => {
    const page = await loadLog();
    expect(await page.isVisible('[data-testid="triage"]')).toBe(true);
    await expect.poll(() => inView(page), { timeout: 30_000 }).toEqual({ rows: TABLE_LEAST_ROWS, selected: true });
    // The load's connection: the ladder, the selected row and the line name the same one.
    await expect.poll(() => ladderConnection(page), { timeout: 30_000 }).toBe(await selectedRow(page));
    expect(await page.getAttribute('.overview .selected', 'data-open')).toBe('true');
    await page.screenshot({ path: join(OUT, 'layout-triage-1280.png') });

    // Picking a deny class turns the panel into a strip: the table keeps its rows, the ladders get the room.
    const ladders = await page.locator('.ladders').boundingBox();
    await page.click('[data-deny-class="late-close"]');
    await page.waitForSelector('[data-testid="triage-size"][aria-expanded="false"]');
    await expect.poll(async () => (await page.locator('.ladders').boundingBox())!.height, { timeout: 30_000 }).toBeGreaterThan(ladders!.height + 100);
    await expect.poll(async () => (await inView(page)).rows, { timeout: 30_000 }).toBeGreaterThanOrEqual(TABLE_LEAST_ROWS);
    await page.screenshot({ path: join(OUT, 'layout-triage-class-1280.png') });
    await page.click('[data-testid="triage-size"]');
    await page.waitForSelector('[data-testid="triage-size"][aria-expanded="true"]');
    await page.close();
  });

  it('after a filter and PageDown the line names the keyboard row and what the ladder shows; Enter opens it', async () => {
    const page = await loadLog();
    await expect.poll(() => ladderConnection(page), { timeout: 30_000 }).not.toBeNull();
    const before = await ladderConnection(page);
    const count = await page.textContent('.filters .count');
    await page.fill('[data-testid="search"]', 'tcp.dstport == 443');
    await page.waitForFunction((c) => document.querySelector('.filters .count')?.textContent !== c, count, { timeout: 30_000 });
    await page.getByRole('grid', { name: 'Connections' }).focus();
    const first = await selectedRow(page);
    await page.keyboard.press('PageDown');
    await page.waitForFunction((f) => {
      const r = document.querySelector('[role="row"][aria-selected="true"]');
      return r !== null && `${r.getAttribute('data-client')} → ${r.getAttribute('data-server')}` !== f;
    }, first, { timeout: 30_000 });
    const keyboard = (await selectedRow(page))!;
    expect(keyboard).not.toBe(before);
    // The line names the row under the keyboard, says it is not open, and what the ladder still shows.
    await expect.poll(() => page.textContent('[data-testid="selected-endpoints"]'), { timeout: 30_000 }).toBe(keyboard);
    expect(await page.getAttribute('.overview .selected', 'data-open')).toBe('false');
    await expect.poll(() => page.textContent('[data-testid="ladder-shows"]'), { timeout: 30_000 }).toBe(`· the ladder shows ${before}`);
    expect(await ladderConnection(page)).toBe(before);
    await page.screenshot({ path: join(OUT, 'layout-keyboard-1280.png') });

    // Enter opens it: the ladder, the table's open mark and the line agree.
    await page.keyboard.press('Enter');
    await expect.poll(() => ladderConnection(page), { timeout: 30_000 }).toBe(keyboard);
    await page.waitForSelector('.overview .selected[data-open="true"]');
    expect(await page.isVisible('[data-testid="ladder-shows"]')).toBe(false);
    expect(await page.getAttribute('[role="row"][aria-selected="true"]', 'class')).toMatch(/\bopen\b/);
    await page.close();
  });
});
