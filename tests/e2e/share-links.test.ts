/**
 * Share links in a real browser: a link made from the seed case opens in a fresh browser context
 * with no file and draws the same ladders (same arrows, same accessible names); the pseudonymised
 * link holds none of the real addresses; a cut-off link shows what it can and says what it lost.
 * Screenshots: tests/out/share-dialog.png, tests/out/share-opened.png, tests/out/share-truncated.png.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { OUT, useSite } from './site';
import { arrowNames, cspViolations, watchProblems } from './share-e2e-helpers';
import { decodeShareFragment } from '../../src/share/link-codec';

const site = useSite();
const contexts: BrowserContext[] = [];

async function freshPage(width = 1400, height = 900): Promise<Page> {
  // A new context: no storage, no cache, no service worker shared with any other page.
  const context = await site.browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
  contexts.push(context);
  await watchProblems(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return page;
}

/** The seed case loaded, its two ladders drawn; returns the real addresses shown. */
async function seedLoaded(): Promise<{ page: Page; addresses: string[] }> {
  const page = await freshPage();
  await page.goto(site.url + '#example=seed');
  await page.waitForFunction(() => document.querySelectorAll('svg[data-testid="ladder"]').length === 2, null, { timeout: 30_000 });
  // "Ladder: 10.0.0.1:443 to 10.0.0.2:5000" on each ladder, and every address in the page's text.
  const addresses = await page.evaluate(() => {
    const text = [...document.querySelectorAll('svg[data-testid="ladder"]')].map((s) => s.getAttribute('aria-label')).join(' ') + ' ' + document.body.innerText;
    // ("RFC 1122 4.2.2.13" is a section number, not an address: issue 16.)
    return [...new Set(text.replace(/RFC \d+ (?:\d+\.)*\d+/g, 'RFC').match(/(?:\d{1,3}\.){3}\d{1,3}/g) ?? [])];
  });
  return { page, addresses };
}

async function makeLink(page: Page, options: { anonymise?: boolean; whole?: boolean } = {}): Promise<{ link: string; shown: number }> {
  await page.click('[data-testid="share-open"]');
  await page.waitForSelector('[data-testid="share-dialog"]');
  if (options.anonymise === false) await page.uncheck('[data-testid="share-anonymise"]');
  if (options.whole) await page.check('[data-testid="share-whole"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  const shown = Number(await page.getAttribute('[data-testid="share-length"]', 'data-length'));
  return { link, shown };
}

const ipv4 = /(?:\d{1,3}\.){3}\d{1,3}/g;
const RFC_SECTION = /RFC \d+ (?:\d+\.)*\d+/g;
const points = (names: string[]) => names.map((n) => n.replace(/(seen at|missing at) [^,:]+/g, '$1 <point>'));

describe('share links', () => {
  let link = '';
  let original: string[][] = [];
  let realAddresses: string[] = [];
  /** Per ladder: arrows drawn in two halves (two capture points), and the lane texts. */
  let halves: number[] = [];
  const halvesOf = (page: Page) => page.$$eval('svg[data-testid="ladder"]', (ls) => ls.map((l) => l.querySelectorAll('g.arrow g.half').length));

  it('makes a pseudonymised link from the seed case: its length is shown, no real address is in it', async () => {
    const { page, addresses } = await seedLoaded();
    realAddresses = addresses;
    expect(addresses.length).toBeGreaterThan(1);
    original = await arrowNames(page);
    expect(original.length).toBe(2);
    // The seed's close was captured inside and outside: its arrows break at the firewall lane (issue #19).
    halves = await halvesOf(page);
    expect(halves[0]).toBeGreaterThan(0);
    const made = await makeLink(page);
    link = made.link;
    expect(made.shown).toBe(link.length);
    expect(link.startsWith(site.url + '#s=1.')).toBe(true);
    await page.screenshot({ path: join(OUT, 'share-dialog.png') });
    const decoded = decodeShareFragment(new URL(link).hash)!;
    expect(decoded.dropped).toEqual([]);
    expect(decoded.state.ladders.length).toBe(2);
    const text = JSON.stringify(decoded.state);
    for (const a of addresses) expect(text).not.toContain(a);
    for (const m of text.replace(RFC_SECTION, 'RFC').match(ipv4) ?? []) expect(m).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\./);
    // Only addresses the analysis put there are replaced, never a number by its shape (issue 16).
    expect(text).toContain('RFC 1122 4.2.2.13');
    // File names can name the customer: they go too.
    for (const f of ['asa-syslog.log', 'inside-capture', 'outside-capture', 'clean-capture']) expect(text).not.toContain(f);
    // The copy button puts the link on the clipboard (or selects it where the clipboard is refused).
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    await page.click('[data-testid="share-copy"]');
    await page.waitForFunction(() => /Copied|Selected/.test(document.querySelector('.share-dialog [role="status"]')?.textContent ?? ''));
    const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
    if (clip) expect(clip).toBe(link);
    // Without pseudonyms the real addresses are there (so the check above can fail).
    await page.uncheck('[data-testid="share-anonymise"]');
    const plain = await page.inputValue('[data-testid="share-link"]');
    const plainText = JSON.stringify(decodeShareFragment(new URL(plain).hash)!.state);
    expect(addresses.some((a) => plainText.includes(a))).toBe(true);
    const whole = await makeLinkLengthWhole(page);
    console.log(`share link lengths (seed, 2 ladders): pseudonymised close ${link.length}, real addresses ${plain.length}, whole connections ${whole}`);
    expect(await cspViolations(page)).toEqual([]);
  });

  it('opens in a fresh browser context with no file: the same ladders, arrow for arrow', async () => {
    expect(link).not.toBe('');
    const page = await freshPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(link);
    await page.waitForSelector('[data-testid="shared-page"] svg[data-testid="ladder"] g.arrow', { timeout: 20_000 });
    expect(await page.textContent('[data-testid="shared-notice"]')).toContain('2 ladders');
    expect(await page.locator('[data-testid="shared-dropped"]').count()).toBe(0);
    const shared = await arrowNames(page);
    expect(shared.map((l) => l.length)).toEqual(original.map((l) => l.length));
    // Equal but for the capture points' names, which a pseudonymised link replaces with "capture N".
    expect(shared.map(points)).toEqual(original.map(points));
    expect(shared.flat().join()).toMatch(/seen at capture \d only/);
    // Both capture points travel: the same arrows break at the firewall lane, each half with its point's addresses
    // (pseudonyms: the NAT between the points is still there).
    expect(await halvesOf(page)).toEqual(halves);
    const lanes = await page.locator('[data-testid="shared-page"] svg[data-testid="ladder"]').first().locator('text.lanesub, text.lanelabel > title').allTextContents();
    expect(lanes.join(' ')).toMatch(/server as [\d.]+:443 at capture \d/);
    // Explanations travel too, with the stand-in addresses.
    const explained = await page.$$eval('[data-testid="explanation"]', (p) => p.map((x) => x.textContent ?? ''));
    expect(explained.length).toBe(2);
    const pageText = (await page.textContent('main')) ?? '';
    for (const a of realAddresses) expect(pageText).not.toContain(a);
    // Nothing was fetched but the site itself (no capture, no example file).
    expect(requests.filter((u) => !u.startsWith(site.url)).length).toBe(0);
    expect(requests.some((u) => /examples\/seed\//.test(u))).toBe(false);
    await page.screenshot({ path: join(OUT, 'share-opened.png') });
    expect(await cspViolations(page)).toEqual([]);
  });

  it('a cut-off link shows the ladders it still holds and lists what it dropped', async () => {
    const hash = new URL(link).hash;
    const parts = hash.split('.');
    // Cut in the middle of the last ladder, as a chat tool that truncates long links would.
    const lastLen = parts[parts.length - 1].length;
    const cut = link.slice(0, link.length - Math.floor(lastLen / 2));
    const page = await freshPage();
    await page.goto(cut);
    await page.waitForSelector('[data-testid="shared-dropped"]', { timeout: 20_000 });
    const dropped = await page.$$eval('[data-testid="shared-dropped"] li', (li) => li.map((x) => x.textContent));
    expect(dropped.join(' ')).toMatch(/ladder 2 was damaged or cut off/);
    const shown = await arrowNames(page);
    expect(shown.length).toBe(1);
    expect(points(shown[0])).toEqual(points(original[0]));
    await page.screenshot({ path: join(OUT, 'share-truncated.png') });

    // Cut inside the view part: default view, both ladders gone, the page still explains.
    const page2 = await freshPage();
    await page2.goto(site.url + '#s=1.AAAA');
    await page2.waitForSelector('[data-testid="shared-dropped"]');
    expect(await page2.textContent('[data-testid="shared-dropped"]')).toMatch(/view settings|no ladder/);
    expect(await page2.locator('svg[data-testid="ladder"]').count()).toBe(0);
    expect(await cspViolations(page)).toEqual([]);
  });

  it('"Open your own files" leaves the link for the start page', async () => {
    const page = await freshPage();
    await page.goto(link);
    await page.waitForSelector('[data-testid="shared-page"]');
    await page.getByRole('button', { name: 'Open your own files…' }).click();
    await page.waitForSelector('[data-example="seed"]');
    expect(new URL(page.url()).hash).toBe('');
  });
});

async function makeLinkLengthWhole(page: Page): Promise<number> {
  await page.check('[data-testid="share-anonymise"]');
  await page.check('[data-testid="share-whole"]');
  const n = (await page.inputValue('[data-testid="share-link"]')).length;
  await page.uncheck('[data-testid="share-whole"]');
  return n;
}
