/**
 * Long passes written once as generators that `yield` now and then (every few tens of thousands of items), run two
 * ways: to the end at once (the command line), or in slices of about SLICE_MS with the message loop let in between
 * (the worker: a table query or a scroll sent meanwhile is answered between two slices instead of after the pass).
 */

/** Work between two looks at the clock: a pass yields every STEP items. */
export const STEP = 1 << 15;
/** Work per slice before the worker lets its messages in. */
export const SLICE_MS = 40;

export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` to the end without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

interface Port {
  onmessage: (() => void) | null;
  postMessage(m: null): void;
  close(): void;
}
/** MessageChannel of the browser and Node (the core compiles without DOM types). */
const Channel = (globalThis as { MessageChannel?: new () => { port1: Port; port2: Port } }).MessageChannel;

/**
 * Resolves in a later task: messages already queued (a table query, Cancel) are handled first. Through a
 * MessageChannel where there is one: browsers hold a timer set again and again from timers back to 4 ms, about 0.4 s
 * over the hundred 8 MiB reads of an 850 MB log (lib/byte-source.ts); a message waits for no clock.
 */
export const nextTask = (): Promise<void> =>
  new Promise<void>((ok) => {
    if (!Channel) return void setTimeout(ok, 0);
    const { port1, port2 } = new Channel();
    port1.onmessage = () => {
      port1.close();
      ok();
    };
    port2.postMessage(null);
  });

/** Runs `steps` in slices of about `sliceMs`, a task boundary between two. */
export async function runSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let since = Date.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (Date.now() - since >= sliceMs) {
      await nextTask();
      since = Date.now();
    }
  }
}
