// Long passes as steps (src/lib/steps.ts): the same result run at once or in slices, and in slices other tasks (a
// table query reaching the worker) run before the pass ends.
import { describe, expect, it } from 'vitest';
import { runSliced, runSteps, type Steps } from '../../src/lib/steps';

/** A pass of `steps` steps of at least 1 ms each: in slices of 20 ms it reaches a slice's end within 20 steps, however
 * long the machine makes it wait (a pass timed by the clock alone could end inside its first slice on a loaded one). */
function* busy(steps: number): Steps<number> {
  for (let i = 0; i < steps; i++) {
    const end = performance.now() + 1;
    while (performance.now() < end);
    yield;
  }
  return 42;
}

describe('steps', () => {
  it('give the same result at once and in slices', async () => {
    expect(runSteps(busy(5))).toBe(42);
    expect(await runSliced(busy(5), 1)).toBe(42);
  });

  it('in slices, let a task queued meanwhile run before the pass ends', async () => {
    let ranAt = -1;
    let slicedEnd = -1;
    const t0 = performance.now();
    setTimeout(() => (ranAt = performance.now() - t0), 0);
    await runSliced(busy(300), 20).then(() => (slicedEnd = performance.now() - t0));
    expect(ranAt).toBeGreaterThanOrEqual(0);
    expect(ranAt).toBeLessThan(slicedEnd);
    // At once, the same pass holds the thread: the timer runs only after it.
    let ranAfter = false;
    setTimeout(() => (ranAfter = true), 0);
    runSteps(busy(50));
    expect(ranAfter).toBe(false);
  });
});
