/**
 * Shared by the share/export/offline browser tests: the run's one production build (see site.ts),
 * served under any sub-path; CSP violations recorded.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { buildSite } from './site';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
};

/** The one production build of the run (the name is kept for the callers' readability). */
export function buildInto(_name: string): string {
  return buildSite();
}

export interface Served {
  /** The site's address, ending in '/'. */
  url: string;
  origin: string;
  server: Server;
  /** Every request the server saw: method and path. */
  log: string[];
}

/**
 * Serves `dir` at `prefix` (e.g. "/some/path/") on a free localhost port; anything outside the
 * prefix is 404. `headers` are added to every answer (e.g. CORS).
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
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': String(statSync(file).size), ...headers });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      ok({ url: origin + prefix, origin, server, log });
    }),
  );
}

/** Records CSP violations and page errors of every page of a context (read them with `problems`). */
export async function watchProblems(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? ['(no CSP recorder on this page)']);
}

/** Accessible names of every arrow, per ladder on the page. */
export function arrowNames(page: Page): Promise<string[][]> {
  return page.$$eval('svg[data-testid="ladder"]', (svgs) =>
    svgs.map((s) => Array.from(s.querySelectorAll('g.arrow')).map((g) => g.getAttribute('aria-label') ?? '')),
  );
}
