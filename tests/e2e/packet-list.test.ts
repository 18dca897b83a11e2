/**
 * The packet list under the ladders (issue 16): its rows are the ladder's packets (time, flags, seq/ack as the
 * ladder writes them) with the firewall's events between them, pointing at a row highlights its arrow and the
 * other way round, ↑↓ move the selection, and the bytes of the packet under the cursor are read again from the
 * file. A connection of 100,006 packets scrolls to its end with a screenful of rows in the page. Screenshots of the
 * seed case and of a real capture at 1280x720, 1920x1080 and 800 px go to tests/out/ for a human look.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';
import { longConnectionPcapBytes } from '../../bench/hostile/long-connection';
import { settled } from './settled';

const site = useSite();
const REAL = join(ROOT, 'tests/fixtures/closes/fin-then-rst-linger0.pcap');
const SIZES = [[1280, 720], [1920, 1080], [800, 720]] as const;

async function open(w: number, h: number, hash = ''): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width: w, height: h } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(site.url + hash);
  return page;
}

async function loadFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
  await page.setInputFiles('[data-testid="file-input"]', file);
  await page.waitForSelector('svg[data-testid="ladder"] g.arrow', { timeout: 60_000 });
}

/** Shows the packet list (the Packets button) unless it is shown, and waits for its rows. */
async function showList(page: Page): Promise<void> {
  if ((await page.getAttribute('[data-testid="packet-list-toggle"]', 'aria-pressed')) !== 'true') await page.click('[data-testid="packet-list-toggle"]');
  await page.waitForSelector('[data-testid="packet-list"] [data-packet]');
}

const listRows = (page: Page) =>
  page.$$eval('[data-testid="packet-list"] [role="rowgroup"] [role="row"]', (rs) =>
    rs.map((r) => ({
      packet: r.getAttribute('data-packet'),
      event: r.getAttribute('data-event'),
      flags: r.querySelector('[data-col="flags"]')?.textContent ?? '',
      time: r.querySelector('[data-col="time"]')?.textContent ?? '',
      seq: r.querySelector('[data-col="seq"]')?.textContent ?? '',
      ack: r.querySelector('[data-col="ack"]')?.textContent ?? '',
      top: (r as HTMLElement).getBoundingClientRect().top,
    })).sort((a, b) => a.top - b.top));

const ladderArrows = (page: Page) =>
  page.$$eval('[data-ladder="0"] g.arrow[data-packet]', (gs) =>
    gs.map((g) => ({ packet: g.getAttribute('data-packet'), flags: g.getAttribute('data-flags') ?? '', name: g.getAttribute('aria-label') ?? '' })));

describe('packet list', () => {
  it('lists the seed case\'s packets as the ladder draws them, the firewall events between them', async () => {
    const page = await open(1280, 720, '#example=seed');
    await page.waitForSelector('[data-event="deny"]', { timeout: 20_000 });
    // At 1280x720 the list waits behind the Packets button (p), so the close keeps its room.
    expect(await page.locator('[data-testid="packet-list"]').count()).toBe(0);
    await page.keyboard.press('p');
    await page.waitForSelector('[data-testid="packet-list"] [data-packet]');
    const rows = await listRows(page);
    const arrows = await ladderArrows(page);
    // Every packet of the connection (5), each with the arrow's flags, seq and ack.
    const packets = rows.filter((r) => r.packet !== null);
    expect(packets.map((r) => r.packet)).toEqual(['0', '1', '2', '3', '4']);
    for (const a of arrows) {
      const r = packets.find((p) => p.packet === a.packet)!;
      expect(r.flags.replace(/ /g, '')).toBe(a.flags.replace(/ /g, ''));
      expect(a.name).toContain(`seq ${r.seq}`);
      if (r.ack) expect(a.name).toContain(`ack ${r.ack}`);
    }
    // The time column's own texts, where the ladder prints them.
    const ladderTimes = await page.$$eval('[data-ladder="0"] text.tlabel, [data-ladder="0"] text.time', (t) => t.map((x) => x.textContent));
    for (const t of ladderTimes.filter((t) => t && /^[+−]/.test(t))) expect(rows.map((r) => r.time)).toContain(t);
    // The firewall's events in time order: built first, the teardown after the FINs, the deny after the dropped RST.
    expect(rows.map((r) => r.event ?? r.packet)).toEqual(['built', '0', '1', '2', 'teardown', '3', '4', 'deny']);
    await page.close();
  });

  it('highlights the arrow of the row under the pointer, the row of the arrow, and shows the bytes (a real capture)', async () => {
    const page = await open(1400, 900);
    await loadFile(page, REAL);
    await showList(page);
    const file = readFileSync(REAL);
    const arrows = await ladderArrows(page);
    const last = arrows[arrows.length - 1].packet!;
    // Row -> arrow.
    await page.hover(`[data-testid="packet-list"] [data-packet="${last}"]`);
    await page.waitForSelector(`[data-ladder="0"] g.arrow[data-packet="${last}"][data-current="true"]`);
    await page.click(`[data-testid="packet-list"] [data-packet="${last}"]`);
    expect(await page.getAttribute(`[data-testid="packet-list"] [data-packet="${last}"]`, 'aria-selected')).toBe('true');
    // Bytes: the record as in the file (first record's frame: 16 bytes after the 24-byte file header).
    await page.waitForSelector('[data-testid="hex-dump"]');
    const dump = (await page.textContent('[data-testid="hex-dump"]'))!;
    const frames: Buffer[] = [];
    for (let o = 24; o + 16 <= file.length; o += 16 + file.readUInt32LE(o + 8)) frames.push(file.subarray(o + 16, o + 16 + file.readUInt32LE(o + 8)));
    const frame = frames[Number(last)];
    // 16 bytes a line where the pane is wide, else 8: the hex columns hold the frame's bytes in order.
    const lines = dump.split('\n');
    const per = lines.length === Math.ceil(frame.length / 16) ? 16 : 8;
    expect(lines.length).toBe(Math.ceil(frame.length / per));
    const hexOf = (l: string) => l.slice(6, 6 + per * 3 - 1 + (per === 16 ? 1 : 0)).split(/\s+/).filter(Boolean);
    expect(lines.flatMap(hexOf).join(' ')).toBe([...frame].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    expect(lines[0].startsWith('0000  ')).toBe(true);
    expect(await page.textContent('[data-testid="packet-bytes"]')).toContain(`${frame.length} bytes captured`);
    // Arrow -> row.
    await page.hover(`[data-ladder="0"] g.arrow[data-packet="${arrows[0].packet}"] line.hit`);
    await page.waitForSelector(`[data-testid="packet-list"] [data-packet="${arrows[0].packet}"].current`);
    // Keyboard: ↑ from the selection selects the row above, and highlights its arrow.
    await page.focus('[data-testid="packet-list"]');
    await page.keyboard.press('ArrowUp');
    const above = String(Number(last) - 1);
    await page.waitForSelector(`[data-testid="packet-list"] [data-packet="${above}"][aria-selected="true"]`);
    await page.waitForSelector(`[data-ladder="0"] g.arrow[data-packet="${above}"][data-current="true"]`);
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid="packet-list"] [data-packet="0"][aria-selected="true"]');
    await page.close();
  });

  it('scrolls a connection of 100,006 packets to its end, a screenful of rows in the page', async () => {
    const page = await open(1920, 1080);
    const buffer = Buffer.from(longConnectionPcapBytes(100_000));
    await loadFile(page, { name: 'long.pcap', mimeType: 'application/octet-stream', buffer });
    // 1080 lines: the list is shown from the start.
    await page.waitForSelector('[data-testid="packet-list"] [data-packet]');
    expect(await page.getAttribute('[data-testid="packet-list"]', 'aria-rowcount')).toBe(String(100_006 + 1));
    await page.focus('[data-testid="packet-list"]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid="packet-list"] [data-packet="100005"][aria-selected="true"]', { timeout: 20_000 });
    const rows = await listRows(page);
    expect(rows.length).toBeLessThan(80);
    const lastRows = rows.filter((r) => r.packet !== null).slice(-3);
    expect(lastRows.map((r) => r.flags)).toEqual(['FIN ACK', 'FIN ACK', 'ACK']);
    // The end is the ladder's close: its last arrow is highlighted.
    await page.waitForSelector('[data-ladder="0"] g.arrow[data-packet="100005"][data-current="true"]');
    // Far from the ladder's window: rows still come (the worker serves any range), marked as not drawn.
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid="packet-list"] [data-packet="0"][aria-selected="true"]');
    expect(await page.getAttribute('[data-testid="packet-list"] [data-packet="0"]', 'class')).toContain('undrawn');
    await page.close();
  });

  for (const [w, h] of SIZES) {
    it(`screenshots at ${w}x${h}: the seed case and a real capture with the packet list`, async () => {
      const page = await open(w, h, '#example=seed');
      await page.waitForSelector('[data-event="deny"]', { timeout: 20_000 });
      await showList(page);
      await page.click('[data-testid="packet-list"] [data-packet="3"]');
      await settled(page);
      await page.screenshot({ path: join(OUT, `packet-list-seed-${w}.png`) });
      if (h >= 1000) {
        // Room for every row of a short connection, the last firewall event (the deny) included.
        const list = (await page.locator('[data-testid="packet-list"]').boundingBox())!;
        const deny = (await page.locator('[data-testid="packet-list"] [data-event="deny"]').boundingBox())!;
        expect(deny.y + deny.height).toBeLessThanOrEqual(list.y + list.height + 1);
      }
      // Nothing of the list runs past the page's right edge except inside its own scroller.
      const pane = (await page.locator('[data-testid="packet-pane"]').boundingBox())!;
      expect(pane.x + pane.width).toBeLessThanOrEqual(w + 1);
      await page.goto(site.url);
      await loadFile(page, REAL);
      await showList(page);
      await page.click('[data-testid="packet-list"] [data-packet="4"]');
      await page.waitForSelector('[data-testid="hex-dump"]');
      await page.screenshot({ path: join(OUT, `packet-list-real-${w}.png`) });
      await page.close();
    });
  }
});
