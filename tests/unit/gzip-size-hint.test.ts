// lib/gzip-source.ts sizeHint: the decompressed size of a gzip input told from its last member's trailer (ISIZE),
// which the command line uses to choose its threads for a gzipped log by the lines it holds, not its compressed size.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { createBytesSource } from '../../src/lib/byte-source';
import { sizeHint } from '../../src/lib/gzip-source';

const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `line ${i} Built outbound TCP connection ${i * 7}\n`).join(''));

describe('sizeHint', () => {
  it('tells a single-member gzip file its decompressed size exactly', async () => {
    for (const n of [0, 1, 1000, 50_000]) {
      const raw = text(n);
      const gz = gzipSync(raw);
      if (n >= 1000) expect(gz.length * 5).toBeLessThan(raw.length); // the case that matters: far more decompressed
      expect(await sizeHint(createBytesSource('a.log.gz', gz))).toBe(Math.max(raw.length, gz.length));
    }
  });

  it('is never below the compressed size: several members tell only the last one', async () => {
    const big = gzipSync(text(40_000));
    const small = gzipSync(Buffer.from('x\n'));
    const both = Buffer.concat([big, small]);
    expect(await sizeHint(createBytesSource('two.gz', both))).toBe(both.length);
    const smallFirst = Buffer.concat([small, big]);
    expect(await sizeHint(createBytesSource('two.gz', smallFirst))).toBe(text(40_000).length);
  });

  it('gives the size of an input that is not gzip, or too short to have a trailer', async () => {
    const plain = text(100);
    expect(await sizeHint(createBytesSource('plain.log', plain))).toBe(plain.length);
    const stub = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]);
    expect(await sizeHint(createBytesSource('stub.gz', stub))).toBe(stub.length);
    const unknown = { ...createBytesSource('-', plain), size: undefined };
    expect(await sizeHint(unknown)).toBeUndefined();
  });
});
