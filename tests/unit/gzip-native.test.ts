// Gzip inputs with Node's zlib as the inflater (src/cli/native-gunzip.ts, the command line's): every gzip test
// again with it installed, and the two inflaters compared on intact, multi-member, damaged, truncated and trailing
// bytes read in slices of many sizes: the same bytes out, then the same GzipDataError (message, offset, atEnd), but
// where fflate drops a stored block's bytes before the damage and zlib keeps them (src/cli/native-gunzip.ts).
// (Tiny slices are in hostile-gzip.test.ts: each is a round trip to zlib's thread, slow on a loaded machine.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { nativeInflate, useNativeGunzip } from '../../src/cli/native-gunzip';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { fflateInflate, GzipDataError, type Inflate } from '../../src/lib/gzip-source';
import './hostile-gzip.test';
import './gzip-reread.test';
import './engine-gzip-reread.test';
import './decode-formats.test';

// The imported tests run after this line, with zlib inflating.
useNativeGunzip();

async function run(inflate: Inflate, source: ByteSource) {
  const parts: Uint8Array[] = [];
  let error: { message: string; offset: number; atEnd: boolean } | null = null;
  try {
    for await (const c of inflate(source)) parts.push(c.slice());
  } catch (e) {
    if (!(e instanceof GzipDataError)) throw e;
    error = { message: e.message, offset: e.decompressedOffset, atEnd: e.atEnd };
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return { out, error };
}

/** Where two byte arrays first differ (-1: equal); toEqual walks big arrays a byte at a time, far too slowly. */
const firstDiff = (a: Uint8Array, b: Uint8Array) => {
  if (Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)) return -1;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

const concat = (parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return all;
};

describe('zlib inflates as fflate', () => {
  it('the same bytes and the same error on any gzip file, in any slices', async () => {
    const damage = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('tail' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8000 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        damage,
        fc.oneof(fc.integer({ min: 64, max: 9000 }), fc.constant(0)),
        async (members, seed, hurt, slice) => {
          let s = seed;
          const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
          const plains = members.map(([n]) => Uint8Array.from({ length: n }, (_, i) => (next() < 180 ? i & 0x3f : next())));
          const gz = concat(members.map(([, level], k) => gzipSync(plains[k], { level: level as 0 })));
          let bytes = gz;
          if (hurt.kind === 'flip') (bytes = gz.slice())[Math.floor(hurt.at * (gz.length - 1))] ^= 1 << hurt.bit;
          if (hurt.kind === 'cut') bytes = gz.subarray(0, Math.floor(hurt.at * gz.length));
          if (hurt.kind === 'tail') bytes = concat([gz, hurt.bytes]);
          const plain = createBytesSource('x.gz', bytes);
          const source: ByteSource = slice ? { ...plain, slices: (offset) => plain.slices(offset, slice) } : plain;
          const ours = await run(nativeInflate, source);
          const theirs = await run(fflateInflate, source);
          // Equal, except where fflate drops a stored block's bytes before the damage (a file cut inside the block,
          // or damage after it): zlib keeps them and places the same error after them.
          expect(firstDiff(ours.out.subarray(0, theirs.out.length), theirs.out)).toBe(-1);
          if (ours.out.length > theirs.out.length) {
            expect(hurt.kind).not.toBe('none');
            if (hurt.kind === 'cut') expect(firstDiff(ours.out, concat(plains).subarray(0, ours.out.length))).toBe(-1);
            expect(ours.error).toEqual({ ...theirs.error, offset: ours.out.length });
          } else {
            expect(ours.out.length).toBe(theirs.out.length);
            expect(ours.error).toEqual(theirs.error);
          }
          if (hurt.kind === 'none') {
            expect(ours.error).toBeNull();
            expect(firstDiff(ours.out, concat(plains))).toBe(-1);
          }
        },
      ),
      // First two counterexamples found: a file cut inside a stored block; a stored block's final bit cleared.
      { numRuns: 150, examples: [[[[2, 0], [0, 1]], 1, { kind: 'cut', at: 0.35555555555555557 }, 64], [[[3759, 0], [1896, 0]], 1, { kind: 'flip', at: 0.002631578947368421, bit: 0 }, 65]] },
    );
  }, 120_000);

  it('a file of several MiB comes out whole in chunks of at most 1 MiB', async () => {
    const plain = Uint8Array.from({ length: 9 << 20 }, (_, i) => (i * 2654435761) >>> 24);
    const sizes: number[] = [];
    const parts: Uint8Array[] = [];
    for await (const c of nativeInflate(createBytesSource('big.gz', gzipSync(plain, { level: 1 })))) {
      sizes.push(c.length);
      parts.push(c.slice());
    }
    expect(firstDiff(concat(parts), plain)).toBe(-1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1 << 20);
  }, 30_000);
});
