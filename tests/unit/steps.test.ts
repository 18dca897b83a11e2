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

/** Posts a message that calls `handle` when the thread takes it; returns the port to close. */
function messageWaiting(handle: () => void): MessagePort {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = handle;
  port2.postMessage(null);
  port2.close();
  return port1;
}

describe('steps', () => {
  it('give the same result at once and in slices', async () => {
    expect(runSteps(busy(5))).toBe(42);
    expect(await runSliced(busy(5), 1)).toBe(42);
  });

  it('in slices, let a task queued meanwhile run before the pass ends', async () => {
    // A message already waiting on a port, as a table query or Cancel reaches the worker. A timer would not show it:
    // Node may run many task hops before a 1 ms timer's turn.
    let ranAt = -1;
    let slicedEnd = -1;
    const t0 = performance.now();
    const waiting = messageWaiting(() => (ranAt = performance.now() - t0));
    await runSliced(busy(300), 20).then(() => (slicedEnd = performance.now() - t0));
    expect(ranAt).toBeGreaterThanOrEqual(0);
    expect(ranAt).toBeLessThan(slicedEnd);
    waiting.close();
    // At once, the same pass holds the thread: the message is handled only after it.
    let ranAfter = false;
    const after = messageWaiting(() => (ranAfter = true));
    runSteps(busy(50));
    expect(ranAfter).toBe(false);
    after.close();
  });
});
