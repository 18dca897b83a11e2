/**
 * Browser tests' shared setup: builds the site once (vite build into tests/out/e2e-dist), serves it
 * with a tiny static server on a free localhost port, and launches Debian's Chromium headless. Every
 * browser test file calls `useSite()` once for all of that.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

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

export interface Served {
  /** The site's address, ending in '/'. */
  url: string;
  origin: string;
  server: Server;
  /** Every request the server saw: method and path. */
  log: string[];
}

/**
 * Serves `dir` at `prefix` (e.g. "/some/path/") on a free localhost port; anything outside the prefix is 404.
 * `headers` are added to every answer (e.g. CORS). Nothing is cached: every test sees the files as they are.
 */
export function serveAt(dir: string, prefix = '/', headers: Record<string, string> = {}): Promise<Served> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    log.push(`${req.method} ${path}`);
    if (!path.startsWith(prefix)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) {
      res.writeHead(403, headers).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': String(statSync(file).size),
      'cache-control': 'no-store', ...headers,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      ok({ url: origin + prefix, origin, server, log });
    }),
  );
}

export interface Site {
  /** The site's address, ending in '/'. */
  readonly url: string;
  readonly origin: string;
  /** Every request the site's server saw. */
  readonly log: string[];
  readonly browser: Browser;
}

/**
 * What every browser test file starts with: before its tests, the run's build served (at `prefix`, after
 * `prepare` added any files of the test's own to it) and Chromium launched; after them, both closed.
 */
export function useSite(o: { prefix?: string; prepare?: (dist: string) => void } = {}): Site {
  let served: Served | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const dist = buildSite();
    o.prepare?.(dist);
    served = await serveAt(dist, o.prefix);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    served?.server.close();
  });
  const ready = () => {
    if (!served || !browser) throw new Error('useSite: the site is not up yet (use it inside a test or a hook)');
    return { served, browser };
  };
  return {
    get url() { return ready().served.url; },
    get origin() { return ready().served.origin; },
    get log() { return ready().served.log; },
    get browser() { return ready().browser; },
  };
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

export { traceMainThread, describeLongTasks, type MainThreadTasks } from './main-thread-trace';
