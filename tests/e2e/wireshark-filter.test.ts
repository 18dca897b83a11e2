/**
 * tshark's stream numbers in the explorer: the flow table's Stream column, and the buttons above a ladder that copy
 * `tcp.stream eq N` and the 4-tuple filter (read back from the clipboard). The capture's numbers are shifted by
 * ICMP quotes and bad headers (tests/fixtures/streams, checked against tshark there).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OUT, ROOT, useSite } from './site';

const CAPTURE = join(ROOT, 'tests/fixtures/streams/icmp-quoted-and-bad-offset.pcap');
const site = useSite();

describe('Wireshark stream numbers', () => {
  it('shows tcp.stream per row and copies the filters of an open ladder', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1400, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(site.url);
    await page.setInputFiles('[data-testid="file-input"]', [CAPTURE]);
    await page.waitForSelector('[role="row"][data-close-kind]');
    const streamOf = await page.$$eval('[role="row"][data-close-kind]', (rows) =>
      Object.fromEntries(rows.map((r) => [r.getAttribute('data-client'), r.lastElementChild!.textContent])),
    );
    expect(streamOf).toEqual({ '10.0.0.1:40001': '0', '10.0.0.1:40002': '1', '[2001:db8::1]:40010': '2', '10.0.0.1:40030': '5', '10.0.0.1:40020': '4' });
    await page.click('[role="row"][data-client="10.0.0.1:40030"]');
    const head = page.locator('[data-testid="ladder-head"]', { hasText: '10.0.0.1:40030' });
    await head.waitFor();
    await head.getByRole('button', { name: 'tcp.stream eq 5' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('tcp.stream eq 5');
    await head.getByRole('button', { name: '4-tuple' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('(ip.addr eq 10.0.0.1 and ip.addr eq 10.0.0.6) and (tcp.port eq 40030 and tcp.port eq 22)');
    await page.screenshot({ path: join(OUT, 'e2e-wireshark-filter.png') });
    await context.close();
  });
});
