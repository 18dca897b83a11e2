/**
 * The seed case as an engineer brings it (issue #19): the outside capture and the firewall's syslog as files, the
 * inside capture pasted as `show capture` text. The firewall's 106015 deny of the server's RST sits after that RST
 * on the firewall lane (the log's stamps are whole seconds, which the ladder says). Screenshot at 1280x720.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, ROOT, useSite } from './site';

const SEED = join(ROOT, 'tests/fixtures/seed');

const site = useSite();

describe('the seed case with the inside capture pasted', () => {
  it('draws the deny after the RST it denies', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(site.url);
    await page.waitForSelector('[data-example]');
    await page.locator('#paste').fill(readFileSync(join(SEED, 'inside-capture.txt'), 'utf8'));
    await page.setInputFiles('[data-testid="file-input"]', ['outside-capture.txt', 'asa-syslog.log'].map((f) => join(SEED, f)));
    await page.waitForSelector('[role="row"][data-close-kind]');
    await page.locator('[role="row"][data-close-kind="fin-then-rst"]').first().click();
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    const ladder = page.locator('[data-testid="ladder"]').first();
    // The server's RST stops at the firewall lane (seen inside only); the deny box is drawn below where it stops.
    const rst = ladder.locator('g.arrow[data-dropped="true"]');
    expect(await rst.count()).toBe(1);
    expect(await rst.getAttribute('aria-label')).toMatch(/^server to client, RST/);
    const rstY = Number(await rst.locator('line.shaft').first().getAttribute('y2'));
    const denyTop = Number(await ladder.locator('g.event.deny rect').getAttribute('y'));
    expect(denyTop).toBeGreaterThan(rstY);
    expect(await ladder.locator('g.event.deny').getAttribute('aria-label')).toContain('drawn after the packet it matches');
    expect(await page.getByTestId('firewall-clock').first().textContent()).toMatch(/^Firewall log stamps are whole seconds: its events are drawn right after the packet each matches/);
    await page.screenshot({ path: join(OUT, 'e2e-two-points-seed-pasted.png') });
    // The head beside the ladder, scrolled to its end: the firewall clock, the clock offset, numbers per point.
    await page.getByTestId('point-controls').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'e2e-two-points-seed-pasted-head.png') });
    // A narrow window folds the head above the ladder: the clock offset, the numbers per point and the firewall
    // clock open from its verdict line ("clocks").
    await page.setViewportSize({ width: 900, height: 700 });
    await page.waitForSelector('[data-testid="ladder-head"].ladderhead.short');
    expect(await page.getByTestId('point-controls').count()).toBe(0);
    await page.getByRole('button', { name: 'clocks' }).click();
    await expect.poll(() => page.getByTestId('point-controls').isVisible()).toBe(true);
    expect(await page.getByTestId('firewall-clock').isVisible()).toBe(true);
    await page.getByTestId('point-controls').getByRole('button', { name: 'raw' }).first().click();
    expect(await page.getByTestId('point-controls').getByRole('button', { name: 'raw' }).first().getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: join(OUT, 'e2e-two-points-seed-folded-clocks.png') });
    await page.close();
  });
});
