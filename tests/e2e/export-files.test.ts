/**
 * Exports in a real browser: the open connections as pcap (loaded back through the file input:
 * same connections, same packets), the ladders as SVG (parses as XML, holds every arrow, colours
 * inlined, both themes) and PNG (2x), Mermaid, the flow table as CSV and the analysis as JSON.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';
import { arrowNames, cspViolations, watchProblems } from './share-e2e-helpers';
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';

const PCAP = join(ROOT, 'public/examples/pcap/tls13-fin-then-rst.pcap');
const site = useSite();
let context: BrowserContext;

beforeAll(async () => {
  context = await site.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await watchProblems(context);
});

async function loadFile(page: Page, file: string): Promise<void> {
  await page.goto(site.url);
  await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
  await page.setInputFiles('[data-testid="file-input"]', file);
  await page.waitForSelector('svg[data-testid="ladder"] g.arrow', { timeout: 30_000 });
}

async function rows(page: Page): Promise<{ client: string; server: string; packets: string }[]> {
  return page.$$eval('[role="row"][data-client]', (rs) =>
    rs.map((r) => ({ client: r.getAttribute('data-client')!, server: r.getAttribute('data-server')!, packets: r.children[4]?.textContent ?? '' })),
  );
}

async function exportFile(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  if (!(await page.locator('[data-testid="export-menu"][open]').count())) await page.click('[data-testid="export-menu"] > summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  const path = join(OUT, `export-e2e-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

describe('exports', () => {
  let page: Page;
  let svgArrows: string[][] = [];

  it('pcap of the two open connections loads back with the same connections and packets', async () => {
    page = await context.newPage();
    await loadFile(page, PCAP);
    const all = await rows(page);
    expect(all.length).toBe(3);
    // Open two ladders: the first row, then Shift+click the last.
    await page.click('[role="row"][data-row="0"]');
    await page.click('[role="row"][data-row="2"]', { modifiers: ['Shift'] });
    await page.waitForFunction(() => document.querySelectorAll('svg[data-testid="ladder"]').length === 2);
    svgArrows = await arrowNames(page);
    const chosen = await page.$$eval('[role="row"].open', (rs) => rs.map((r) => `${r.getAttribute('data-client')} ${r.getAttribute('data-server')}`));
    expect(chosen.length).toBe(2);

    const { name, bytes } = await exportFile(page, 'export-pcap');
    expect(name).toMatch(/\.pcap$/);
    expect(await page.textContent('[data-testid="export-note"]')).toMatch(/pcap: \d+ packets of 2 connections saved/);
    // In Node: the exported bytes hold exactly the two connections, packet for packet.
    const original = await analyzeSources([createBytesSource('o.pcap', new Uint8Array(readFileSync(PCAP)))]);
    const back = await analyzeSources([createBytesSource(name, new Uint8Array(bytes))]);
    const key = (c: { client: { ip: string; port: number }; server: { ip: string; port: number } }) => `${c.client.ip}:${c.client.port} ${c.server.ip}:${c.server.port}`;
    expect(back.reports.toArray().map(key).sort()).toEqual([...chosen].sort());
    for (let j = 0; j < back.reports.length; j++) {
      const i = original.reports.toArray().findIndex((c) => key(c) === key(back.reports.at(j)!));
      const strip = (p: ReturnType<typeof connectionPackets>[number]) => ({ ...p, frame: 0, file: '' });
      expect(connectionPackets(back, j).map(strip)).toEqual(connectionPackets(original, i).map(strip));
    }

    // In the browser: load it back through the file input; the table shows those two rows.
    const again = await context.newPage();
    await loadFile(again, join(OUT, `export-e2e-${name}`));
    const backRows = await rows(again);
    expect(backRows.map((r) => `${r.client} ${r.server}`).sort()).toEqual([...chosen].sort());
    for (const r of backRows) expect(r.packets).toBe(all.find((a) => a.client === r.client && a.server === r.server)!.packets);
    expect(await cspViolations(again)).toEqual([]);
    await again.close();
  });

  it('SVG parses as XML, holds every arrow with its name, colours inlined; light and dark differ', async () => {
    const svgs: Record<string, string> = {};
    for (const theme of ['light', 'dark', 'current'] as const) {
      await page.selectOption('[data-testid="export-theme"]', theme);
      svgs[theme] = (await exportFile(page, 'export-svg')).bytes.toString('utf8');
    }
    // Parsed in a blank page: the standalone file, with no site stylesheet and no site CSP around it.
    const blank = await context.newPage();
    for (const [theme, text] of Object.entries(svgs)) {
      expect(text).not.toMatch(/var\(--/); // no dependency on the page's stylesheet
      const parsed = await blank.evaluate((t) => {
        const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
        if (doc.querySelector('parsererror')) return null;
        return {
          root: doc.documentElement.nodeName,
          ladders: Array.from(doc.querySelectorAll('svg[data-testid="ladder"]')).map((s) => Array.from(s.querySelectorAll('g.arrow')).map((g) => g.getAttribute('aria-label'))),
          bg: doc.querySelector('svg > rect')?.getAttribute('fill'),
          rstStroke: (doc.querySelector('g.arrow.rst line.shaft') as SVGElement | null)?.style.stroke ?? null,
        };
      }, text);
      expect(parsed, theme).not.toBeNull();
      expect(parsed!.root).toBe('svg');
      expect(parsed!.ladders).toEqual(svgArrows);
      expect(parsed!.rstStroke).toMatch(/^rgb/);
      if (theme === 'light') expect(parsed!.bg).toBe('#fbfbfa');
      if (theme === 'dark') expect(parsed!.bg).toBe('#15171a');
    }
    await blank.close();
    expect(svgs.light).not.toBe(svgs.dark);
    // The page is light: "as shown" is the light picture.
    expect(svgs.current.replace(/<rect[^>]*>/, '')).toBe(svgs.light.replace(/<rect[^>]*>/, ''));
    // The live page is left as it was (theme variables removed again).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.laddercell')!).getPropertyValue('--bg').trim())).toBe('#fbfbfa');
  });

  it('PNG is twice the SVG size; Mermaid, CSV and JSON come out whole', async () => {
    await page.selectOption('[data-testid="export-theme"]', 'dark');
    const png = (await exportFile(page, 'export-png')).bytes;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const svg = (await exportFile(page, 'export-svg')).bytes.toString('utf8');
    const w = Number(/width="(\d+)"/.exec(svg)![1]);
    const h = Number(/height="(\d+)"/.exec(svg)![1]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w * 2, h * 2]);

    const mermaid = (await exportFile(page, 'export-mermaid')).bytes.toString('utf8');
    expect(mermaid.match(/```mermaid\nsequenceDiagram/g)?.length).toBe(2);
    const arrows = mermaid.split('\n').filter((l) => /^\s+[CS]-(>>|x)[CSF]:/.test(l)).length;
    expect(arrows).toBe(await packetsInLadders(page));

    const csv = (await exportFile(page, 'export-csv')).bytes.toString('utf8').trim().split('\r\n');
    expect(csv[0].startsWith('id,client,server,')).toBe(true);
    expect(csv.length).toBe(1 + 3);
    const json = JSON.parse((await exportFile(page, 'export-json')).bytes.toString('utf8'));
    expect(json.connections.length).toBe(3);
    expect(json.inputs[0].format).toBe('pcap');
    expect(await cspViolations(page)).toEqual([]);
    await page.screenshot({ path: join(OUT, 'export-menu.png') });
  });
});

/** Packets of the open ladders' connections (whole), from the table's packet column. */
async function packetsInLadders(page: Page): Promise<number> {
  const packets = await page.$$eval('[role="row"].open', (rs) => rs.map((r) => Number(r.children[4]?.textContent ?? 0)));
  return packets.reduce((a, b) => a + b, 0);
}
