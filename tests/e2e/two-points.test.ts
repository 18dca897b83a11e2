/**
 * Two capture points in a real browser (issue #19): the real captures of tests/fixtures/two-points (Linux stacks, a
 * Linux firewall with SNAT between them, captured on its inside and outside interfaces) loaded through the file
 * input; each ladder's arrows break at the firewall lane, the RSTs the firewall dropped stop there, each point's
 * numbers can be shown raw, and the clock offset can be set. Screenshots at 1280x720 go to tests/out/.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';

const DIR = join(ROOT, 'tests/fixtures/two-points');

const site = useSite();

async function open(scenario: string): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(site.url);
  await page.waitForSelector('[data-example]');
  await page.setInputFiles('[data-testid="file-input"]', [`${scenario}-inside.pcap`, `${scenario}-outside.pcap`].map((f) => join(DIR, f)));
  await page.waitForSelector('[role="row"][data-close-kind]');
  await page.locator('[role="row"][data-close-kind]').first().click();
  await page.waitForSelector('[data-testid="ladder"] g.arrow');
  return page;
}

const ladder = (page: Page) => page.locator('[data-testid="ladder"]').first();

async function exportDownload(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  if (!(await page.locator('[data-testid="export-menu"][open]').count())) await page.click('[data-testid="export-menu"] > summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  const path = join(OUT, `two-points-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}
const exportFile = async (page: Page, testid: string) => (await exportDownload(page, testid)).bytes;

describe('two capture points', () => {
  it('clean close through SNAT: every arrow crosses the firewall lane in two halves; the addresses per point', async () => {
    const page = await open('clean');
    const l = ladder(page);
    expect(await l.getAttribute('data-firewall-lane')).toBe('true');
    await page.getByRole('button', { name: 'whole' }).click().catch(() => undefined);
    expect(await l.locator('g.arrow g.half').count()).toBe(await l.locator('g.arrow').count());
    const text = await l.locator('text.lanesub, text.lanelabel').allTextContents();
    expect(text).toContain('198.51.100.80:8081');
    expect(text.some((t) => /^10\.19\.0\.2:\d+$/.test(t))).toBe(true);
    expect(text.some((t) => /^client as 198\.51\.100\.1:\d+ at clean-outside$/.test(t))).toBe(true);
    expect(await page.getByTestId('point-controls').textContent()).toContain('estimated');
    await page.screenshot({ path: join(OUT, 'e2e-two-points-clean.png') });
    await page.close();
  });

  it('late RST: the server\'s RSTs stop at the firewall lane, marked dropped', async () => {
    const page = await open('late-rst');
    const dropped = ladder(page).locator('g.arrow[data-dropped="true"]');
    expect(await dropped.count()).toBeGreaterThanOrEqual(1);
    for (const name of await dropped.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')))) {
      expect(name).toMatch(/^server to client, RST.*seen at late-rst-outside\.pcap only, missing at late-rst-inside\.pcap: dropped at the firewall/);
    }
    expect(await page.getByTestId('explanation').textContent()).toContain('The server\'s 4 RST packets were seen at late-rst-outside.pcap only, not at late-rst-inside.pcap: they did not cross the firewall.');
    // Classified from both points: the inside capture alone shows a clean close.
    expect(await ladder(page).getAttribute('data-kind')).toBe('fin-then-rst');
    await page.screenshot({ path: join(OUT, 'e2e-two-points-late-rst.png') });
    // Exports keep both points: the SVG as on screen (the same halves), the capture as pcapng with an interface
    // per point (tests/unit/export-two-points.test.ts reads such a file back with our decoder and tshark).
    const onScreen = await ladder(page).locator('g.arrow g.half').count();
    expect(onScreen).toBeGreaterThan(0);
    const svg = (await exportFile(page, 'export-svg')).toString('utf8');
    expect(svg.match(/data-half="true"/g)?.length).toBe(onScreen);
    expect(svg.match(/data-dropped="true"/g)?.length).toBe(await ladder(page).locator('g.arrow[data-dropped="true"]').count());
    const { name, bytes } = await exportDownload(page, 'export-pcap');
    expect(name).toMatch(/\.pcapng$/);
    const text = bytes.toString('latin1');
    expect(text).toContain('late-rst-inside.pcap');
    expect(text).toContain('late-rst-outside.pcap');
    await page.close();
  });

  it('sequence randomisation: raw numbers per point, and the clock offset set by hand', async () => {
    const page = await open('randomised');
    const controls = page.getByTestId('point-controls');
    await controls.getByRole('group', { name: 'Sequence numbers at randomised-outside' }).getByRole('button', { name: 'raw' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('g.half text.lbl')].some((t) => /seq \d{5,}/.test(t.textContent ?? '')));
    const halves = await ladder(page).locator('g.half text.lbl').allTextContents();
    expect(halves.some((t) => /seq \d{5,}/.test(t))).toBe(true);
    await page.screenshot({ path: join(OUT, 'e2e-two-points-randomised.png') });
    const input = controls.getByLabel(/Clock offset/);
    await input.fill('-5');
    await input.press('Enter');
    await page.waitForFunction(() => /yours/.test(document.querySelector('[data-testid="point-controls"]')?.textContent ?? ''));
    const notes = await ladder(page).locator('g.arrow > title').allTextContents();
    expect(notes.some((n) => n.includes('negative: adjust the clock offset'))).toBe(true);
    await page.screenshot({ path: join(OUT, 'e2e-two-points-randomised-offset.png') });
    await page.close();
  });
});
