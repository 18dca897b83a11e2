/**
 * Browser tests' shared setup: builds the site once (vite build into tests/out/e2e-dist), serves it
 * with a tiny static server on a free localhost port, and launches Debian's Chromium headless.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'tests/out');
const DIST = join(OUT, 'e2e-dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.log': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
};

/**
 * The production build every browser test uses, made once per run by tests/e2e/global-setup.ts
 * (or here, when a single file runs without it).
 */
export function buildSite(): string {
  if (!existsSync(join(DIST, 'index.html'))) buildInto(DIST);
  return DIST;
}

/** `vite build` into `dir`. NODE_ENV: vitest sets "test", which a child build would inherit and
 *  turn into a development build (React's dev build, no service worker). */
export function buildInto(dir: string): void {
  mkdirSync(OUT, { recursive: true });
  execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export const E2E_DIST = DIST;

export function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server })),
  );
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
    ],
  });
}

export interface MainThreadTasks {
  /** Longest task on the page's main thread: CPU time (thread time) and wall time, ms. */
  maxCpuMs: number;
  maxWallMs: number;
  count: number;
}

/**
 * Runs `fn` while Chromium traces, and measures the tasks of the page's main thread
 * (CrRendererMain). CPU (thread) time is what the page itself costs; wall time also counts
 * moments the machine gave the thread no core, which other processes on a busy 2-core box cause.
 */
export async function traceMainThread(browser: Browser, page: import('playwright-core').Page, fn: () => Promise<void>): Promise<MainThreadTasks> {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
  await fn();
  const buf = await browser.stopTracing();
  const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  let maxCpuMs = 0;
  let maxWallMs = 0;
  let count = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    count++;
    maxWallMs = Math.max(maxWallMs, (e.dur ?? 0) / 1000);
    maxCpuMs = Math.max(maxCpuMs, (e.tdur ?? e.dur ?? 0) / 1000);
  }
  return { maxCpuMs, maxWallMs, count };
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}
