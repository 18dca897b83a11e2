/**
 * readRecords asks for the next slice before it walks the current one (reads overlap parsing).
 * These check what that must not change: records across slice boundaries, a read failure after
 * the first slice, and an early stop that leaves a read in flight (the source is still closed).
 */
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/lib/byte-source';
import { readRecords, type RecordFramer } from '../../src/lib/record-stream';

/** Records of 1 length byte + that many bytes; a length of 255 stops the walk. */
class LengthFramer implements RecordFramer {
  headerLength = 1;
  got: number[][] = [];
  truncations: number[] = [];
  recordLength(b: Uint8Array, off: number): number {
    return b[off] === 255 ? -1 : 1 + b[off];
  }
  record(b: Uint8Array, off: number, len: number): boolean {
    this.got.push([...b.subarray(off + 1, off + len)]);
    return true;
  }
  truncated(abs: number): void {
    this.truncations.push(abs);
  }
}

/** A source handing out the given slices asynchronously, recording how far it was driven. */
function slicedSource(slices: Uint8Array[], failAt = -1) {
  const log = { asked: 0, closed: false };
  const source: ByteSource = {
    name: 'test',
    size: undefined,
    async *slices() {
      try {
        for (let i = 0; i < slices.length; i++) {
          log.asked = i + 1;
          await new Promise((r) => setTimeout(r, 1));
          if (i === failAt) throw new Error(`read failed at slice ${i}`);
          yield slices[i];
        }
      } finally {
        log.closed = true;
      }
    },
    async read() {
      return new Uint8Array(0);
    },
  };
  return { source, log };
}

describe('readRecords with read-ahead', () => {
  it('joins records across slices and reads every slice', async () => {
    const bytes = [3, 1, 2, 3, 0, 2, 9, 8, 1, 7];
    const slices = [new Uint8Array(bytes.slice(0, 2)), new Uint8Array(bytes.slice(2, 7)), new Uint8Array(bytes.slice(7))];
    const { source, log } = slicedSource(slices);
    const f = new LengthFramer();
    const r = await readRecords(source, f, {});
    expect(f.got).toEqual([[1, 2, 3], [], [9, 8], [7]]);
    expect(r).toEqual({ bytes: 10, stopped: false, cancelled: false });
    expect(log.closed).toBe(true);
  });

  it('propagates a read failure after the records before it', async () => {
    const { source, log } = slicedSource([new Uint8Array([1, 5]), new Uint8Array([1, 6]), new Uint8Array([1, 7])], 1);
    const f = new LengthFramer();
    await expect(readRecords(source, f, {})).rejects.toThrow('read failed at slice 1');
    expect(f.got).toEqual([[5]]);
    expect(log.closed).toBe(true);
  });

  it('stops at damage with the next read in flight, and closes the source', async () => {
    const { source, log } = slicedSource([new Uint8Array([1, 5, 255]), new Uint8Array([1, 6]), new Uint8Array([1, 7])]);
    const f = new LengthFramer();
    const r = await readRecords(source, f, {});
    expect(r).toEqual({ bytes: 2, stopped: true, cancelled: false });
    expect(f.got).toEqual([[5]]);
    expect(log.asked).toBe(2); // the read-ahead of slice 2 only, not slice 3
    expect(log.closed).toBe(true);
  });

  it('a stop while a failing read is in flight reports the stop, not the read failure', async () => {
    const { source, log } = slicedSource([new Uint8Array([1, 5, 255]), new Uint8Array([1, 6])], 1);
    const f = new LengthFramer();
    const r = await readRecords(source, f, {});
    expect(r.stopped).toBe(true);
    expect(log.closed).toBe(true);
  });

  it('reports a record cut by the end of the stream', async () => {
    const { source } = slicedSource([new Uint8Array([1, 5, 4]), new Uint8Array([1])]);
    const f = new LengthFramer();
    const r = await readRecords(source, f, {});
    expect(f.got).toEqual([[5]]);
    expect(f.truncations).toEqual([2]);
    expect(r.bytes).toBe(4);
  });
});
