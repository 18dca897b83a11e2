// The log decoder Worker's File reader (worker/blob-stream-source.ts): every byte once, in order, from any offset,
// in slices of the size asked for, each slice still whole while the next two are read (its buffer is reused after).
import { describe, expect, it } from 'vitest';
import { createBlobStreamSource } from '../../src/worker/blob-stream-source';

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) & 255);

describe('createBlobStreamSource', () => {
  it('gives every byte from the offset in full slices, each intact while the next two are read', async () => {
    for (const [n, slice, offset] of [[0, 16, 0], [1, 16, 0], [1000, 64, 0], [1000, 64, 37], [4096, 1024, 0], [70_000, 4096, 5000], [70_000, 65_536, 0]]) {
      const bytes = bytesOf(n);
      const source = createBlobStreamSource('f', new Blob([bytes]), slice);
      const got: Uint8Array[] = [];
      const copies: Uint8Array[] = [];
      for await (const s of source.slices(offset)) {
        got.push(s);
        copies.push(s.slice());
        // The slice two before this one is still what it was.
        if (got.length >= 3) expect(got[got.length - 3]).toEqual(copies[copies.length - 3]);
      }
      const all = new Uint8Array(copies.reduce((a, c) => a + c.length, 0));
      copies.reduce((at, c) => (all.set(c, at), at + c.length), 0);
      expect(all).toEqual(bytes.subarray(offset));
      // Every slice but the last is full.
      for (const c of copies.slice(0, -1)) expect(c.length).toBe(slice);
    }
  });

  it('reads single ranges as the Blob source does', async () => {
    const bytes = bytesOf(5000);
    const source = createBlobStreamSource('f', new Blob([bytes]), 1024);
    expect(await source.read(100, 50)).toEqual(bytes.subarray(100, 150));
    expect(source.size).toBe(5000);
  });

  it('stops reading when the reader stops early', async () => {
    const source = createBlobStreamSource('f', new Blob([bytesOf(100_000)]), 1000);
    let n = 0;
    for await (const s of source.slices()) if ((n += s.length) >= 3000) break;
    expect(n).toBe(3000);
  });
});
