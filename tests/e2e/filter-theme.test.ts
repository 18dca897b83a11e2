/**
 * Issue 16 in a real browser: Wireshark filter expressions typed in the flow table's search box select the rows
 * tshark's streams say (tests/fixtures/filter), a mistake shows its message under the box and filters nothing; the
 * theme picker turns the page and the exported SVG dark, and the choice survives a reload. Screenshots:
 * tests/out/filter-*.png, tests/out/theme-*.png.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';
import { settled } from './settled';

const FTP = join(ROOT, 'tests/fixtures/filter/sv__output-eve-ftp-data-input.pcap');
const tshark = new Map(
  readFileSync(join(ROOT, 'tests/fixtures/filter/tshark-streams.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const [f, s] = l.split('\t');
    return [f, s ? s.split(' ') : []] as const;
  }),
);
const site = useSite();

async function open(width: number, height: number, scheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const context = await site.browser.newContext({ viewport: { width, height }, colorScheme: scheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url);
  await page.waitForSelector('header.topbar');
  return { page, errors };
}

const count = async (page: Page) => (await page.textContent('.filters .count')) ?? '';
/** The Stream column of every row the (virtualised) table holds, scrolled through from top to bottom. */
async function streams(page: Page): Promise<string[]> {
  const seen = new Set<string>();
  const grid = page.locator('.grid');
  await grid.evaluate((g) => (g.scrollTop = 0));
  for (let i = 0; i < 40; i++) {
    for (const s of await page.$$eval('[role="row"][data-close-kind]', (rs) => rs.map((r) => r.lastElementChild!.textContent ?? ''))) seen.add(s);
    const done = await grid.evaluate((g) => {
      const end = g.scrollTop + g.clientHeight >= g.scrollHeight - 1;
      g.scrollTop += g.clientHeight - 30;
      return end;
    });
    if (done) break;
    await page.waitForTimeout(50);
  }
  return [...seen].sort((a, b) => Number(a) - Number(b));
}
async function type(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid="search"]', text);
  await page.waitForTimeout(400); // the box waits 150 ms after the last key
}

describe('filter expressions in the search box', () => {
  it('typed filters select the rows tshark selects; a mistake says where and filters nothing', async () => {
    const { page, errors } = await open(1280, 720);
    await page.setInputFiles('[data-testid="file-input"]', FTP);
    await page.waitForSelector('.explorer [role="row"][data-close-kind]');
    expect(await count(page)).toBe('80 of 80 connections');

    for (const f of ['tcp.flags.reset == 1', 'tcp.port in {20 21}', 'ip.src == 192.168.0.1 && tcp.port > 40000']) {
      await type(page, f);
      const want = f.includes('&&')
        ? tshark.get('ip.src == 192.168.0.1')!.filter((s) => tshark.get('tcp.port > 40000')!.includes(s))
        : tshark.get(f.replace('{20 21}', '{20, 21}'))!;
      await expect.poll(() => count(page), { message: f }).toBe(`${want.length} of 80 connections`);
      expect(await streams(page), f).toEqual(want);
      expect(await page.textContent('[data-testid="search-status"]')).toBe('filter expression');
    }
    // The copied Wireshark filter of a connection works here too.
    await type(page, 'tcp.stream eq 5');
    await expect.poll(() => streams(page)).toEqual(['5']);

    await type(page, 'tcp.flags.reset == 1 and tcp.port ==');
    await expect.poll(() => page.textContent('[data-testid="search-status"]')).toBe("Filter not applied: expected a value after '==' at column 37");
    expect(await page.getAttribute('[data-testid="search"]', 'aria-invalid')).toBe('true');
    await expect.poll(() => count(page)).toBe('80 of 80 connections');
    await page.screenshot({ path: join(OUT, 'filter-error-1280.png') });

    // Not an expression: free text, as before.
    await type(page, '192.168.0.10');
    await expect.poll(() => page.textContent('[data-testid="search-status"]')).toBe('');
    // The rows come from the worker after the box's pause: polled for, not read once after a fixed wait (a loaded
    // machine can answer later than that, and the rows would still be the 80 of the mistake before).
    const endpoints = () => page.$$eval('[role="row"][data-close-kind]', (rs) => rs.map((r) => `${r.getAttribute('data-client')} ${r.getAttribute('data-server')}`));
    const others = (rows: string[]) => (rows.length ? rows.filter((c) => !c.includes('192.168.0.10')) : ['no rows']);
    await expect.poll(async () => others(await endpoints()), { timeout: 30_000 }).toEqual([]);

    // The help lists the fields the parser knows.
    await page.click('[data-testid="filter-help-toggle"]');
    const help = page.locator('[data-testid="filter-help"]');
    await expect.poll(() => help.textContent()).toContain('tcp.analysis.retransmission');
    await type(page, 'tcp.analysis.flags and not tcp.flags.reset == 1');
    await page.screenshot({ path: join(OUT, 'filter-help-1280.png') });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a selected connection the filter hides stays selected, and the Selected line says it is hidden', async () => {
    const { page, errors } = await open(1280, 720);
    await page.setInputFiles('[data-testid="file-input"]', FTP);
    await page.waitForSelector('.explorer [role="row"][data-close-kind]');
    await type(page, 'tcp.stream eq 5');
    await expect.poll(() => streams(page)).toEqual(['5']);
    const row = page.locator('[role="row"][data-close-kind]').first();
    const ends = `${await row.getAttribute('data-client')} → ${await row.getAttribute('data-server')}`;
    await row.click();
    await expect.poll(() => page.textContent('[data-testid="selected-endpoints"]')).toBe(ends);
    expect(await page.locator('[data-testid="selected-hidden"]').count()).toBe(0);

    // Another stream only: the selection is not in the table, and the line says so beside it.
    await type(page, 'tcp.stream eq 6');
    await expect.poll(() => streams(page)).toEqual(['6']);
    await expect.poll(() => page.locator('[data-testid="selected-hidden"]').count()).toBe(1);
    expect(await page.textContent('[data-testid="selected-hidden"]')).toBe('· filtered out');
    expect(await page.textContent('[data-testid="selected-endpoints"]')).toBe(ends);
    await page.screenshot({ path: join(OUT, 'filter-selected-hidden.png') });

    // Filter cleared: the row is back, still selected, and the note goes.
    await type(page, '');
    await expect.poll(() => page.locator('[data-testid="selected-hidden"]').count()).toBe(0);
    await expect.poll(() => page.locator('[role="row"][aria-selected="true"]').getAttribute('data-client')).toBe(ends.split(' → ')[0]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('between 1000 and 1200 px the selected line wraps its buttons instead of pushing "Hide table" off the page', async () => {
    for (const width of [1040, 1100, 1180]) {
      const { page, errors } = await open(width, 720);
      await page.click('[data-example="seed"]');
      await page.waitForSelector('svg[data-testid="ladder"]');
      await settled(page);
      const hide = (await page.getByRole('button', { name: /Hide table/ }).boundingBox())!;
      expect(hide.x + hide.width, `at ${width} px`).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `at ${width} px`).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('at 1280 px a ladder head keeps its close button in view beside IPv4 endpoints (its buttons wrap instead)', async () => {
    const { page, errors } = await open(1280, 800);
    await page.setInputFiles('[data-testid="file-input"]', join(ROOT, 'tests/fixtures/captures/ppp__frag_http_req.pcap'));
    await page.click('.explorer [role="row"][data-row]');
    await page.waitForSelector('[data-testid="ladder-head"]');
    await settled(page);
    const close = (await page.getByRole('button', { name: 'Close this ladder' }).first().boundingBox())!;
    const head = (await page.locator('[data-testid="ladder-head"]').first().boundingBox())!;
    expect(close.x + close.width).toBeLessThanOrEqual(Math.min(1280, head.x + head.width));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('at 800 px the box, its message and the table fit without sideways scrolling', async () => {
    const { page, errors } = await open(800, 720);
    await page.setInputFiles('[data-testid="file-input"]', FTP);
    await page.waitForSelector('.explorer [role="row"][data-close-kind]');
    await type(page, 'ip.addr == 192.168.0.0/33');
    await expect.poll(() => page.textContent('[data-testid="search-status"]')).toMatch(/^Filter not applied: '192\.168\.0\.0\/33' at column 12/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.screenshot({ path: join(OUT, 'filter-error-800.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

async function exportSvg(page: Page): Promise<string> {
  if (!(await page.locator('[data-testid="export-menu"][open]').count())) await page.click('[data-testid="export-menu"] > summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-svg"]')]);
  return readFileSync((await download.path())!, 'utf8');
}
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('theme picker', () => {
  it('dark on a light system: page and exported SVG dark, kept across a reload; back to the system', async () => {
    const { page, errors } = await open(1280, 720, 'light');
    await page.waitForSelector('[data-example="seed"]');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    await page.selectOption('[data-testid="theme"]', 'dark');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await background(page)).toBe('rgb(21, 23, 26)');
    await page.click('[data-example="seed"]');
    await page.waitForSelector('svg[data-testid="ladder"]');
    const svg = await exportSvg(page);
    expect(/<rect[^>]*fill="([^"]+)"/.exec(svg)?.[1]).toBe('#15171a');
    await page.screenshot({ path: join(OUT, 'theme-dark-seed-1280.png') });

    await page.reload();
    await page.waitForSelector('header.topbar');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await page.inputValue('[data-testid="theme"]')).toBe('dark');
    expect(await background(page)).toBe('rgb(21, 23, 26)');

    // The lessons have the picker too, and follow it.
    await page.goto(`${site.url}#lessons`);
    await page.waitForSelector('[data-testid="lesson-list"]');
    await page.selectOption('[data-testid="lesson-list"] [data-testid="theme"]', 'system');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await page.evaluate(() => localStorage.getItem('teardown.theme'))).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('light on a dark system', async () => {
    const { page, errors } = await open(1280, 720, 'dark');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.selectOption('[data-testid="theme"]', 'light');
    expect(await background(page)).toBe('rgb(251, 251, 250)');
    await page.reload();
    await page.waitForSelector('header.topbar');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
