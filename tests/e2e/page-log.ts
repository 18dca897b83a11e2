/**
 * A generated ASA log made in the page as a File (bench/log-lines.ts, bundled for the browser), for the browser tests
 * that need a big one: nothing is written to disk, and nothing crosses the DevTools socket but the generator's code.
 * The same log's parts are made in Node (logParts) for the engine to give the answers the page is checked against.
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateLogText, type LogGenOptions } from '../../bench/log-lines';
import { ROOT } from './site';

let bundled: string | null = null;

/** bench/log-lines.ts as a script that sets globalThis.__logLines. */
function generatorScript(): string {
  bundled ??= buildSync({
    entryPoints: [join(ROOT, 'bench/log-lines.ts')], bundle: true, write: false, format: 'iife', globalName: '__logLines', platform: 'browser', target: 'es2022',
  }).outputFiles[0].text;
  return `${bundled}\nglobalThis.__logLines = __logLines;`;
}

/** The log's text in parts, as the page makes it. */
export function logParts(o: LogGenOptions): string[] {
  const parts: string[] = [];
  generateLogText((t) => parts.push(t), o);
  return parts;
}

/** Makes the log in the page as File `name` (kept for pageLogToInput); returns its size in bytes. */
export async function makePageLog(page: Page, name: string, o: LogGenOptions): Promise<number> {
  await page.evaluate(generatorScript());
  return page.evaluate(({ name, o }) => {
    const g = (globalThis as unknown as { __logLines: { generateLogText: typeof generateLogText } }).__logLines;
    const parts: string[] = [];
    g.generateLogText((t) => parts.push(t), o);
    const file = new File(parts, name, { type: 'text/plain' });
    (globalThis as unknown as { __pageLog: File }).__pageLog = file;
    return file.size;
  }, { name, o });
}

/** Hands the File made by makePageLog to the file input `selector`, as a user choosing it would. */
export async function pageLogToInput(page: Page, selector: string): Promise<void> {
  await page.evaluate((selector) => {
    const input = document.querySelector<HTMLInputElement>(selector)!;
    const files = new DataTransfer();
    files.items.add((globalThis as unknown as { __pageLog: File }).__pageLog);
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, selector);
}

/**
 * A new page (1300x850) of the site at `url` with `o`'s log made in it as File `name` (makePageLog), the page's
 * uncaught errors collected in `errors`: the start of the browser tests of a big log's load. Returns the log's size.
 */
export async function openWithPageLog(browser: Browser, url: string, name: string, o: LogGenOptions): Promise<{ page: Page; errors: string[]; bytes: number }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 850 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
  return { page, errors, bytes: await makePageLog(page, name, o) };
}
