/**
 * Issue 16 in a real browser: what a Wireshark user trips over in the first hour. One test per item: the start page
 * never locks up after a load, opening replaces while adding is named, the clean close to compare with comes from the
 * loaded data. Screenshots: tests/out/first-hour-*.png.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';
import { settled } from './settled';

const WEB = join(ROOT, 'public/examples/pcap/web.pcap');

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

describe('item 1: the start page after a load', () => {
  it('load a capture, press "Open other files…": no progress panel stays, every control works (20 times)', async () => {
    const { page, errors } = await open();
    await page.waitForSelector('[data-example]');
    for (let i = 0; i < 20; i++) {
      await page.setInputFiles('[data-testid="file-input"]', WEB);
      await page.waitForSelector('.explorer [role="row"][data-close-kind]');
      await page.getByRole('button', { name: 'Open other files…' }).click();
      await page.waitForSelector('[data-example]');
      // A late progress report arrives within a few ms of the result; give it time to (wrongly) show.
      await page.waitForTimeout(150);
      expect(await page.locator('[data-testid="progress"]').count(), `try ${i + 1}`).toBe(0);
      expect(await page.getByRole('button', { name: 'Choose files…' }).isEnabled(), `try ${i + 1}`).toBe(true);
      expect(await page.locator('[data-example="seed"]').isEnabled(), `try ${i + 1}`).toBe(true);
    }
    await page.screenshot({ path: join(OUT, 'first-hour-start-after-load.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

const TLS13 = join(ROOT, 'public/examples/pcap/tls13-fin-then-rst.pcap');
const sources = (page: Page) => page.$$eval('.sourcesbar .chip bdi', (b) => b.map((x) => x.textContent));
const connections = async (page: Page) => Number(/^([\d,]+) connections?/.exec((await page.textContent('.sourcesbar > span')) ?? '')?.[1].replace(/,/g, ''));

/** Drags `name` (bytes of `file`) over the page and drops it on the target `testId`, as a file manager would. */
async function dropFile(page: Page, file: string, name: string, testId: string): Promise<void> {
  const bytes = [...readFileSync(file)];
  await page.evaluate(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    (window as unknown as { __dt: DataTransfer }).__dt = dt;
    document.querySelector('main')!.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
  }, { bytes, name });
  await page.waitForSelector(`[data-testid="${testId}"]`);
  await page.evaluate((testId) => {
    const dt = (window as unknown as { __dt: DataTransfer }).__dt;
    const el = document.querySelector(`[data-testid="${testId}"]`)!;
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, testId);
}

describe('item 2: opening replaces, adding is named, the explorer takes drops', () => {
  it('"Open other files…" replaces the analysis; "Add files to this analysis…" and drops add or open as named', async () => {
    const { page, errors } = await open();
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', WEB);
    await page.waitForSelector('.sourcesbar');
    const web = await connections(page);
    expect(await sources(page)).toEqual(['web.pcap']);
    // Open: the new capture alone.
    await page.getByRole('button', { name: 'Open other files…' }).click();
    await page.setInputFiles('[data-testid="file-input"]', TLS13);
    await page.waitForFunction(() => document.querySelector('.sourcesbar .chip bdi')?.textContent === 'tls13-fin-then-rst.pcap');
    expect(await sources(page)).toEqual(['tls13-fin-then-rst.pcap']);
    const tls = await connections(page);
    // Add, from the explorer's top bar: both, read together.
    await page.setInputFiles('[data-testid="add-file-input"]', WEB);
    await page.waitForFunction(() => document.querySelectorAll('.sourcesbar .chip').length === 2);
    expect(await sources(page)).toEqual(['tls13-fin-then-rst.pcap', 'web.pcap']);
    expect(await connections(page)).toBe(tls + web);
    // A drop on the explorer: two targets; "Open" replaces, "Add to this analysis" adds.
    await dropFile(page, WEB, 'dropped.pcap', 'drop-open');
    await page.waitForFunction(() => document.querySelectorAll('.sourcesbar .chip').length === 1);
    expect(await sources(page)).toEqual(['dropped.pcap']);
    expect(await connections(page)).toBe(web);
    await dropFile(page, TLS13, 'added.pcap', 'drop-add');
    await page.waitForFunction(() => document.querySelectorAll('.sourcesbar .chip').length === 2);
    expect(await sources(page)).toEqual(['dropped.pcap', 'added.pcap']);
    expect(await page.locator('[data-testid="drop-open"]').count()).toBe(0);
    // The start page names both actions once something is loaded, and lists what "Analyse" reads again.
    await page.getByRole('button', { name: 'Open other files…' }).click();
    await page.waitForSelector('text=Opening replaces the loaded analysis');
    expect(await page.getByRole('button', { name: 'Add files to this analysis…' }).isEnabled()).toBe(true);
    await page.screenshot({ path: join(OUT, 'first-hour-open-or-add.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

const heads = (page: Page) => page.$$eval('[data-testid="ladder-head"] h3 .ep', (h) => h.map((x) => x.textContent));

describe('item 3: compare with a clean close from the loaded data; a built-in one says so; the studied one stays', () => {
  it('a refused connection is compared with the clean close of the same server on another port, not an example', async () => {
    const { page, errors } = await open();
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', WEB);
    await page.click('[role="row"][data-close-kind="refused"]');
    await page.click('[data-testid="compare-clean"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder"]').length === 2);
    // Both from web.pcap: the refused one to :12345 and the clean HTTP close of the same server.
    expect(await heads(page)).toEqual(['141.42.64.125:56729 ⇄ 125.190.109.199:12345', '141.42.64.125:56730 ⇄ 125.190.109.199:80']);
    expect(await page.locator('[data-testid="ladder-tag"]').count()).toBe(0);
    expect(await page.locator('[data-testid="ladder-head"] .origin').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('with no clean close in the data, the built-in one is labelled on the ladder itself, pinned while it scrolls', async () => {
    const { page, errors } = await open('#example=tls13');
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    await page.click('[data-testid="compare-clean"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder"]').length === 2);
    const tag = page.locator('[data-testid="ladder-tag"]');
    expect(await tag.count()).toBe(1);
    expect(await tag.textContent()).toBe('Built-in example · not from your files');
    // On the second ladder (the example), in view.
    const box = (await tag.boundingBox())!;
    const second = (await page.locator('.laddercell').nth(1).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(second.x);
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    await page.screenshot({ path: join(OUT, 'first-hour-builtin-tag.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a fifth ladder drops the oldest added one, never the first', async () => {
    const { page, errors } = await open('#example=openflow');
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    const rows = page.locator('[role="row"][data-close-kind]');
    await rows.nth(0).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder"]').length === 1);
    const first = (await heads(page))[0];
    for (let i = 1; i <= 4; i++) await rows.nth(i).click({ modifiers: ['Shift'] });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder-head"]').length === 4);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ladder-head"] h3 .ep')].length === 4);
    const shown = await heads(page);
    expect(shown[0]).toBe(first);
    expect(shown).toHaveLength(4);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('item 7: what went wrong shows where the user looks', () => {
  it('a file that is no capture says so above the table, with its real size; a cut capture lists its warning', async () => {
    const { page, errors } = await open();
    await page.waitForSelector('[data-example]');
    const notes = readFileSync(join(ROOT, 'docs/lessons.md')).subarray(0, 3400);
    await page.setInputFiles('[data-testid="file-input"]', { name: 'notes.txt', mimeType: 'text/plain', buffer: notes });
    const alert = page.locator('[data-testid="source-problems"]');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.textContent()).toMatch(/^Nothing to show: notes\.txt is not a capture or firewall log Teardown reads\.✕ notes\.txt at byte 0: not a capture or log/);
    expect(await page.textContent('.sourcesbar .chip')).toBe('notes.txt · not recognised · 3.3 KB · ⚠ 1');
    expect(await page.textContent('[role="grid"] .empty')).toBe('No TCP connections in the loaded files.');
    await page.screenshot({ path: join(OUT, 'first-hour-not-a-capture.png') });

    // A capture cut inside a record: its connections, and the warning one click away in the top bar.
    const web = readFileSync(WEB);
    await page.getByRole('button', { name: 'Open other files…' }).click();
    await page.setInputFiles('[data-testid="file-input"]', { name: 'cut.pcap', mimeType: 'application/octet-stream', buffer: web.subarray(0, web.length - 100) });
    await page.waitForSelector('[data-testid="warnings-button"]');
    expect(await page.locator('[data-testid="source-problems"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="warnings-button"]')).toBe('⚠ 1 warning');
    await page.click('[data-testid="warnings-button"]');
    expect(await page.textContent('.warnlist')).toMatch(/^cut\.pcap at byte \d+: file ends inside record \d+ \((\d+) of (\d+) bytes\); the partial record is ignored$/);
    const [, have, need] = /\((\d+) of (\d+) bytes\)/.exec((await page.textContent('.warnlist'))!)!.map(Number);
    expect(have).toBeLessThan(need);
    expect(await page.textContent('.sourcesbar > span')).toMatch(/^\d+ connections? · \d+ TCP packets? · /);
    expect(await page.textContent('.sourcesbar > span')).not.toMatch(/(^|\D)1 connections/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

const rect = (page: Page, sel: string, nth = 0) => page.locator(sel).nth(nth).boundingBox().then((b) => b!);

describe('item 8: the verdict and the explanation stay in view at 1280x720', () => {
  it('the seed case: both verdicts and explanations above the ladders, the close from the first FIN to the dropped RST under them', async () => {
    const { page, errors } = await open('#example=seed');
    await page.waitForSelector('[data-event="deny"]');
    await settled(page);
    const scroller = await rect(page, '.ladderscroll');
    const details = await rect(page, '[data-testid="packet-details"]');
    for (const i of [0, 1]) {
      const verdict = await rect(page, '[data-testid="ladder-head"] .verdict', i);
      const explain = await rect(page, '[data-testid="explanation"]', i);
      expect(verdict.y).toBeGreaterThan(0);
      expect(explain.y + explain.height).toBeLessThanOrEqual(scroller.y + 1);
      expect(explain.height).toBeGreaterThan(10);
    }
    expect(await page.locator('[data-testid="explanation"]').first().textContent()).toMatch(/^The server closed first/);
    const fin = await rect(page, '[data-ladder="0"] g.arrow.fin');
    const dropped = await rect(page, '[data-ladder="0"] g.arrow[data-dropped="true"]');
    expect(fin.y).toBeGreaterThanOrEqual(scroller.y + 34 - 1);
    expect(dropped.y + dropped.height).toBeLessThanOrEqual(details.y + 1);
    // Scrolling the ladders leaves the heads where they are.
    const before = await rect(page, '[data-testid="ladder-head"] .verdict');
    await page.$eval('.ladderscroll', (e) => (e.scrollTop = e.scrollHeight));
    await page.waitForTimeout(100);
    expect((await rect(page, '[data-testid="ladder-head"] .verdict')).y).toBe(before.y);
    await page.screenshot({ path: join(OUT, 'first-hour-seed-1280.png') });
    // "read all" opens the whole explanation with the Wireshark filter.
    await page.locator('[data-testid="ladder-head"]').first().getByRole('button', { name: 'read all' }).click();
    expect(await page.locator('[data-testid="ladder-head"]').first().getByRole('button', { name: 'tcp.stream eq 0' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('one ladder: the explanation beside it starts at its first sentence and does not scroll with the diagram; packet details wrap', async () => {
    const { page, errors } = await open('#example=closes');
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    await settled(page);
    const aside = await rect(page, '.besidehead');
    const explain = await rect(page, '[data-testid="explanation"]');
    expect(explain.y).toBeGreaterThanOrEqual(aside.y);
    expect(explain.y).toBeLessThan(aside.y + 200);
    await page.$eval('.ladderscroll', (e) => (e.scrollTop = e.scrollHeight));
    await page.waitForTimeout(100);
    expect((await rect(page, '[data-testid="explanation"]')).y).toBe(explain.y);
    // The details line of a packet wraps instead of cutting the line short.
    await page.locator('[data-ladder="0"] g.arrow').first().hover();
    await page.waitForFunction(() => !document.querySelector('[data-testid="packet-details"]')?.classList.contains('idle'));
    const [scrollW, clientW, ws] = await page.$eval('[data-testid="packet-details"]', (e) => [e.scrollWidth, e.clientWidth, getComputedStyle(e).whiteSpace]);
    expect(ws).toBe('normal');
    expect(scrollW).toBeLessThanOrEqual(clientW);
    await page.screenshot({ path: join(OUT, 'first-hour-one-ladder-1280.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('item 10: exports are named after what was loaded', () => {
  it('CSV and JSON of web.pcap are web-connections.csv and web-analysis.json; a filtered CSV says so', async () => {
    const { page, errors } = await open();
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', WEB);
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    const saved = async (testid: string) => {
      if (!(await page.locator('[data-testid="export-menu"][open]').count())) await page.click('[data-testid="export-menu"] > summary');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
      return download.suggestedFilename();
    };
    expect(await saved('export-csv')).toBe('web-connections.csv');
    expect(await saved('export-json')).toBe('web-analysis.json');
    await page.click('.kindchart [data-kind="refused"]');
    await page.waitForFunction(() => document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') === '2');
    expect(await saved('export-csv')).toBe('web-connections-filtered.csv');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('item 10: keyboard after a load, the same large-type key in lessons', () => {
  it('after a load the keyboard is in the connections table: ↓ moves the selection at once', async () => {
    const { page, errors } = await open();
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', WEB);
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('flow-table');
    const before = await page.getAttribute('[role="row"][aria-selected="true"]', 'data-client');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((b) => document.querySelector('[role="row"][aria-selected="true"]')?.getAttribute('data-client') !== b, before);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
