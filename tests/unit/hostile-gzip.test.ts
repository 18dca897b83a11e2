// Issue 15 item 11: a damaged byte inside a .pcap.gz that still inflates changed a clean close into fin-then-rst without
// a word. The gzip trailer's CRC-32 (and length) are now checked and a mismatch is reported naming the file, in every
// member of a concatenated (multi-member) file too.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 as zlibCrc32, gzipSync as zlibGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { crc32 } from '../../src/lib/crc32';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';

const PCAP = readFileSync(join(resolve(__dirname, '../fixtures/captures'), 'zeek__tcp-options.pcap'));

describe('gzip integrity', () => {
  it('crc32 matches zlib on any bytes, in any pieces', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(3000), (b, cut) => {
        const k = Math.min(cut, b.length);
        expect(crc32(b.subarray(k), crc32(b.subarray(0, k)))).toBe((zlibCrc32 as (d: Uint8Array) => number)(b));
      }),
      { numRuns: 500 },
    );
  });

  it('an intact gzip reads with no problem', async () => {
    const s = await analyzeSources([createBytesSource('ok.pcap.gz', new Uint8Array(zlibGzip(PCAP)))]);
    expect(s.inputs[0].errors).toEqual([]);
  });

  it('a damaged byte that still inflates is reported, naming the file, and the packets are kept', async () => {
    const gz = gzipSync(new Uint8Array(PCAP), { level: 0 }); // stored blocks: any data byte can change and still inflate
    const bad = gz.slice();
    bad[Math.floor(gz.length / 2)] ^= 0x04;
    const good = await analyzeSources([createBytesSource('good.pcap.gz', gz)]);
    const s = await analyzeSources([createBytesSource('damaged.pcap.gz', bad)]);
    const problems = [...s.inputs[0].errors, ...s.inputs[0].warnings];
    expect(problems.map((p) => p.message).join(' ')).toMatch(/gzip check failed: the decompressed data's CRC-32 is [0-9a-f]{8}, the file says/);
    expect(problems[0].file).toBe('damaged.pcap.gz');
    expect(s.inputs[0].packets).toBe(good.inputs[0].packets);
  });

  /** A source that hands out slices of `size` bytes. */
  const sliced = (name: string, bytes: Uint8Array, size?: number) => {
    const s = createBytesSource(name, bytes);
    return size ? { ...s, slices: (offset = 0) => s.slices(offset, size) } : s;
  };
  // Three members, as `cat a.gz b.gz c.gz` makes; read in slices of several sizes so trailers and headers straddle them.
  const members = (damage: number | null) => {
    const cut = [0, 150, 330, PCAP.length];
    const parts = cut.slice(1).map((end, k) => {
      const gz = gzipSync(new Uint8Array(PCAP.subarray(cut[k], end)), { level: 0 });
      if (damage === k) gz[Math.floor(gz.length / 2)] ^= 0x04;
      return gz;
    });
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    return all;
  };

  it('an intact multi-member gzip reads whole with no problem, in any slice size', async () => {
    const plain = await analyzeSources([createBytesSource('plain.pcap', new Uint8Array(PCAP))]);
    for (const size of [5, 7, 64, 4096, undefined]) {
      const s = await analyzeSources([sliced('three.pcap.gz', members(null), size)]);
      expect(s.inputs[0].errors, `slices of ${size}`).toEqual([]);
      expect(s.inputs[0].warnings, `slices of ${size}`).toEqual([]);
      expect(s.inputs[0].packets).toBe(plain.inputs[0].packets);
    }
  });

  it('a damaged byte in a middle member is reported, naming the member, and the packets are kept', async () => {
    const good = await analyzeSources([createBytesSource('three.pcap.gz', members(null))]);
    for (const size of [7, 4096, undefined]) {
      const s = await analyzeSources([sliced('damaged.pcap.gz', members(1), size)]);
      const problems = [...s.inputs[0].errors, ...s.inputs[0].warnings].map((p) => p.message).join(' ');
      expect(problems, `slices of ${size}`).toMatch(/gzip check failed \(member 2 of the concatenated file\): the decompressed data's CRC-32 is/);
      expect(s.inputs[0].packets).toBe(good.inputs[0].packets);
    }
  });
});
