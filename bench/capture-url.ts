/**
 * A capture fetched through `#capture=<URL>` in headless Chromium: the memory of the page's renderer processes while
 * the body downloads (resident set of every `--type=renderer` process of this browser, from /proc) against the file's
 * size. The page folds the body into Blob parts
 * as it comes (ui/share/stream-to-blob.ts), so its heap should stay far below the file.
 *
 *   npx tsx bench/capture-url.ts --file=PATH [--dist=DIR] [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from './lib/spawn';
import { serve } from './lib/static-server';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const file = resolve(arg('file') ?? '');
const DIST = resolve(arg('dist') ?? join(REPO, 'bench/out/dist-capture-url'));

/** Resident bytes of the renderer processes descending from this process (the browser Playwright started). */
function rendererRss(): number {
  const parent = new Map<number, number>();
  const renderers: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid: number) => {
    for (let p = pid, n = 0; p > 1 && n < 16; p = parent.get(p) ?? 0, n++) if (p === process.pid) return true;
    return false;
  };
  let sum = 0;
  for (const pid of renderers.filter(mine)) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) sum += Number(rss[1]) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

async function main() {
  if (!existsSync(file)) throw new Error('--file=PATH: a capture or log to fetch');
  if (!process.argv.includes('--no-build') || !existsSync(join(DIST, 'index.html'))) {
    mkdirSync(DIST, { recursive: true });
    execFileSync(join(REPO, 'node_modules/.bin/vite'), ['build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  }
  // Served from the site's own origin, so the page's content security policy lets it be fetched.
  const link = join(DIST, basename(file));
  rmSync(link, { force: true });
  symlinkSync(file, link);
  const { url, server } = await serve(DIST);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  let peak = 0;
  const before = rendererRss();
  let downloading = true;
  const t0 = Date.now();
  await page.goto(`${url}#capture=${encodeURIComponent(url + basename(file))}`);
  const sampler = (async () => {
    while (downloading) {
      peak = Math.max(peak, rendererRss());
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await page.waitForSelector('[data-testid="capture-progress"]', { timeout: 60_000 }).catch(() => {});
  await page.waitForSelector('[data-testid="capture-progress"]', { state: 'detached', timeout: 30 * 60_000 });
  const downloadMs = Date.now() - t0;
  downloading = false;
  await sampler;
  const size = statSync(file).size;
  console.log(`${basename(file)} (${(size / 1e6).toFixed(0)} MB) fetched in ${downloadMs} ms; renderer memory at most ${(peak / 1e6).toFixed(0)} MB while downloading, ${(before / 1e6).toFixed(0)} MB before (growth ${((peak - before) / size).toFixed(3)}x the file)`);
  await browser.close();
  server.close();
  rmSync(link, { force: true });
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
