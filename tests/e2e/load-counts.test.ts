/**
 * Issue #11: while a big firewall log loads, every count on the page of the connections read is the same number at
 * every frame (the top bar, the progress panel, the note, the summary's caption and bars, the table's "of"), each
 * labelled "so far"; once loaded they agree again, with the loaded table's count, and the summary counts the log's
 * connections by how the log says they ended, as the engine does in Node; a bar filters the table on those ends.
 *
 * The log (34 MB: live rows start at 32 MiB) is made in the page (page-log.ts) and its decoder Worker held by the
 * debugger most of the time (held-worker.ts): the load gives many progress reports however fast the machine, and
 * the page is read on every frame (not at chosen times), so nothing depends on when a report comes.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OUT, useSite } from './site';
import { logParts, pageLogToInput, openWithPageLog } from './page-log';
import { holdWorker, type HeldWorker } from './held-worker';
import { LIVE_ROWS_BYTES } from '../../src/ui/live-table';
import { createEngineSession } from '../../src/engine/session';
import { logEndCounts } from '../../src/model/log-ends';

const site = useSite();

/** The log: 200,000 lines (seed 17), about 34 MB. */
const LOG = { name: 'asa-counts.log', lines: 200_000, seed: 17 };

/** Every count of the connections read the page shows, on one frame. */
interface Frame {
  phase: string | null;
  chip: string;
  progress: string | null;
  note: string | null;
  caption: string | null;
  /** The summary's bars: [group key, count]. */
  bars: [string, number][];
  count: string | null;
}

/** In the page: each frame's counts in window.__frames until the progress panel goes. */
function watchCounts(): void {
  const w = window as unknown as { __frames: Frame[] };
  w.__frames = [];
  let seen = false;
  const text = (sel: string) => document.querySelector(sel)?.textContent ?? null;
  const tick = () => {
    const progress = document.querySelector('[data-testid="progress"]');
    seen ||= !!progress;
    if (document.querySelector('[data-testid="flow-table"][data-loading]')) {
      w.__frames.push({
        phase: progress?.getAttribute('data-phase') ?? null,
        chip: text('.sourcesbar') ?? '',
        progress: text('[data-testid="progress-connections"]'),
        note: text('[data-testid="live-note"]'),
        caption: text('[data-testid="log-ends-caption"]'),
        bars: [...document.querySelectorAll('[data-testid="log-ends"] [data-end]')].map((g) => [g.getAttribute('data-end')!, Number(/: (\d+) connections/.exec(g.getAttribute('aria-label') ?? '')![1])]),
        count: text('.filters .count'),
      });
    }
    if (!seen || progress) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const num = (s: string) => Number(s.replace(/,/g, ''));
const fmt = (n: number) => n.toLocaleString('en-US');

describe('the counts of a big log while it loads', () => {
  it('are one number on every frame, labelled so far, and the loaded table\'s at the end; the summary says how they ended', async () => {
    const { page, errors, bytes } = await openWithPageLog(site.browser, site.url, LOG.name, LOG);
    expect(bytes).toBeGreaterThanOrEqual(LIVE_ROWS_BYTES);
    await page.evaluate(watchCounts);
    let held: HeldWorker | null = null;
    try {
      await pageLogToInput(page, '[data-testid="file-input"]');
      // Held 300 ms of every 350 ms: several reports, each with more rows.
      held = await holdWorker(site.browser, 'teardown-log-decoder', 300, 50);
      await page.waitForSelector('[data-testid="flow-table"][data-loading]', { timeout: 120_000 });
      await page.screenshot({ path: join(OUT, 'e2e-load-counts-loading.png') });
      await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 300_000 });
    } finally {
      await held?.stop();
    }
    const frames = await page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames);
    const reading = frames.filter((f) => f.phase === 'reading');
    const counts = new Set<number>();
    for (const f of reading) {
      const chip = /^([\d,]+) connections? so far · reading /.exec(f.chip);
      const progress = /^([\d,]+) connections? so far$/.exec(f.progress ?? '');
      const note = /^Reading the log: the ([\d,]+) connections? read so far\./.exec(f.note ?? '');
      const caption = /^([\d,]+) connections? so far, by Teardown reason:$/.exec(f.caption ?? '');
      expect([chip, progress, note, caption].every(Boolean), JSON.stringify(f)).toBe(true);
      const n = num(chip![1]);
      expect([progress, note, caption].map((m) => num(m![1])), JSON.stringify(f)).toEqual([n, n, n]);
      expect(f.bars.reduce((a, [, c]) => a + c, 0), JSON.stringify(f)).toBe(n);
      // The table's count: of the same rows (or pending, '…', while a new query is answered).
      if (f.count !== '…') expect(f.count, JSON.stringify(f)).toBe(`${fmt(n)} of ${fmt(n)} connections read so far`);
      counts.add(n);
    }
    // Rows came while the page was read: the counts moved together.
    expect(counts.size, JSON.stringify([...counts])).toBeGreaterThan(1);
    // Read whole, the panel tells its count from the table's until the table is built.
    for (const f of frames.filter((f) => f.phase === 'analyzing')) {
      expect(f.progress, JSON.stringify(f)).toMatch(/^[\d,]+ connections in all$/);
      expect(f.note).toMatch(/^The log is read whole: building its table/);
    }

    // Loaded: the engine's counts in Node for the same log, on every count of the page.
    const engine = createEngineSession();
    const result = await engine.load([{ kind: 'blob', name: LOG.name, blob: new Blob(logParts(LOG)) }], {});
    const n = result.flows.count;
    const ends = logEndCounts(result.flows.logEnds);
    expect(ends.length).toBeGreaterThan(3);
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 60_000 }).toBe(`${fmt(n)} of ${fmt(n)} connections`);
    expect(await page.textContent('.sourcesbar')).toMatch(new RegExp(`^${fmt(n)} connections · 0 TCP packets · `));
    expect(await page.textContent('[data-testid="log-ends-caption"]')).toBe(`${fmt(n)} connections, by Teardown reason:`);
    const bars = await page.$$eval('[data-testid="log-ends"] [data-end]', (gs) => gs.map((g) => [g.getAttribute('data-end'), g.querySelector('text:last-of-type')?.textContent]));
    expect(bars).toEqual(ends.map((e) => [e.group.key, fmt(e.count)]));
    expect(await page.locator('[data-testid="no-close-facts"]').count()).toBe(0);
    await page.screenshot({ path: join(OUT, 'e2e-load-counts-loaded.png') });

    // A bar filters the table on its ends; its chip takes the filter off.
    const fins = ends.find((e) => e.group.key === 'fins')!;
    await page.click('[data-testid="log-ends"] [data-end="fins"]');
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 30_000 }).toBe(`${fmt(fins.count)} of ${fmt(n)} connections`);
    expect(await page.getAttribute('[data-testid="log-ends"] [data-end="fins"]', 'aria-pressed')).toBe('true');
    await expect.poll(() => page.$$eval('[data-testid="flow-table"] [role="row"][data-row]', (rows) => rows.length), { timeout: 30_000 }).toBeGreaterThan(3);
    await page.screenshot({ path: join(OUT, 'e2e-load-counts-fins.png') });
    await page.getByRole('button', { name: 'Remove filter TCP FINs (firewall log)' }).click();
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 30_000 }).toBe(`${fmt(n)} of ${fmt(n)} connections`);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
