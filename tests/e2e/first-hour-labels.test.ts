/**
 * Issue 16 item 6 in a real browser: what the ladder says is what Wireshark would say. The window is the scaled one
 * once the handshake was captured (tshark's tcp.window_size: 65536 for the field 64 of clean-client-first.pcap), the
 * raw field marked "raw" without it (the seed case's text captures); the packet details say "WS ×1024", not "WS 10";
 * the time column writes every offset in one unit; a server that never answered a SYN is in no state (no LISTEN).
 * Screenshots: tests/out/first-hour-window-*.png.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';
import { settled } from './settled';

const CLOSES = join(ROOT, 'public/examples/closes');
const site = useSite();

async function open(hash = '', width = 1280, height = 720): Promise<{ page: Page; errors: string[] }> {
  const context = await site.browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url + hash);
  await page.waitForSelector('header.topbar');
  return { page, errors };
}

const labels = (page: Page) => page.$$eval('[data-ladder="0"] g.arrow text.lbl', (t) => t.map((x) => x.textContent ?? ''));
const times = (page: Page) => page.$$eval('[data-ladder="0"] text.time', (t) => t.map((x) => x.textContent ?? '').filter((x) => x && x !== '0'));

describe('item 6: the window, the time column and the states as the capture can know them', () => {
  it('a captured handshake: "win 65536" (the field 64 after WS ×1024), "WS ×1024 (shift 10)" in the SYN\'s details', async () => {
    const { page, errors } = await open();
    await page.setInputFiles('[data-testid="file-input"]', join(CLOSES, 'clean-client-first.pcap'));
    await page.waitForSelector('[data-ladder="0"] g.arrow');
    await page.getByRole('button', { name: 'whole connection', exact: true }).click();
    await page.getByRole('button', { name: 'win', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-ladder="0"] g.arrow text.lbl')].some((t) => /win \d/.test(t.textContent ?? '')));
    const all = await labels(page);
    // tshark -r clean-client-first.pcap -T fields -e tcp.window_size: 65495, 65483 (the SYNs), then 65536.
    expect(all.filter((l) => /win 65536(\s|$)/.test(l)).length).toBeGreaterThan(3);
    expect(all.some((l) => /win 64(\s|$)/.test(l))).toBe(false);
    expect(all.some((l) => / raw(\s|$)/.test(l))).toBe(false);
    // The SYN's details, re-read from the file: the window scale as a multiplier.
    await page.locator('[data-ladder="0"] g.arrow.syn').first().hover();
    await page.waitForFunction(() => /WS ×/.test(document.querySelector('[data-testid="packet-details"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
    const details = (await page.textContent('[data-testid="packet-details"]')) ?? '';
    expect(details).toMatch(/WS ×1024 \(shift 10\)/);
    expect(details).not.toMatch(/WS 10\b/);
    // One unit in the time column.
    const col = await times(page);
    expect(col.length).toBeGreaterThan(5);
    expect(new Set(col.map((t) => t.split(' ').pop())).size).toBe(1);
    await page.screenshot({ path: join(OUT, 'first-hour-window-scaled.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the seed case (no handshake captured): the raw field, marked; one unit in the time column', async () => {
    const { page, errors } = await open('#example=seed');
    await page.waitForSelector('[data-event="deny"]');
    await page.getByRole('button', { name: 'win', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-ladder="0"] g.arrow text.lbl')].some((t) => /win \d/.test(t.textContent ?? '')));
    const withWin = (await labels(page)).filter((l) => /win \d/.test(l));
    expect(withWin.length).toBeGreaterThan(0);
    for (const l of withWin) expect(l).toMatch(/win \d+ raw(\s|$)/);
    expect(await page.getAttribute('[data-ladder="0"] g.arrow.fin', 'aria-label')).toMatch(/window field \d+, scale unknown/);
    const col = await times(page);
    expect(col.length).toBeGreaterThan(2);
    expect(new Set(col.map((t) => t.split(' ').pop()))).toEqual(new Set(['s']));
    await page.screenshot({ path: join(OUT, 'first-hour-window-raw.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a SYN nobody answered: the client in SYN-SENT, the server in no state at all', async () => {
    const { page, errors } = await open();
    await page.setInputFiles('[data-testid="file-input"]', join(CLOSES, 'unanswered-syn.pcap'));
    await page.waitForSelector('[data-ladder="0"] g.arrow');
    const pills = await page.$$eval('[data-ladder="0"] .state-pill', (g) => g.map((x) => `${x.getAttribute('data-side')} ${x.textContent}`));
    expect(pills).toContain('client SYN-SENT');
    expect(pills.filter((p) => p.startsWith('server'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/** Every pair of drawn texts and pills (real glyph boxes) that overlap, on the page's ladders. */
async function overprints(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes: { r: DOMRect; what: string }[] = [];
    document.querySelectorAll('svg[data-testid="ladder"]').forEach((svg, l) => {
      svg.querySelectorAll('text, .state-pill rect, .event rect').forEach((e) => {
        const r = e.getBoundingClientRect();
        const text = e.tagName === 'text' ? (e.textContent ?? '') : e.parentElement?.textContent ?? '';
        // A pill's or an event box's own text sits inside its rect.
        if (r.width && r.height && text.trim()) boxes.push({ r, what: `${l}:${e.tagName}:${text.trim().slice(0, 30)}` });
      });
    });
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.what.slice(a.what.indexOf(':', 2)) === b.what.slice(b.what.indexOf(':', 2)).replace(/^:(rect|text)/, '')) continue;
        const inside = (x: DOMRect, y: DOMRect) => x.left >= y.left - 1 && x.right <= y.right + 1 && x.top >= y.top - 1 && x.bottom <= y.bottom + 1;
        if (inside(a.r, b.r) || inside(b.r, a.r)) continue;
        const ov = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const oh = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (ov > 1 && oh > 1) out.push(`${a.what} / ${b.what}`);
      }
    }
    return out;
  });
}

describe('item 4: a shared link at 1280 px', () => {
  it('opens with no two texts overprinting; "all in the link" says the earlier packets are not in the link, not "not drawn"', async () => {
    const { page } = await open('#example=seed');
    await page.waitForFunction(() => document.querySelectorAll('svg[data-testid="ladder"]').length === 2, null, { timeout: 30_000 });
    await page.click('[data-testid="share-open"]');
    const link = await page.inputValue('[data-testid="share-link"]');
    await page.context().close();
    const { page: shared, errors } = await open(new URL(link).hash);
    await shared.waitForFunction(() => document.querySelectorAll('svg[data-testid="ladder"]').length === 2, null, { timeout: 30_000 });
    await settled(shared);
    await shared.screenshot({ path: join(OUT, 'first-hour-shared-1280.png') });
    expect(await overprints(shared)).toEqual([]);
    await shared.getByRole('button', { name: 'all in the link', exact: true }).click();
    await settled(shared);
    const folds = await shared.$$eval('svg[data-testid="ladder"] text.fold', (t) => t.map((x) => x.textContent ?? ''));
    for (const f of folds) expect(f).not.toMatch(/not drawn/);
    await shared.screenshot({ path: join(OUT, 'first-hour-shared-whole-1280.png') });
    expect(await overprints(shared)).toEqual([]);
    expect(errors).toEqual([]);
    await shared.context().close();
  });
});

describe('item 10: the sort headers by keyboard', () => {
  it('one Tab stop reaches the headers; → moves along them, Enter sorts, Enter again reverses', async () => {
    const { page, errors } = await open('#example=openflow');
    await page.waitForSelector('[role="row"][data-close-kind]');
    const sortOf = () => page.$$eval('[role="columnheader"]', (h) => h.map((x) => x.getAttribute('aria-sort')));
    // Tab from the filters until a sort header has the focus.
    await page.focus('input[type="search"], input[type="text"]');
    let onHeader = false;
    for (let i = 0; i < 25 && !onHeader; i++) {
      await page.keyboard.press('Tab');
      onHeader = await page.evaluate(() => !!document.activeElement?.closest('[role="columnheader"]'));
    }
    expect(onHeader).toBe(true);
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-sort'));
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-sort'));
    expect(second).not.toBe(first);
    await page.keyboard.press('ArrowRight');
    const key = await page.evaluate(() => document.activeElement?.getAttribute('data-sort'));
    const col = await page.$$eval('[role="columnheader"] button', (b) => b.map((x) => x.getAttribute('data-sort')));
    const k = col.indexOf(key!);
    await page.keyboard.press('Enter');
    await page.waitForFunction((k) => document.querySelectorAll('[role="columnheader"]')[k].getAttribute('aria-sort') !== 'none', k);
    const once = (await sortOf())[k];
    await page.keyboard.press('Enter');
    await page.waitForFunction(([k, once]) => document.querySelectorAll('[role="columnheader"]')[k as number].getAttribute('aria-sort') !== once, [k, once] as const);
    expect([once, (await sortOf())[k]].sort()).toEqual(['ascending', 'descending']);
    // The focus stays on the header (the rows' keys did not take Enter).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-sort'))).toBe(key);
    await page.screenshot({ path: join(OUT, 'first-hour-sort-keyboard.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
