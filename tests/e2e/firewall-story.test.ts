/**
 * The whole firewall log on the page: a log with UDP and ICMP connections and denies of several messages (the shapes
 * of Cisco's syslog guide, formats.md §1.4-§1.7). The table marks non-TCP rows and filters by protocol; the triage
 * panel's deny list shows every deny with its cause, filters by message, and opens the ladder of the connection a
 * deny joined in one click. Screenshot at 1280x720 in tests/out/.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { OUT, useSite } from './site';

const site = useSite();

const H = (s: number) => `<166>Oct 10 2018 12:${String(10 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} asa-01 : `;

function storyLog(): string {
  const lines: string[] = [];
  for (let k = 0; k < 30; k++) {
    const t = k * 20;
    lines.push(
      `${H(t)}%ASA-6-302013: Built inbound TCP connection ${100 + k} for outside:192.0.2.${k + 1}/4${k + 1000} (192.0.2.${k + 1}/4${k + 1000}) to inside:10.2.2.2/443 (198.51.100.2/443)`,
      `${H(t + 1)}%ASA-6-302015: Built outbound UDP connection ${500 + k} for outside:192.0.2.53/53 (192.0.2.53/53) to inside:10.31.98.${k + 1}/5${k + 1000} (198.51.100.44/5${k + 1000})`,
      `${H(t + 2)}%ASA-6-302016: Teardown UDP connection ${500 + k} for outside:192.0.2.53/53 to inside:10.31.98.${k + 1}/5${k + 1000} duration 0:00:01 bytes 148`,
      `${H(t + 3)}%ASA-6-302014: Teardown TCP connection ${100 + k} for outside:192.0.2.${k + 1}/4${k + 1000} to inside:10.2.2.2/443 duration 0:00:03 bytes 900 TCP FINs from outside`,
      `${H(t + 4)}%ASA-6-106015: Deny TCP (no connection) from 10.2.2.2/443 to 192.0.2.${k + 1}/4${k + 1000} flags RST  on interface inside`,
      `${H(t + 5)}%ASA-4-106023: Deny udp src outside:192.0.2.66/5353 dst inside:10.1.2.42/5353 by access-group "outside_in" [0x0, 0x0]`,
    );
  }
  lines.push(
    `${H(700)}%ASA-6-302020: Built inbound ICMP connection for faddr 192.0.2.10/7 gaddr 198.51.100.144/7 laddr 10.2.2.2/7 type 8 code 0`,
    `${H(701)}%ASA-6-302021: Teardown ICMP connection for faddr 192.0.2.10/7 gaddr 198.51.100.144/7 laddr 10.2.2.2/7 type 8 code 0`,
    `${H(702)}%ASA-3-106014: Deny inbound icmp src outside:192.0.2.70 dst inside:10.1.2.42(type 8, code 0)`,
    `${H(703)}%ASA-2-106006: Deny inbound UDP from 192.0.2.66/137 to 10.1.2.42/137 on interface outside`,
  );
  return `${lines.join('\n')}\n`;
}

describe('the whole firewall log on the page', () => {
  it('UDP and ICMP connections are rows; every deny is listed, filtered by message, one click to its ladder', async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'story-page.log');
    writeFileSync(file, storyLog());
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(site.url);
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForSelector('[data-testid="flow-table"] [role="row"][data-row]', { timeout: 60_000 });

    // 30 TCP + 30 UDP + 1 ICMP connections; the protocol filter keeps the UDP ones.
    await expect.poll(() => page.textContent('.filters .count')).toMatch(/61 of 61 connections/);
    await page.selectOption('[data-testid="protocol-filter"]', { label: 'UDP' });
    await expect.poll(() => page.textContent('.filters .count')).toMatch(/30 of 61 connections/);
    // The rows' window comes from the worker after the count: a fresh-clone CI run read the first row a frame early.
    await expect.poll(() => page.textContent('[data-testid="flow-table"] [role="row"][data-row]')).toContain('UDP');
    await page.selectOption('[data-testid="protocol-filter"]', { label: 'ICMP' });
    await expect.poll(() => page.textContent('.filters .count')).toMatch(/1 of 61 connections/);
    await page.selectOption('[data-testid="protocol-filter"]', 'any');

    // The deny list: every message, by cause; filter to 106023; the 106015 rows open their connection's ladder.
    const list = page.locator('[data-testid="deny-list"]');
    await expect.poll(() => list.locator('summary').textContent()).toMatch(/Every deny, drop and ICMP error in the log: 62/);
    await list.locator('summary').click();
    await page.waitForSelector('[data-testid="deny-rows"] tbody tr');
    await list.getByRole('button', { name: /^106023/ }).click();
    await expect.poll(async () => new Set(await page.locator('[data-testid="deny-rows"] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-message'))))).toEqual(new Set(['106023']));
    expect(await list.textContent()).toContain('access-rule');
    expect(await list.textContent()).toContain('outside_in');
    await list.getByRole('button', { name: /^106023/ }).click();
    await list.getByRole('button', { name: /^106015/ }).click();
    await page.screenshot({ path: join(OUT, 'e2e-firewall-story.png') });
    await list.locator('[data-message="106015"] button', { hasText: 'ladder' }).first().click();
    await page.waitForSelector('[data-testid="ladder"] [data-event="deny"]', { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid="ladder"] [data-event="deny"]', 'aria-label')).toMatch(/RST/);
    await page.close();
  });

  it('one click from a host row of the triage panel to a ladder with its late deny', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(site.url);
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', [join(OUT, 'story-page.log')]);
    await page.click('[data-testid="top-servers"] [data-testid="host-ladder"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="ladder"] [data-event="deny"]', { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid="ladder"] [data-event="deny"]', 'aria-label')).toMatch(/RST/);
    await page.close();
  });

  it('a stamp in an unknown zone: the warning names file and line, and the log is read again in the zone given', async () => {
    const file = join(OUT, 'zone-page.log');
    writeFileSync(file, [
      'Mar 05 2024 14:22:01 YEKT: %ASA-6-302013: Built inbound TCP connection 7 for outside:192.0.2.9/40000 (192.0.2.9/40000) to inside:10.2.2.2/443 (198.51.100.2/443)',
      'Mar 05 2024 14:22:05 YEKT: %ASA-6-302014: Teardown TCP connection 7 for outside:192.0.2.9/40000 to inside:10.2.2.2/443 duration 0:00:04 bytes 900 TCP FINs',
    ].join('\n'));
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(site.url);
    await page.waitForSelector('[data-example]');
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForSelector('[data-testid="zone-fix"]', { timeout: 60_000 });
    const startOf = () => page.getAttribute('[data-testid="flow-table"] [role="row"][data-row] [role="gridcell"]:nth-child(3)', 'title');
    expect(await startOf()).toContain('14:22:01');
    await page.click('[data-testid="zone-fix"]');
    expect(await page.textContent('.zonefix .popover')).toMatch(/zone-page\.log.*line 1.*time zone YEKT is not known: read as UTC/);
    await page.fill('[data-testid="zone-input"]', '+03:00');
    await page.screenshot({ path: join(OUT, 'e2e-zone-fix.png') });
    await page.click('[data-testid="zone-apply"]');
    await expect.poll(() => page.textContent('[data-testid="zone-fix"]'), { timeout: 60_000 }).toBe('zone +03:00');
    await expect.poll(startOf).toContain('11:22:01');
    expect(await page.getAttribute('[data-testid="zone-fix"]', 'title')).toMatch(/read in the time zone option \(\+03:00\)/);
    await page.close();
  });
});
