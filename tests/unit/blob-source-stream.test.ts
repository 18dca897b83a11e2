// The Blob source reads through a BYOB stream reader where the Blob streams bytes (browsers, Node 20): every byte in
// order from any offset, full slices except the last, and each slice intact while the next two are read.
import { describe, expect, it } from 'vitest';
import { createBlobSource } from '../../src/lib/byte-source';

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

describe('createBlobSource slices', () => {
  it.each([[1 << 20, 65536], [300007, 16384], [70000, 1 << 20], [0, 4096]])('%i bytes in slices of %i', async (n, size) => {
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
});
