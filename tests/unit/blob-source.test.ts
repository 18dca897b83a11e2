// The Blob source reads with Blob.slice().arrayBuffer(), a few reads ahead, each a whole number of slices: every byte in order from any offset,
// full slices except the last, never more than `ahead` reads in flight, and a read that fails or never settles ends
// the input with the file's name and byte offset instead of waiting for ever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBlobSource, type BlobLike } from '../../src/lib/byte-source';

/** Equal bytes (a loop: the matcher's deep equality is slow on megabytes). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytes(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
}

/**
 * A Blob over `data` whose reads are settled by the test: each slice().arrayBuffer() is queued with its range, and
 * `settle` resolves (or rejects, or leaves hanging) the oldest. Counts the reads in flight.
 */
function fakeBlob(data: Uint8Array) {
  const queue: { from: number; to: number; resolve(b: ArrayBuffer): void; reject(e: Error): void }[] = [];
  const state = { inFlight: 0, maxInFlight: 0, asked: [] as [number, number][] };
  const blob: BlobLike = {
    size: data.length,
    slice(from = 0, to = data.length) {
      return {
        arrayBuffer: () =>
          new Promise<ArrayBuffer>((resolve, reject) => {
            state.asked.push([from, to]);
            state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
            queue.push({ from, to, resolve, reject });
          }),
      };
    },
  };
  /** Settles the oldest read: its bytes, or fails it with `error`. */
  const settle = (error?: Error) => {
    const r = queue.shift()!;
    state.inFlight--;
    if (error) r.reject(error);
    else r.resolve(data.slice(r.from, r.to).buffer);
  };
  return { blob, state, queue, settle };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('createBlobSource slices', () => {
  it.each([[1 << 20, 65536], [300007, 16384], [70000, 1 << 20], [0, 4096]])('%i bytes in slices of %i (a real Blob)', async (n, size) => {
    const data = bytes(n);
    const src = createBlobSource('x', new Blob([data]));
    for (const offset of [0, 1, Math.floor(n / 3)]) {
      if (offset > n) continue;
      const seen: Uint8Array[] = [];
      const copies: Uint8Array[] = [];
      for await (const s of src.slices(offset, size)) {
        seen.push(s);
        copies.push(s.slice());
        // The slice two back is still what it was when it came.
        if (seen.length >= 3) expect(same(seen[seen.length - 3], copies[copies.length - 3])).toBe(true);
      }
      const all = new Uint8Array(copies.reduce((a, c) => a + c.length, 0));
      let at = 0;
      for (const c of copies) {
        all.set(c, at);
        at += c.length;
      }
      expect(same(all, data.subarray(offset))).toBe(true);
      for (const c of copies.slice(0, -1)) expect(c.length).toBe(size);
    }
    expect(await src.read(5, 10)).toEqual(data.subarray(5, 15));
  });

  it('yields slices in file order when reads settle out of order, with at most `ahead` reads in flight', async () => {
    const data = bytes(10_000);
    const f = fakeBlob(data);
    const it = createBlobSource('f', f.blob, { ahead: 3, readSize: 1000 }).slices(0, 1000)[Symbol.asyncIterator]();
    const got: Uint8Array[] = [];
    let next = it.next();
    for (;;) {
      await tick();
      expect(f.state.inFlight).toBeLessThanOrEqual(3);
      // Settle the newest read first, then the others: the source must still yield in order.
      if (f.queue.length) {
        const last = f.queue.pop()!;
        f.queue.unshift(last);
        f.settle();
        continue;
      }
      const r = await next;
      if (r.done) break;
      got.push(r.value.slice());
      next = it.next();
    }
    expect(f.state.maxInFlight).toBe(3);
    expect(f.state.asked.map(([a]) => a)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(same(new Uint8Array(got.flatMap((g) => [...g])), data)).toBe(true);
  });

  it('reads a whole number of slices at a time and hands them out as views, in order', async () => {
    const data = bytes(10_500);
    const f = fakeBlob(data);
    const got: number[] = [];
    const all: Uint8Array[] = [];
    const done = (async () => {
      for await (const s of createBlobSource('f', f.blob, { ahead: 2, readSize: 4500 }).slices(500, 1000)) {
        got.push(s.length);
        all.push(s.slice());
      }
    })();
    while (f.state.asked.length < 3 || f.queue.length) {
      await tick();
      if (f.queue.length) f.settle();
    }
    await done;
    expect(f.state.asked).toEqual([[500, 4500], [4500, 8500], [8500, 10500]]);
    expect(f.state.maxInFlight).toBe(2);
    expect(got).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
    expect(same(new Uint8Array(all.flatMap((g) => [...g])), data.subarray(500))).toBe(true);
  });

  it('lets the thread take a task between reads even when every read has already settled (a Cancel message)', async () => {
    const data = bytes(20_000);
    const blob: BlobLike = { size: data.length, slice: (a = 0, b = data.length) => ({ arrayBuffer: async () => data.slice(a, b).buffer }) };
    // A message already waiting, as the engine worker's Cancel would (a port's message, not a timer: Node may run many
    // message tasks in one turn of its loop before a timer's turn comes, which made a setTimeout here fail by chance).
    let ticked = false;
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      ticked = true;
      port1.close();
    };
    port2.postMessage(null);
    let seenBeforeEnd = false;
    for await (const _ of createBlobSource('f', blob, { readSize: 1000 }).slices(0, 1000)) seenBeforeEnd ||= ticked;
    expect(seenBeforeEnd).toBe(true);
  });

  it('a failed read ends the slices with the file name and byte range', async () => {
    const f = fakeBlob(bytes(5000));
    const it = createBlobSource('big.log', f.blob, { ahead: 2, readSize: 1000 }).slices(0, 1000)[Symbol.asyncIterator]();
    const first = it.next();
    await tick();
    f.settle();
    expect((await first).value?.length).toBe(1000);
    const second = it.next();
    await tick();
    f.settle(new Error('NotReadableError'));
    await expect(second).rejects.toThrow('big.log: reading bytes 1000-2000 failed: NotReadableError');
  });

  it('a read that never settles fails after the timeout, naming the file and offset', async () => {
    vi.useFakeTimers();
    const f = fakeBlob(bytes(5000));
    const src = createBlobSource('u5m.log', f.blob, { ahead: 2, readSize: 1000, timeoutMs: 30_000 });
    const it = src.slices(2000, 1000)[Symbol.asyncIterator]();
    const first = it.next();
    let failure: unknown = null;
    first.catch((e: unknown) => (failure = e));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(failure).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(String(failure)).toContain('u5m.log: reading bytes 2000-3000 did not finish within 30 s');
    // read() of one range has the same bound.
    const one = src.read(4500, 1000);
    const check = expect(one).rejects.toThrow('u5m.log: reading bytes 4500-5000 did not finish');
    await vi.advanceTimersByTimeAsync(30_000);
    await check;
  });
});
