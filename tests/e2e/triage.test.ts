/**
 * The firewall triage panel in a real browser: on a generated four-day ASA log with a rule change
 * (bench/triage-log-gen.ts) and on the seed case, find the spike's start in the deny timeline, brush from it, and
 * land on a late-RST ladder in at most three actions; the idle-timeout class explained; a clean close from the
 * same log beside it. Screenshots at 1280x720 go to tests/out/ for a human look.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { OUT, useSite } from './site';
import { triageLogText } from '../../bench/triage-log-gen';

const site = useSite();

const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ entryTypes: ['longtask'] });
`;

async function newPage(): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.addInitScript(LONG_TASKS);
  return page;
}

const longestSince = (page: Page, since: number) => page.evaluate((t) => Math.max(0, ...(window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
  .filter((x) => x.start + x.duration >= t).map((x) => x.duration)), since);

/** Action: drag the brush from the spike marker to the right end of the timeline. */
async function brushFromSpike(page: Page): Promise<void> {
  const svg = (await page.$('[data-testid="deny-timeline"]'))!;
  const box = (await svg.boundingBox())!;
  const spikeX = Number(await page.getAttribute('[data-testid="spike-start"]', 'data-x'));
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + spikeX + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 40, y, { steps: 5 });
  await page.mouse.move(box.x + box.width - 9, y, { steps: 2 });
  await page.mouse.up();
  await page.waitForSelector('[data-testid="triage-range"]');
}

/** The generated multi-day log written to `name` and loaded through the file input, up to the drawn timeline. */
async function loadGeneratedLog(name: string): Promise<{ page: Page; truth: ReturnType<typeof triageLogText>['truth'] }> {
  const { text, truth } = triageLogText();
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  writeFileSync(file, text);
  const page = await newPage();
  await page.goto(site.url);
  await page.waitForSelector('[data-example]');
  await page.setInputFiles('[data-testid="file-input"]', [file]);
  await page.waitForSelector('[data-testid="spike-start"]', { timeout: 60_000 });
  return { page, truth };
}

describe('firewall triage panel', () => {
  it('generated multi-day log: spike start, brush, late-RST ladder in three actions; idle timeouts explained', async () => {
    const { page, truth } = await loadGeneratedLog('triage-edge.log');
    await page.screenshot({ path: join(OUT, 'e2e-triage-overview.png') });

    // The spike's start, as the timeline marks it, lies within one bucket of the rule change.
    const spikeUs = Number(await page.getAttribute('[data-testid="spike-start"]', 'data-time-us'));
    const bucketUs = Number(await page.getAttribute('[data-testid="deny-timeline"]', 'data-bucket-us'));
    expect(Math.abs(spikeUs - truth.changeUs)).toBeLessThanOrEqual(bucketUs);
    // Idle timeouts are their own class, explained with the timeout and the delay.
    const idle = page.locator('[data-deny-class="idle-timeout"]');
    expect(Number(await idle.getAttribute('data-count'))).toBe(truth.idleDenies);
    await expect.poll(() => idle.textContent()).toMatch(/Conn-timeout [\d,]+: \d+ s?(min)?–\d+ min after it/);
    expect(await idle.textContent()).toMatch(/keep-alives/);
    expect(Number(await page.getAttribute('[data-deny-class="late-close"]', 'data-count'))).toBe(truth.lateDenies);

    // Action 1: brush from the spike. The panel and the table follow, without a long task.
    const t0 = await page.evaluate(() => performance.now());
    await brushFromSpike(page);
    await page.waitForFunction((all) => {
      const n = Number(document.querySelector('[data-deny-class="late-close"]')?.getAttribute('data-count'));
      return n > 0 && n < all;
    }, truth.lateDenies);
    const late = Number(await page.getAttribute('[data-deny-class="late-close"]', 'data-count'));
    expect(late).toBeLessThan(truth.lateDenies);
    expect(late).toBeGreaterThan(truth.lateDenies * 0.9);
    const brushLong = await longestSince(page, t0);
    console.log(`triage e2e: longest main-thread task while brushing ${truth.connections} connections: ${brushLong.toFixed(0)} ms`);
    await page.screenshot({ path: join(OUT, 'e2e-triage-brushed.png') });

    // Action 2: the ladder of a late-RST connection in the selection.
    await page.click('[data-testid="ladder-late-close"]');
    await page.waitForSelector('[data-testid="ladder"] [data-event="deny"]');
    expect(await page.getAttribute('[data-testid="ladder"] [data-event="deny"]', 'aria-label')).toMatch(/RST/);
    await page.screenshot({ path: join(OUT, 'e2e-triage-ladder.png') });

    // Action 3: a clean close from the same log beside it.
    await page.click('[data-testid="compare-clean"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder"]').length === 2);
    await page.screenshot({ path: join(OUT, 'e2e-triage-beside.png') });
    await page.close();
  });

  it('one click on a bucket: its time range filters the table, and the ladder of one of its denied connections opens', async () => {
    const { page } = await loadGeneratedLog('triage-bucket.log');
    const box = (await (await page.$('[data-testid="deny-timeline"]'))!.boundingBox())!;
    const spikeX = Number(await page.getAttribute('[data-testid="spike-start"]', 'data-x'));
    await page.mouse.click(box.x + spikeX + 2, box.y + box.height / 2);
    await page.waitForSelector('[data-testid="triage-range"]');
    await page.waitForSelector('[data-testid="ladder"] [data-event="deny"]');
    // The ladder's connection is one the table still lists under the bucket's range.
    const open = await page.getAttribute('[role="row"].open', 'data-client');
    expect(open).toBeTruthy();
    expect(await page.getAttribute('[data-testid="ladder"] [data-event="deny"]', 'aria-label')).toMatch(/RST/);
    await page.screenshot({ path: join(OUT, 'e2e-triage-bucket.png') });
    await page.close();
  });

  it('seed case: the one late RST found, brushed and opened', async () => {
    const page = await newPage();
    await page.goto(site.url + '#example=seed');
    // One deny and the ladders open: the panel waits behind the toolbar's Triage button (action 1).
    await page.click('[data-testid="show-triage"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="spike-start"]', { timeout: 60_000 });
    await brushFromSpike(page);
    expect(await page.getAttribute('[data-deny-class="late-close"]', 'data-count')).toBe('1');
    await page.click('[data-testid="ladder-late-close"]');
    await page.waitForSelector('[data-testid="ladder"] [data-event="deny"]');
    expect(await page.getAttribute('[data-testid="ladder"] [data-event="deny"]', 'aria-label')).toMatch(/RST/);
    await page.screenshot({ path: join(OUT, 'e2e-triage-seed.png') });
    await page.close();
  });
});
