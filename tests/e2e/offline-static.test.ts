/**
 * The built site as a static host serves it: from a sub-path, under its strict Content-Security-
 * Policy (no violation anywhere), with no network request at all while files are loaded and
 * analysed, `#capture=<URL>` fetched with CORS (and a clear error without), and offline after one
 * visit (service worker).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { ROOT, serveAt, useSite, type Served } from './site';
import { cspViolations, watchProblems } from './share-e2e-helpers';

const PREFIX = '/some/path/teardown/';
const PCAP = join(ROOT, 'public/examples/pcap/tls13-fin-then-rst.pcap');
const site = useSite({ prefix: PREFIX });
let withCors: Served;
let noCors: Served;

beforeAll(async () => {
  // Another origin publishing captures: one allows other sites to read them, one does not.
  withCors = await serveAt(join(ROOT, 'public/examples/pcap'), '/pub/', { 'access-control-allow-origin': '*' });
  noCors = await serveAt(join(ROOT, 'public/examples/pcap'), '/pub/');
});

afterAll(() => {
  for (const s of [withCors, noCors]) s?.server.close();
});

async function newContext(): Promise<BrowserContext> {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await watchProblems(context);
  return context;
}

/** Waits until the service worker controls the page and has cached the site. */
async function swReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 50));
  });
}

const ladders = (page: Page) => page.locator('svg[data-testid="ladder"]').count();

describe('static hosting', () => {
  it('runs from a sub-path: the seed example loads, nothing 404s, no CSP violation', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => failed.push(`page error ${e.message}`));
    await page.goto(site.url + '#example=seed');
    await page.waitForFunction(() => document.querySelectorAll('svg[data-testid="ladder"]').length === 2, null, { timeout: 30_000 });
    expect(failed).toEqual([]);
    expect(site.log.filter((l) => !l.includes(PREFIX))).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    // The policy is really there (so "no violation" means something).
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // ... and it bites: an inline script is refused (and reported).
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length > 0);
    expect((await cspViolations(page)).join()).toMatch(/script-src/);
    await context.close();
  });

  it('loading and analysing a file makes no network request at all', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const requests: { phase: string; r: Request }[] = [];
    let phase = 'start';
    // Page-level: the page's own requests and its worker's. (A context-level listener makes Playwright
    // hold the service worker's precache requests, so navigator.serviceWorker.ready never resolves.)
    page.on('request', (r) => requests.push({ phase, r }));
    await page.goto(site.url);
    await page.waitForSelector('[data-example="seed"]');
    await swReady(page);
    await page.waitForLoadState('networkidle');
    const before = requests.map(({ r }) => r);
    for (const r of before) {
      expect(r.method(), r.url()).toBe('GET');
      expect(r.url().startsWith(site.url), r.url()).toBe(true);
    }
    phase = 'load';
    const served = site.log.length;
    await page.setInputFiles('[data-testid="file-input"]', PCAP);
    await page.waitForSelector('svg[data-testid="ladder"] g.arrow', { timeout: 30_000 });
    await page.click('[role="row"][data-row="1"]');
    await page.waitForTimeout(500);
    const during = requests.filter((x) => x.phase === 'load').map(({ r }) => `${r.method()} ${r.url()}`);
    expect(during).toEqual([]);
    // And from the server's side (whatever the browser's own accounting): nothing asked for.
    expect(site.log.slice(served)).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });

  it('#capture=<URL> fetches a published capture with CORS; without CORS it says why', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}#capture=${encodeURIComponent(withCors.url + 'web.pcap')}`);
    await page.waitForSelector('svg[data-testid="ladder"] g.arrow', { timeout: 30_000 });
    expect(await page.locator('[role="row"][data-client]').count()).toBe(2);
    expect(await page.textContent('.topbar')).toContain('web.pcap');
    expect(await cspViolations(page)).toEqual([]);

    const bad = await context.newPage();
    await bad.goto(`${site.url}#capture=${encodeURIComponent(noCors.url + 'web.pcap')}`);
    await bad.waitForSelector('[data-testid="capture-error"]', { timeout: 20_000 });
    expect(await bad.textContent('[data-testid="capture-error"]')).toMatch(/Access-Control-Allow-Origin/);
    const missing = await context.newPage();
    await missing.goto(`${site.url}#capture=${encodeURIComponent(withCors.url + 'nothing-here.pcap')}`);
    await missing.waitForSelector('[data-testid="capture-error"]', { timeout: 20_000 });
    expect(await missing.textContent('[data-testid="capture-error"]')).toMatch(/HTTP 404/);
    const notHttp = await context.newPage();
    await notHttp.goto(`${site.url}#capture=${encodeURIComponent('javascript:alert(1)')}`);
    await notHttp.waitForSelector('[data-testid="capture-error"]', { timeout: 20_000 });
    expect(await notHttp.textContent('[data-testid="capture-error"]')).toMatch(/only http and https/);
    await context.close();
  });

  it('works offline after one visit: reload, open an example, load a file', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-example="seed"]');
    await swReady(page);
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('[data-example="seed"]', { timeout: 20_000 });
    await page.click('[data-example="seed"]');
    await page.waitForFunction(() => document.querySelectorAll('svg[data-testid="ladder"]').length === 2, null, { timeout: 30_000 });
    expect(await ladders(page)).toBe(2);
    // A user's own file, offline too.
    await page.getByRole('button', { name: /Open other files/ }).click();
    await page.setInputFiles('[data-testid="file-input"]', PCAP);
    await page.waitForFunction(() => document.querySelectorAll('[role="row"][data-client]').length === 3, null, { timeout: 30_000 });
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });
});
