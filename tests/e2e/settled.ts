// Waiting for a page's layout to settle, instead of a fixed pause before measuring or a screenshot: the ladder's fit
// to the close, a scroll into view and a type-size switch each land a frame or more after the element that triggers
// them shows, and a loaded machine draws frames late (a fixed 300 ms pause assumed it would not).
import type { Page } from 'playwright-core';

/**
 * Resolves once the boxes of `selector`'s elements and the scroll positions of every scroller have stayed the same
 * over `frames` frames in a row and at least `ms` milliseconds: any change starts the count again. A page that never
 * settles (an animation) is given up on after `within` ms, and the caller's checks say what is wrong.
 */
export async function settled(page: Page, selector = 'svg, [data-testid], [role="row"]', frames = 5, ms = 200, within = 15_000): Promise<void> {
  const gaveUp = await page.evaluate(
    ({ selector, frames, ms, within }) =>
      new Promise<number>((done) => {
        const look = () => {
          const parts: number[] = [];
          for (const e of document.querySelectorAll(selector)) {
            const r = e.getBoundingClientRect();
            parts.push(r.x, r.y, r.width, r.height);
          }
          for (const e of document.querySelectorAll('*')) if (e.scrollTop || e.scrollLeft) parts.push(e.scrollTop, e.scrollLeft);
          return parts.join(',');
        };
        let last = look();
        let same = 0;
        const start = performance.now();
        let since = start;
        const frame = () => {
          const now = look();
          if (now !== last) {
            last = now;
            same = 0;
            since = performance.now();
          } else same++;
          if (same >= frames && performance.now() - since >= ms) done(0);
          else if (performance.now() - start > within) done(within);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { selector, frames, ms, within },
  );
  if (gaveUp) console.warn(`settled: the layout still moved after ${gaveUp} ms`);
}
