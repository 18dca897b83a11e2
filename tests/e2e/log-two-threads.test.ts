/**
 * A firewall log big enough for the engine worker to hand its decoding to its log decoder Worker
 * (worker/nested-log.ts: 32 MiB or more), through the file input of the production build: the decoder Worker
 * starts, every load ends (no hang at the last batch) with the connections the one-thread engine finds in Node,
 * and a load cancelled part way settles, ends its decoder Worker, and leaves the page able to load the file again;
 * where the decoder Worker's script cannot load, the engine worker decodes the log itself, with the same result.
 * TEARDOWN_E2E_REPEAT=10 loads it ten times in a row (the end-of-input handshake under load); 2 by default.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2E_DIST, OUT, serveAt, useSite } from './site';
import { generatedLog } from './generated-log';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';

const site = useSite();
const REPEAT = Number(process.env.TEARDOWN_E2E_REPEAT ?? 2);

/** A generated ASA log past the decoder Worker's 32 MiB, made once per checkout. */
function bigLog(): string {
  return generatedLog('asa-210k.log', 210_000, 7, 32 << 20);
}

async function openPage(url = site.url): Promise<{ page: Page; decoders: string[]; errors: string[] }> {
  const context = await site.browser.newContext({ viewport: { width: 1300, height: 850 } });
  const page = await context.newPage();
  const decoders: string[] = [];
  const errors: string[] = [];
  page.on('worker', (w) => /log-decoder/.test(w.url()) && decoders.push(w.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
  return { page, decoders, errors };
}

describe('a big firewall log decoded in a second Worker', () => {
  it(`loads completely with the one-thread result, ${REPEAT} times in a row`, async () => {
    const file = bigLog();
    const s = await analyzeSources([await createNodeFileSource(file, 'asa-210k.log')]);
    const want = s.reports.length;
    expect(want).toBeGreaterThan(30_000);
    for (let k = 0; k < REPEAT; k++) {
      const { page, decoders, errors } = await openPage();
      await page.setInputFiles('[data-testid="file-input"]', [file]);
      await expect.poll(() => page.textContent('.filters .count'), { timeout: 120_000 }).toBe(`${want.toLocaleString('en-US')} of ${want.toLocaleString('en-US')} connections`);
      expect(decoders).toHaveLength(1);
      expect(errors).toEqual([]);
      expect(await page.locator('.banner.error').count()).toBe(0);
      await page.context().close();
    }
  }, 600_000);

  it('when the decoder Worker cannot load, the engine worker decodes the log itself', async () => {
    const file = bigLog();
    // The site without the decoder Worker's script (as if it failed to load), served apart from the shared build.
    const dir = join(OUT, 'dist-no-log-decoder');
    rmSync(dir, { recursive: true, force: true });
    cpSync(E2E_DIST, dir, { recursive: true });
    const gone = readdirSync(join(dir, 'assets')).filter((f) => /^log-decoder\.worker-.*\.js$/.test(f));
    expect(gone).toHaveLength(1);
    rmSync(join(dir, 'assets', gone[0]));
    const served = await serveAt(dir);
    const s = await analyzeSources([await createNodeFileSource(file, 'asa-210k.log')]);
    const want = s.reports.length.toLocaleString('en-US');
    const { page, decoders, errors } = await openPage(served.url);
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    // The rows shown while the log loads read "n of n" too: wait for the whole table.
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 120_000 }).toBe(`${want} of ${want} connections`);
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 30_000 });
    expect(decoders.length).toBeLessThanOrEqual(1);
    expect(served.log.some((u) => u.includes(gone[0]))).toBe(true);
    expect(errors).toEqual([]);
    expect(await page.locator('.banner.error').count()).toBe(0);
    await page.context().close();
    served.server.close();
  }, 300_000);

  it('cancelled part way, settles and loads the file again', async () => {
    const file = bigLog();
    const { page, decoders, errors } = await openPage();
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    // Cancel pressed in the page as soon as a megabyte is read: a round trip per step from here (poll, then a click that
    // waits for the button to be still while the first rows come in) let a loaded machine finish the 34 MB first.
    await page.waitForFunction(() => {
      const progress = document.querySelector('[data-testid="progress"]');
      if (!/[1-9][\d.]* MB of/.test(progress?.textContent ?? '')) return false;
      progress!.querySelector('button')!.click();
      return true;
    }, undefined, { timeout: 60_000, polling: 20 });
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 30_000 });
    expect(decoders).toHaveLength(1);
    // The first load, cancelled, shows what was read so far.
    await expect.poll(() => page.textContent('body'), { timeout: 30_000 }).toMatch(/cancelled: partial result/);
    // Its decoder Worker was ended with the cancel: none is left (a load that finished first ends it too).
    await expect.poll(() => page.workers().filter((w) => /log-decoder/.test(w.url())).length, { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: 'Open other files…' }).click();
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    // Its rows show while it loads ("n of n" as well): the whole table is the one-thread result.
    const want = (await analyzeSources([await createNodeFileSource(file, 'asa-210k.log')])).reports.length.toLocaleString('en-US');
    await expect.poll(() => page.textContent('.filters .count'), { timeout: 120_000 }).toBe(`${want} of ${want} connections`);
    await page.waitForSelector('[data-testid="progress"]', { state: 'detached', timeout: 30_000 });
    expect(decoders).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 300_000);
});
