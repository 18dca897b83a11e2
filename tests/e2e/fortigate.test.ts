/**
 * A FortiGate traffic log on the page, with no UI code of its own: dropped beside the two real captures of the same
 * flows (tests/fixtures/two-points, SNAT between them), it is recognised and listed by its registry label, its
 * sessions join the captured connections (one through the NAT), and the ladder draws its Built and Teardown on the
 * firewall lane. Screenshot at 1280x720 in tests/out/.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OUT, ROOT, useSite } from './site';

const site = useSite();
const FIX = join(ROOT, 'tests/fixtures');

describe('a FortiGate traffic log in the explorer', () => {
  it('is listed by its label and correlated with the captures; the ladder shows its teardown', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(site.url);
    await page.waitForSelector('[data-example]');
    const files = ['fortigate/two-points.log', 'two-points/late-rst-inside.pcap', 'two-points/late-rst-outside.pcap'];
    await page.setInputFiles('[data-testid="file-input"]', files.map((f) => join(FIX, f)));
    await page.waitForSelector('[role="row"][data-close-kind]');

    const chip = page.locator('[data-format="fortigate-traffic"]');
    await expect.poll(() => chip.count()).toBeGreaterThan(0);
    expect(await chip.first().textContent()).toContain('FortiGate traffic log');
    // The captured connection (through the NAT on the outside capture) has its session; the log's other session (port
    // 8081, not in these captures) is a log-only row.
    await expect.poll(() => page.textContent('.filters .count')).toMatch(/2 of 2 connections/);
    const rows = page.locator('[data-testid="flow-table"] [role="row"][data-row]');
    await expect.poll(async () => (await rows.allTextContents()).join('\n')).toMatch(/198\.51\.100\.80:8082.*server-rst/);
    expect((await rows.allTextContents()).join('\n')).toMatch(/198\.51\.100\.80:8081.*close · log only/);

    await page.locator('[role="row"][data-close-kind="fin-then-rst"]').first().click();
    await page.waitForSelector('[data-testid="ladder"] g.arrow');
    await expect.poll(() => page.getByTestId('firewall-explanation').textContent()).toContain('Firewall connection 3142 on FGT-EDGE');
    const teardown = page.locator('[data-testid="ladder"] [data-event="teardown"]').first();
    await expect.poll(() => teardown.getAttribute('aria-label')).toMatch(/^Firewall: Teardown · server-rst\. FGT-EDGE tore down the connection: server-rst, duration 0:00:04, 1212 bytes/);
    expect(await page.locator('[data-testid="ladder"] [data-event="built"]').count()).toBe(1);
    await page.screenshot({ path: join(OUT, 'e2e-fortigate.png') });
    await page.close();
  });
});
