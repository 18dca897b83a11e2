/**
 * Lessons in a real browser (Debian Chromium, headless): one lesson walked with the keyboard alone
 * from intro to end, answering its questions; a bad lesson file shows errors naming the field; a
 * screenshot of every built-in lesson (mid-way and at its end) goes to tests/out/lessons/ for a
 * human look. Uses the run's one production build (tests/e2e/global-setup.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT, ROOT, useSite } from './site';

const SHOTS = join(OUT, 'lessons');
const index = JSON.parse(readFileSync(join(ROOT, 'public/lessons/index.json'), 'utf8')) as { id: string; title: string }[];

// A broken lesson beside the real ones, to see it refused with a clear message.
const site = useSite({ prepare: (dist) => {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(dist, 'lessons/broken-lesson.json'), JSON.stringify({
    format: 'teardown-lesson', version: 1, id: 'broken', title: 'Broken',
    captures: [{ url: 'captures/refused.pcap' }],
    steps: [{ packet: 0, states: { client: 'FIN_WAIT_3' } }, { packet: 1, question: { prompt: 'Q', choices: [{ text: 'only one', correct: true, why: 'x' }] } }],
  }));
} });

async function open(hash: string, width = 1400, height = 900): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as unknown as { errors: string[] }).errors = errors;
  await page.goto(site.url + hash);
  return page;
}

const stopKind = (page: Page) => page.getAttribute('[data-testid="lesson-player"]', 'data-kind');
const stopIndex = async (page: Page) => Number(await page.getAttribute('[data-testid="lesson-player"]', 'data-stop'));
const stateText = (page: Page, side: string) => page.textContent(`[data-testid="state-${side}"] text`);

describe('lessons in the browser', () => {
  it('walks the clean-close lesson to its end with the keyboard alone, answering every question', async () => {
    const page = await open('#lesson=clean-close');
    await page.waitForSelector('[data-testid="lesson-player"]', { timeout: 30_000 });
    expect(await stopKind(page)).toBe('intro');
    let answered = 0;
    let wrongFirst = false;
    for (let guard = 0; guard < 60 && (await stopKind(page)) !== 'end'; guard++) {
      if ((await stopKind(page)) === 'ask') {
        const choices = await page.$$eval('[data-choice]', (b) => b.length);
        expect(choices).toBeGreaterThanOrEqual(2);
        // Once: answer wrong first (the last choice is wrong in this lesson), then right.
        if (!wrongFirst) {
          await page.keyboard.press(String(choices));
          expect(await page.textContent('[data-testid="verdict"]')).toMatch(/^Not quite\./);
          wrongFirst = true;
          await page.screenshot({ path: join(SHOTS, 'keyboard-wrong-answer.png') });
        }
        await page.keyboard.press('1');
        expect(await page.textContent('[data-testid="verdict"]')).toMatch(/^Right[.:]/);
        expect(await page.textContent('[data-testid="verdict"]')).not.toMatch(/^Right\. Right/);
        answered++;
      }
      const before = await stopIndex(page);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((b) => Number(document.querySelector('[data-testid="lesson-player"]')?.getAttribute('data-stop')) === b + 1, before);
      if ((await stopKind(page)) === 'show' && (await page.$('[data-packet="7"][data-current="true"]'))) {
        // The client's FIN: the states beside the lanes changed with it.
        expect(await stateText(page, 'client')).toBe('FIN-WAIT-1');
        expect(await stateText(page, 'server')).toBe('CLOSE-WAIT');
      }
    }
    expect(await stopKind(page)).toBe('end');
    expect(answered).toBe(3);
    expect(await stateText(page, 'client')).toBe('TIME-WAIT');
    expect(await stateText(page, 'server')).toBe('CLOSED');
    expect(await page.textContent('.lesson-progress')).toContain('2 of 3 answered right first time');
    // Back with the keyboard, and large type with Shift+L (as in the explorer: l alone does nothing here).
    await page.keyboard.press('ArrowLeft');
    expect(await stopKind(page)).toBe('show');
    await page.keyboard.press('l');
    expect(await page.$('.lesson-overlay.large')).toBeNull();
    await page.keyboard.press('Shift+L');
    expect(await page.$('.lesson-overlay.large')).not.toBeNull();
    await page.screenshot({ path: join(SHOTS, 'keyboard-large-type.png') });
    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid="lesson-player"]')).toBeNull();
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('shows what is wrong with a bad lesson file, naming the fields', async () => {
    const page = await open(`#lesson-url=${encodeURIComponent(site.url + 'lessons/broken-lesson.json')}`);
    await page.waitForSelector('[data-testid="lesson-error"]', { timeout: 30_000 });
    const text = await page.textContent('[data-testid="lesson-error"]');
    expect(text).toContain('steps[0].states.client');
    expect(text).toContain('steps[1].question.choices: needs at least 2 choices');
    await page.screenshot({ path: join(SHOTS, 'broken-lesson.png') });
    await page.close();
  });

  it('lists the lessons and opens one by link', async () => {
    const page = await open('#lessons');
    await page.waitForSelector('[data-testid="lesson-list"] a[href^="#lesson="]');
    const links = await page.$$eval('[data-testid="lesson-list"] a[href^="#lesson="]', (a) => a.map((x) => x.getAttribute('href')));
    expect(links).toEqual(index.map((l) => `#lesson=${l.id}`));
    await page.screenshot({ path: join(SHOTS, 'list.png') });
    await page.keyboard.press('Enter'); // the first link has focus
    await page.waitForSelector('[data-testid="lesson-player"]', { timeout: 30_000 });
    expect(await page.textContent('.lesson-top h2')).toBe(index[0].title);
    await page.close();
  });

  // One test per lesson, each with its own time: on a busy machine the whole walk took more than any one budget.
  it.each(index.map((l) => [l.id]))('renders the built-in lesson %s without errors (screenshots in tests/out/lessons/)', async (id) => {
    const page = await open(`#lesson=${id}`);
    await page.waitForSelector('[data-testid="lesson-player"]', { timeout: 30_000 });
    expect(await page.$('.banner.warn'), `${id} agrees with its analysis`).toBeNull();
    // Walk to the first question (or half-way), answer it, screenshot; then to the end.
    for (let i = 0; i < 40 && (await stopKind(page)) !== 'ask' && (await stopKind(page)) !== 'end'; i++) await page.keyboard.press('ArrowRight');
    if ((await stopKind(page)) === 'ask') await page.keyboard.press('2');
    await page.screenshot({ path: join(SHOTS, `${id}-question.png`) });
    await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: join(SHOTS, `${id}-answer.png`) });
    await page.keyboard.press('End');
    expect(await stopKind(page)).toBe('end');
    await page.screenshot({ path: join(SHOTS, `${id}-end.png`), fullPage: false });
    expect((page as unknown as { errors: string[] }).errors, id).toEqual([]);
    await page.close();
  }, 90_000);
});

describe('your close vs. the textbook', () => {
  it('opens the matching lesson from a ladder in the explorer, with that connection beside it', async () => {
    const page = await open('#example=seed');
    await page.waitForSelector('a.textbook', { timeout: 60_000 });
    const href = await page.getAttribute('a.textbook', 'href');
    expect(href).toMatch(/^#lesson=[a-z0-9-]+&compare=/);
    await page.focus('a.textbook');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="lesson-player"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="compare-ladder"] svg.lesson-ladder', { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'compare-textbook.png') });
    await page.keyboard.press('Escape');
    // Closing the lesson returns to the explorer with the capture still loaded.
    await page.waitForSelector('a.textbook');
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
    await page.close();
  });
});
