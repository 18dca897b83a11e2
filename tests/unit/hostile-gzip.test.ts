// Issue 15 item 11: a damaged byte inside a .pcap.gz that still inflates changed a clean close into fin-then-rst without
// a word. The gzip trailer's CRC-32 (and length) are now checked and a mismatch is reported naming the file.
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
    expect(s.report.inputs[0].errors).toEqual([]);
  });

  it('a damaged byte that still inflates is reported, naming the file, and the packets are kept', async () => {
    const gz = gzipSync(new Uint8Array(PCAP), { level: 0 }); // stored blocks: any data byte can change and still inflate
    const bad = gz.slice();
    bad[Math.floor(gz.length / 2)] ^= 0x04;
    const good = await analyzeSources([createBytesSource('good.pcap.gz', gz)]);
    const s = await analyzeSources([createBytesSource('damaged.pcap.gz', bad)]);
    const problems = [...s.report.inputs[0].errors, ...s.report.inputs[0].warnings];
    expect(problems.map((p) => p.message).join(' ')).toMatch(/gzip check failed: the decompressed data's CRC-32 is [0-9a-f]{8}, the file says/);
    expect(problems[0].file).toBe('damaged.pcap.gz');
    expect(s.report.inputs[0].packets).toBe(good.report.inputs[0].packets);
  });
});
