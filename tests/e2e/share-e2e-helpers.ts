/** Shared by the share/export/offline browser tests: CSP violations recorded, the arrows' accessible names. */
import type { BrowserContext, Page } from 'playwright-core';

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
