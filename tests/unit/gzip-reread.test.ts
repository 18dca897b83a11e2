// Re-reading bytes of a gzip input (src/lib/gzip-source.ts): any read gives the same bytes as slicing the
// decompressed data, reads in file order cost one decompression in all, and only a read before the bytes kept
// behind the reader's position starts over. Property-checked against the plain bytes.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { createGunzipSource } from '../../src/lib/gzip-source';
import { rng } from './seeded-random';

/** Compressible but not trivial data, and a source that counts how often it is read from the start. */
function fixture(n: number, keepBytes?: number) {
  const r = rng(7);
  const plain = new Uint8Array(n);
  for (let i = 0; i < n; i++) plain[i] = r() < 0.7 ? i & 0xff : (r() * 256) | 0;
  const gz = createBytesSource('x.gz', gzipSync(plain));
  let starts = 0;
  const counted: ByteSource = { ...gz, slices: (offset, size) => (starts++, gz.slices(offset, size)) };
  return { plain, source: createGunzipSource(counted, { keepBytes }), starts: () => starts };
}

it('reads in file order decompress once; a read far behind starts over; every read equals the plain bytes', async () => {
  const n = 12 * 1024 * 1024;
  const { plain, source, starts } = fixture(n);
  for (let at = 0; at < n; at += 500_009) {
    expect(await source.read(at, 1500)).toEqual(plain.subarray(at, at + 1500));
  }
  expect(starts()).toBe(1);
  // A little behind the position: still kept.
  expect(await source.read(n - 3_000_000, 100)).toEqual(plain.subarray(n - 3_000_000, n - 2_999_900));
  expect(starts()).toBe(1);
  // Far behind: from the start again.
  expect(await source.read(10, 20)).toEqual(plain.subarray(10, 30));
  expect(starts()).toBe(2);
  // Past the end: what there is.
  expect(await source.read(n - 5, 100)).toEqual(plain.subarray(n - 5));
  expect(await source.read(n + 10, 100)).toEqual(new Uint8Array(0));
});

it('any sequence of reads, concurrent or not, returns the plain bytes', async () => {
  // Little kept behind the position, so that reads both continue and start over.
  const n = 1024 * 1024;
  const { plain, source } = fixture(n, 128 * 1024);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: n + 10 }), fc.integer({ min: 0, max: 200_000 })), { minLength: 1, maxLength: 12 }), async (reads) => {
      const got = await Promise.all(reads.map(([at, len]) => source.read(at, len)));
      // Compared as Buffers: element-wise toEqual on 200 KB arrays is slow.
      got.forEach((g, k) => expect(Buffer.from(g).equals(plain.subarray(reads[k][0], reads[k][0] + reads[k][1]))).toBe(true));
    }),
    { numRuns: 30 },
  );
});
