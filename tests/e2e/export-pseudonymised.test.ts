/**
 * Exports with pseudonymised addresses (issue 16), in a real browser: with "Pseudonymise addresses" ticked, the
 * SVG, PNG and Mermaid of the seed case (firewall log events naming the hosts) and the pcap of a connection seen at
 * two capture points with NAT hold no original address, the same pseudonyms a share link uses, and the same
 * arrows and packets as without.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { indexOf } from '../../src/export/pseudonymise-frame';

const site = useSite();
const TWO = ['late-rst-inside.pcap', 'late-rst-outside.pcap'].map((f) => join(ROOT, 'tests/fixtures/two-points', f));
let context: BrowserContext;

beforeAll(async () => {
  context = await site.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
});

async function exportFile(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  if (!(await page.locator('[data-testid="export-menu"][open]').count())) await page.click('[data-testid="export-menu"] > summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  const path = join(OUT, `export-pseudo-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

async function pseudonymise(page: Page, on: boolean): Promise<void> {
  if (!(await page.locator('[data-testid="export-menu"][open]').count())) await page.click('[data-testid="export-menu"] > summary');
  if ((await page.isChecked('[data-testid="export-pseudonymise"]')) !== on) await page.click('[data-testid="export-pseudonymise"]');
}

/** The addresses the flow table shows (every endpoint of every connection). */
const tableAddresses = async (page: Page): Promise<string[]> =>
  [...new Set((await page.$$eval('[role="row"][data-client]', (rs) => rs.flatMap((r) => [r.getAttribute('data-client')!, r.getAttribute('data-server')!])))
    .map((e) => e.replace(/^\[(.*)\]:\d+$/, '$1').replace(/:\d+$/, '')))];

const mentions = (text: string, ip: string) => new RegExp(`(?<![\\d.])${ip.replace(/\./g, '\\.')}(?![\\d])`).test(text);

describe('exports with pseudonymised addresses', () => {
  it('seed case: SVG, PNG and Mermaid name no original address, draw the same arrows', async () => {
    const page = await context.newPage();
    await page.goto(site.url + '#example=seed');
    await page.waitForSelector('[data-event="deny"]', { timeout: 20_000 });
    const real = await tableAddresses(page);
    expect(real.length).toBeGreaterThanOrEqual(3);
    const plainSvg = (await exportFile(page, 'export-svg')).bytes.toString('utf8');
    for (const ip of real) expect(mentions(plainSvg, ip) || ip === '').toBe(true);
    await pseudonymise(page, true);
    const svg = await exportFile(page, 'export-svg');
    const text = svg.bytes.toString('utf8');
    for (const ip of real) {
      expect(mentions(text, ip), ip).toBe(false);
      expect(mentions(svg.name, ip), ip).toBe(false);
    }
    // The same picture otherwise: as many arrows and firewall events, lane names, a pseudonym under each end lane.
    const count = (t: string, re: RegExp) => (t.match(re) ?? []).length;
    expect(count(text, /<g class="arrow/g)).toBe(count(plainSvg, /<g class="arrow/g));
    expect(count(text, /data-event="/g)).toBe(count(plainSvg, /data-event="/g));
    expect(text).toMatch(/(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+:\d+/);
    // The live page still shows the real addresses, and no hidden ladder was left behind.
    expect(await page.locator('svg[data-testid="ladder"]').count()).toBe(2);
    const png = (await exportFile(page, 'export-png')).bytes;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const mermaid = await exportFile(page, 'export-mermaid');
    for (const ip of real) {
      expect(mentions(mermaid.bytes.toString('utf8'), ip), ip).toBe(false);
      expect(mentions(mermaid.name, ip), ip).toBe(false);
    }
    expect(mermaid.bytes.toString('utf8')).toContain('participant F as Firewall');
    await page.close();
  });

  it('two capture points with NAT: the pcap has no original address in its bytes, the same packets', async () => {
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
    await page.setInputFiles('[data-testid="file-input"]', TWO);
    await page.waitForSelector('svg[data-testid="ladder"] g.arrow', { timeout: 60_000 });
    await pseudonymise(page, false);
    const plain = await exportFile(page, 'export-pcap');
    await pseudonymise(page, true);
    const pseudo = await exportFile(page, 'export-pcap');
    expect(await page.textContent('[data-testid="export-note"]')).toMatch(/Addresses pseudonymised in \d+ IP headers/);
    // Every address either capture saw (both sides of the NAT), as bytes: none is left.
    const original = await analyzeSources(TWO.map((f) => createBytesSource(f, new Uint8Array(readFileSync(f)))));
    const c = original.reports.at(0)!;
    const seen = [c.client, c.server, ...(c.vantage?.endpoints ?? []).flatMap((e) => [e?.client, e?.server])].filter((e) => !!e).map((e) => e!.ip);
    expect(new Set(seen).size).toBeGreaterThanOrEqual(3);
    for (const ip of new Set(seen)) {
      const bytes = new Uint8Array(ip.split('.').map(Number));
      expect(indexOf(new Uint8Array(plain.bytes), bytes), ip).toBeGreaterThanOrEqual(0);
      expect(indexOf(new Uint8Array(pseudo.bytes), bytes), ip).toBe(-1);
    }
    for (const f of TWO) expect(pseudo.bytes.toString('latin1')).not.toContain(f.split('/').pop()!);
    // Read back: the same connections (one per point's view) with the same packets, only the addresses differ.
    const a = await analyzeSources([createBytesSource('plain.pcapng', new Uint8Array(plain.bytes))]);
    const b = await analyzeSources([createBytesSource('pseudo.pcapng', new Uint8Array(pseudo.bytes))]);
    expect(b.reports.length).toBe(a.reports.length);
    const shape = (s: typeof a) => s.reports.toArray().map((_, i) => connectionPackets(s, i).map((p) => [p.timeUs, p.flags, p.seq, p.ack, p.payloadLength]));
    expect(shape(b)).toEqual(shape(a));
    await page.close();
  });
});
