/**
 * TLS in the explorer (Debian Chromium, headless): a capture dropped with its key log gets the alert named on the
 * arrow and stated in the explanation; the same capture without the key log says which key log would decrypt it.
 * Captures from scripts/make-tls-captures.sh (tests/fixtures/tls/PROVENANCE.md). Screenshots go to tests/out/.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';

const DIR = join(ROOT, 'tests/fixtures/tls');
const site = useSite();

async function open(files: string[]): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(site.url);
  await page.setInputFiles('[data-testid="file-input"]', files.map((f) => join(DIR, f)));
  await page.locator('[role="row"][data-close-kind]').first().click();
  await page.waitForSelector('[data-testid="ladder"] g.arrow');
  return page;
}

describe('TLS on the ladder', () => {
  it('names the decrypted alert on its arrow and says the client sent no close_notify', async () => {
    const page = await open(['tls12-aes256gcm-noclose.pcap', 'tls12-aes256gcm-noclose.keys']);
    const ladder = page.locator('[data-testid="ladder"]').first();
    await page.waitForFunction(() => [...document.querySelectorAll('g.arrow')].some((g) => /TLS: Alert decode_error/.test(g.getAttribute('aria-label') ?? '')));
    expect(await ladder.locator('text.tlsl').allTextContents()).toContain('Alert decode_error');
    const expl = await page.getByTestId('explanation').first().textContent();
    expect(expl).toContain('The client closed the TCP connection without sending close_notify');
    expect(expl).toContain('the server sent a fatal decode_error alert (frame 24, decrypted with the key log)');
    await page.screenshot({ path: join(OUT, 'e2e-tls-decrypted.png') });
    await page.close();
  });

  it('without a key log, says which key log would decrypt the connection', async () => {
    const page = await open(['tls13-aes128-close.pcap']);
    const hint = page.getByTestId('tls-keylog-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/CLIENT_TRAFFIC_SECRET_0 and SERVER_TRAFFIC_SECRET_0 [0-9a-f]{64}/);
    // The close is shown: the last records before the FINs are encrypted (TLS 1.3 hides the alerts in them).
    expect(await page.locator('text.tlsl').allTextContents()).toContain('Application Data');
    await page.screenshot({ path: join(OUT, 'e2e-tls-nokeys.png') });
    await page.close();
  });
});
