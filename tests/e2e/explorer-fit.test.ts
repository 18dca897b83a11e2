/**
 * The first screen at 1280x720 (a trainer's laptop on a projector): the seed case's close in view
 * without scrolling, large type for the back of the room, and "your close vs. the textbook" side by
 * side with the first FINs on one line. Screenshots go to tests/out/ for a human look.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, useSite } from './site';
import { settled } from './settled';

const site = useSite();

async function seedPage(hash = '#example=seed', scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const ctx = await site.browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: scheme });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(site.url + hash);
  await page.waitForSelector('[data-event="deny"]', { timeout: 20_000 });
  // The fit to the close runs on the next frame.
  await settled(page);
  return page;
}

const box = async (page: Page, sel: string) => (await page.locator(sel).first().boundingBox())!;

describe('first screen at 1280x720', () => {
  it('shows the seed case from the first FIN to the dropped RST without scrolling, the verdicts above', async () => {
    const page = await seedPage();
    const scroller = await box(page, '.ladderscroll');
    const details = await box(page, '[data-testid="packet-details"]');
    const deny = await box(page, '[data-ladder="0"] [data-event="deny"]');
    const fin = await box(page, '[data-ladder="0"] g.arrow.fin');
    const rstDropped = await box(page, '[data-ladder="0"] g.arrow[data-dropped="true"]');
    // Below the pinned lane names, above the details line. The verdicts and a line of each explanation stay above
    // the ladders (issue 16), which leaves the 106015 deny just under the fold: one scroll shows it.
    expect(fin.y).toBeGreaterThanOrEqual(scroller.y + 34 - 1);
    expect(rstDropped.y + rstDropped.height).toBeLessThanOrEqual(details.y + 1);
    expect(deny.y).toBeLessThan(details.y + 60);
    // The lane names stay readable at the top.
    const lanes = await page.$$eval('[data-ladder="0"] .lanesticky .lanelabel', (t) => t.map((x) => x.textContent));
    expect(lanes).toEqual(['client', 'firewall', 'server']);
    await page.screenshot({ path: join(OUT, 'fit-seed-1280.png') });
    await page.context().close();
  });

  it('switches to large type with Shift+L, the button, or #large=1', async () => {
    const page = await seedPage();
    const small = await box(page, '[data-ladder="0"] svg.ladder');
    const rowH = (await box(page, '[role="row"][data-row]')).height;
    await page.keyboard.press('Shift+L');
    await page.waitForFunction(() => document.documentElement.classList.contains('large-type'));
    await settled(page);
    const big = await box(page, '[data-ladder="0"] svg.ladder');
    expect(big.height / small.height).toBeGreaterThan(1.3);
    expect((await box(page, '[role="row"][data-row]')).height).toBeGreaterThan(rowH * 1.3);
    const font = await page.$eval('[data-testid="explanation"]', (p) => parseFloat(getComputedStyle(p).fontSize));
    expect(font).toBeGreaterThanOrEqual(18);
    expect(await page.getAttribute('[data-testid="large-type"]', 'aria-pressed')).toBe('true');
    await page.screenshot({ path: join(OUT, 'fit-large-1280.png') });
    await page.click('[data-testid="large-type"]');
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-type'))).toBe(false);
    await page.context().close();

    const linked = await seedPage('#example=seed&large=1', 'dark');
    expect(await linked.evaluate(() => document.documentElement.classList.contains('large-type'))).toBe(true);
    await linked.keyboard.press('?');
    expect(await linked.textContent('[role="dialog"]')).toContain('Shift+L');
    await linked.context().close();
  });

  it('puts your close beside the textbook, first FINs on one line', async () => {
    const page = await seedPage();
    await page.click('a.textbook');
    await page.waitForSelector('[data-testid="compare-ladder"] svg');
    await page.waitForSelector('[data-testid="lesson-player"]');
    await page.keyboard.press('End');
    await settled(page);
    const boxes = await page.$$eval('.lesson-ladder-box', (b) => b.map((x) => x.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes).toHaveLength(2);
    const [textbook, yours] = boxes;
    expect(Math.abs(textbook.top - yours.top)).toBeLessThan(2);
    expect(yours.left).toBeGreaterThanOrEqual(textbook.right);
    const finTops = await page.$$eval('.lesson-ladder-box', (b) =>
      // The FIN's line, not its group: a label's box tilts with its arrow (two capture points draw half arrows).
      b.map((x) => x.querySelector('g.arrow.fin line.shaft')?.getBoundingClientRect().top ?? null));
    expect(finTops[0]).not.toBeNull();
    expect(Math.abs(finTops[0]! - finTops[1]!)).toBeLessThan(3);
    // The server's RST that the firewall denied stops at the firewall lane in your ladder, as in the explorer.
    const dropped = await page.$$eval('[data-testid="compare-ladder"] [data-dropped="true"]', (d) => d.length);
    expect(dropped).toBe(1);
    await page.screenshot({ path: join(OUT, 'fit-textbook-1280.png') });
    await page.context().close();
  });

  it('fits four ladders side by side without scrolling sideways, lanes equally far apart, labels shortened to fit', async () => {
    const ctx = await site.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    await page.goto(site.url + '#example=closes');
    await page.waitForSelector('[role="row"][data-row]', { timeout: 20_000 });
    const rows = page.locator('[role="row"][data-row]');
    await rows.nth(0).click();
    for (let k = 1; k < 4; k++) await rows.nth(2 * k).click({ modifiers: ['Shift'] });
    await page.waitForFunction(() => document.querySelectorAll('[data-ladder] svg.ladder').length === 4);
    await settled(page);
    const [scrollWidth, clientWidth] = await page.$eval('.ladderscroll', (e) => [e.scrollWidth, e.clientWidth]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    // Shift+click added ladders without selecting the table's text.
    expect(await page.evaluate(() => String(getSelection()))).toBe('');
    const gaps = await page.$$eval('[data-ladder] .lanesticky', (ls) => ls.map((l) => {
      const xs = [...l.querySelectorAll('.lanelabel')].map((t) => t.getBoundingClientRect().left);
      return Math.round(xs[xs.length - 1] - xs[0]);
    }));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(2);
    // Every drawn label fits between its lanes.
    const over = await page.$$eval('[data-ladder] g.arrow', (as) => as.filter((a) => {
      const lbl = a.querySelector('.lbl');
      const shaft = a.querySelector('.shaft');
      if (!lbl || !shaft || !lbl.textContent) return false;
      return lbl.getBoundingClientRect().width > shaft.getBoundingClientRect().width + 2;
    }).length);
    expect(over).toBe(0);
    await page.screenshot({ path: join(OUT, 'fit-four-1280.png') });
    await ctx.close();
  });
});
