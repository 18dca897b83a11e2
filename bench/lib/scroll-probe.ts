/**
 * How long the flow table shows blank rows while a user scrolls it (rows come from the worker a window at a time:
 * src/ui/flow-rows.ts). A probe in the page looks at every animation frame for rows in view still waiting for their
 * data (`.frow.pending`) and keeps each blank stretch; each gesture then waits until the view is whole again.
 *
 *   time to drawn rows: from the gesture's last input to the first frame whose rows in view all have data
 *   blank: the longest stretch of frames with a blank row in view during the gesture, and their sum
 */
import type { Page } from 'playwright-core';

const PROBE = `(() => {
  const p = window.__scrollProbe = { stretches: [], since: 0, frames: 0, blankFrames: 0 };
  const table = () => document.querySelector('[data-testid="flow-table"]');
  const blank = () => {
    const t = table();
    if (!t) return false;
    const box = t.getBoundingClientRect();
    for (const r of t.querySelectorAll('.frow.pending')) {
      const b = r.getBoundingClientRect();
      if (b.bottom > box.top + 1 && b.top < box.bottom - 1) return true;
    }
    return false;
  };
  const tick = (now) => {
    p.frames++;
    if (blank()) { p.blankFrames++; if (!p.since) p.since = now; }
    else if (p.since) { p.stretches.push(now - p.since); p.since = 0; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

export interface Gesture {
  name: string;
  /** Last input to the view whole again (ms). */
  drawnMs: number;
  /** Longest blank stretch during the gesture, and the sum of them (ms). */
  longestBlankMs: number;
  blankMs: number;
  /** Frames seen during the gesture and how many had a blank row in view. */
  frames: number;
  blankFrames: number;
}

/** The rows in view all have data (a function: the page's CSP forbids evaluating a string in waitForFunction). */
function whole(): boolean {
  const t = document.querySelector('[data-testid="flow-table"]');
  if (!t || !t.querySelector('[role="row"][data-row]')) return false;
  const box = t.getBoundingClientRect();
  for (const r of t.querySelectorAll('.frow.pending')) {
    const b = r.getBoundingClientRect();
    if (b.bottom > box.top + 1 && b.top < box.bottom - 1) return false;
  }
  return true;
}

async function measure(page: Page, name: string, act: () => Promise<void>): Promise<Gesture> {
  await page.waitForFunction(whole, undefined, { timeout: 120_000, polling: 'raf' });
  await page.evaluate('(() => { const p = window.__scrollProbe; p.stretches = []; p.since = 0; p.frames = 0; p.blankFrames = 0; })()');
  await act();
  const last = (await page.evaluate('performance.now()')) as number;
  await page.waitForFunction(whole, undefined, { timeout: 120_000, polling: 'raf' });
  const drawn = (await page.evaluate('performance.now()')) as number;
  const p = (await page.evaluate(`(() => { const p = window.__scrollProbe;
    const open = p.since ? [performance.now() - p.since] : [];
    return { stretches: [...p.stretches, ...open], frames: p.frames, blankFrames: p.blankFrames }; })()`)) as {
    stretches: number[]; frames: number; blankFrames: number;
  };
  return {
    name,
    drawnMs: Math.max(0, drawn - last),
    longestBlankMs: Math.max(0, ...p.stretches),
    blankMs: p.stretches.reduce((a, b) => a + b, 0),
    frames: p.frames,
    blankFrames: p.blankFrames,
  };
}

/**
 * Scrolling gestures on the loaded table, from the top: a fast wheel scroll (40 notches, 25 ms apart), PageDown held
 * (30 presses, 40 ms apart, the active row moving a page each), End, then a jump to the middle by the scroll bar.
 */
export async function scrollGestures(page: Page): Promise<Gesture[]> {
  await page.evaluate(PROBE);
  const grid = page.getByRole('grid', { name: 'Connections' });
  const out: Gesture[] = [];
  await grid.focus();
  await page.keyboard.press('Home');
  const box = await grid.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  out.push(
    await measure(page, 'fast wheel scroll (40 notches)', async () => {
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, 600);
        await page.waitForTimeout(25);
      }
    }),
  );
  await grid.focus();
  out.push(
    await measure(page, 'PageDown held (30 presses)', async () => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('PageDown');
        await page.waitForTimeout(40);
      }
    }),
  );
  out.push(await measure(page, 'End', () => page.keyboard.press('End')));
  out.push(await measure(page, 'Home', () => page.keyboard.press('Home')));
  out.push(
    await measure(page, 'scroll bar to 37%', () =>
      page.evaluate(`(() => { const el = document.querySelector('[data-testid="flow-table"]'); el.scrollTop = (el.scrollHeight - el.clientHeight) * 0.37; })()`),
    ),
  );
  return out;
}
