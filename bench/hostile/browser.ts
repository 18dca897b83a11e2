/**
 * Issue 15's big inputs in the built page, in headless Chromium:
 *
 *   npx tsx bench/hostile/browser.ts [--packets=10000000] [--no-build]
 *
 * 1. the long-connection capture (bench/hostile/make.ts) through the file input: time until its ladder is drawn;
 * 2. a share link of 1,700 characters holding 20,000 packets: time until its ladder is drawn.
 * For each: the longest main-thread task (PerformanceObserver 'longtask'), the page's JS heap (CDP
 * Performance.getMetrics JSHeapUsedSize) and the renderer processes' peak RSS (VmHWM in /proc: page and worker).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { deflateSync, strToU8 } from 'fflate';
import { OUT_DIR } from '../generate-pcap';
import { REPO } from '../lib/spawn';
import { serve } from '../lib/static-server';
import { makeLongConnection } from './make';
import { encodeBase64url } from '../../src/lib/base64url';
import { SHARE_DICTIONARY_V1 } from '../../src/share/dictionary';

const opt = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
const DIST = join(OUT_DIR, 'hostile-dist');
const packets = Number(opt('packets') ?? 10_000_000);

function rendererPeakRss(): number {
  let sum = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) sum = Math.max(sum, Number(m[1]) * 1024);
    } catch {
      // gone
    }
  }
  return sum;
}

async function measure(page: Page, what: string, act: () => Promise<void>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const t0 = Date.now();
  await act();
  await page.waitForSelector('[data-testid="ladder"] g.arrow', { timeout: 20 * 60_000 });
  const s = (Date.now() - t0) / 1000;
  const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const arrows = await page.$$eval('[data-testid="ladder"] g.arrow', (a) => a.length);
  const text = (await page.textContent('body')) ?? '';
  const crashed = /engine stopped/.test(text);
  console.log(`${what}: ladder drawn after ${s.toFixed(1)} s (${arrows} arrows); longest main-thread task ${longest.toFixed(0)} ms; page JS heap ${(heap / 2 ** 20).toFixed(0)} MiB; renderer peak RSS ${(rendererPeakRss() / 2 ** 20).toFixed(0)} MiB${crashed ? '; ENGINE STOPPED' : ''}`);
}

if (!process.argv.includes('--no-build') || !existsSync(join(DIST, 'index.html'))) {
  execFileSync(join(REPO, 'node_modules/.bin/vite'), ['build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
const file = await makeLongConnection(packets);
const { url, server } = await serve(DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] });
const fresh = async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  await context.addInitScript(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return context.newPage();
};
try {
  const a = await fresh();
  await a.goto(url);
  await a.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
  await measure(a, `${packets.toLocaleString('en')}-packet connection (${file.split('/').pop()})`, () => a.setInputFiles('[data-testid="file-input"]', file));
  await a.context().close();

  const view = encodeBase64url(deflateSync(strToU8(JSON.stringify({ timeMode: 'even' })), { level: 9, dictionary: SHARE_DICTIONARY_V1 }));
  const ladder = { connection: { client: { ip: '192.0.2.1', port: 40000 }, server: { ip: '192.0.2.2', port: 443 } }, t0Us: 0, totalPackets: 20000, packets: new Array(20000).fill([0, 1, 0x10, 1, 1, 0, 512, 0, 0]) };
  const link = `#s=1.${view}.${encodeBase64url(deflateSync(strToU8(JSON.stringify(ladder)), { level: 9, dictionary: SHARE_DICTIONARY_V1 }))}`;
  const b = await fresh();
  await measure(b, `share link of ${link.length} characters holding 20,000 packets`, () => b.goto(url + link).then(() => undefined));
  await b.context().close();
} finally {
  await browser.close();
  server.close();
}
