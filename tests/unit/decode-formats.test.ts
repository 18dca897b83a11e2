/** pcap / pcapng / gzip containers on hand-built files: every variant the corpus lacks, and damage. */
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unitsToUs } from '../../src/decode/pcapng';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { createGunzipSource } from '../../src/lib/gzip-source';
import { decodeSource } from './decode-corpus-helpers';
import { cat, epb, ethernet, idb, ipv4, ipv6, le32, option, pb, pcapFile, shb, spb, tcpHeader } from './decode-builders';
import { decodeInput } from '../../src/decode/index';
import { createProblemLog } from '../../src/model/problems';
import { FORMAT_ENTRIES } from '../../src/decode/formats';
import { FORMATS } from '../../src/model/formats';

const frame = (sport: number) => ethernet(0x0800, ipv4(tcpHeader({ sport, payload: 3 })));
const decode = (name: string, bytes: Uint8Array) => decodeSource(createBytesSource(name, bytes));

describe('classic pcap', () => {
  for (const le of [true, false]) {
    for (const kind of ['usec', 'nsec', 'kuznetzov'] as const) {
      it(`${le ? 'little' : 'big'}-endian ${kind}`, async () => {
        const file = pcapFile(
          [
            { data: frame(1), sec: 1700000000, frac: kind === 'nsec' ? 123456789 : 123456 },
            { data: frame(2), sec: 1700000001, frac: 5 },
          ],
          { le, nano: kind === 'nsec', kuznetzov: kind === 'kuznetzov' },
        );
        const { rows, report } = await decode('x.pcap', file);
        expect(report.format).toBe('pcap');
        expect(report.errors).toEqual([]);
        expect(rows.map((r) => [r.frame, r.sport])).toEqual([[1, 1], [2, 2]]);
        expect(rows[0].timeUs).toBeCloseTo(kind === 'nsec' ? 1700000000123456.789 : 1700000000123456, 3);
        expect(rows[1].timeUs).toBe(1700000001e6 + (kind === 'nsec' ? 0.005 : 5));
      });
    }
  }
  it('link type is the low 16 bits; with the FCS bit the FCS is cut off', async () => {
    const data = cat(frame(9).subarray(0, 14), ipv4(tcpHeader({ sport: 9 }), { total: 0 }), [1, 2, 3, 4]); // TSO: frame length counts
    const file = pcapFile([{ data }], { linkType: 0x04000001 | (2 << 28) });
    const { rows, report } = await decode('fcs.pcap', file);
    expect(report.linkTypes).toEqual([1]);
    expect(rows[0].len).toBe(0);
  });
  it('an absurd record length stops with a Problem at its byte offset, keeping earlier packets', async () => {
    const file = pcapFile([{ data: frame(1) }, { data: frame(2) }]);
    const second = 24 + 16 + frame(1).length;
    file.set(le32(300000), second + 8);
    const { rows, report } = await decode('bad.pcap', file);
    expect(rows.map((r) => r.sport)).toEqual([1]);
    expect(report.errors).toMatchObject([{ file: 'bad.pcap', offset: second }]);
  });
  it('a file cut inside a record: a warning with the record offset', async () => {
    const file = pcapFile([{ data: frame(1) }, { data: frame(2) }]);
    const { rows, report } = await decode('cut.pcap', file.subarray(0, file.length - 10));
    expect(rows).toHaveLength(1);
    expect(report.warnings).toMatchObject([{ file: 'cut.pcap', offset: 24 + 16 + frame(1).length }]);
  });
  it('an unsupported link type is counted and warned about once, with an offset', async () => {
    const { report } = await decode('lt.pcap', pcapFile([{ data: frame(1) }, { data: frame(2) }], { linkType: 147 }));
    expect(report.skipped).toEqual({ 'link-type 147': 2 });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatchObject({ offset: 24 });
  });
});

describe('pcapng', () => {
  it('sections of both byte orders; interface ids restart per section; link type per interface', async () => {
    const v6 = (sport: number) => ipv6(tcpHeader({ sport }));
    const file = cat(
      shb(true), idb(1, true), idb(101, true),
      epb(1, 1000000n, v6(1), true), epb(0, 2000000n, frame(2), true),
      shb(false), idb(101, false), idb(1, false),
      epb(0, 3000000n, v6(3), false), epb(1, 4000000n, frame(4), false),
      pb(1, 5000000n, frame(5), false), spb(v6(6), false),
    );
    const { rows, report } = await decode('multi.pcapng', file);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.format).toBe('pcapng');
    expect(report.linkTypes).toEqual([1, 101]);
    // SPB uses the section's first interface (101 here) and has no timestamp.
    expect(rows.map((r) => [r.frame, r.sport, r.timeUs])).toEqual([[1, 1, 1e6], [2, 2, 2e6], [3, 3, 3e6], [4, 4, 4e6], [5, 5, 5e6], [6, 6, 0]]);
  });
  it('if_tsresol (power of 10 and of 2), if_tsoffset, if_fcslen', async () => {
    const file = cat(
      shb(),
      idb(1, true, [option(9, [9])]),
      idb(1, true, [option(9, [0x80 | 10]), option(14, [...le32(100), ...le32(0)])]),
      idb(1, true, [option(13, [4])]),
      epb(0, 1700000000123456789n, frame(1)),
      epb(1, 1024n * 5n + 512n, frame(2)),
      epb(2, 7n, cat(frame(3), [0xde, 0xad, 0xbe, 0xef])),
    );
    const { rows, report } = await decode('res.pcapng', file);
    expect(report.warnings).toEqual([]);
    expect(rows[0].timeUs).toBeCloseTo(1700000000123456.789, 0);
    expect(rows[1].timeUs).toBe(105.5e6);
    expect(rows[2].len).toBe(3);
  });
  it('unknown, NRB, ISB, DSB blocks are skipped; custom blocks are numbered as tshark does', async () => {
    const file = cat(
      shb(), idb(1),
      (() => { const b = idb(1); b.set(le32(4), 0); return b; })(), // an NRB-typed body: skipped
      cat(le32(0x0a), le32(20), le32(0x544c534b), le32(0), le32(20)), // DSB
      cat(le32(0xbad), le32(16), le32(32473), le32(16)), // custom block: frame 1
      cat(le32(0x1234), le32(12), le32(12)),
      epb(0, 1n, frame(7)),
    );
    const { rows, report } = await decode('skip.pcapng', file);
    expect(report.errors).toEqual([]);
    expect(rows.map((r) => [r.frame, r.sport])).toEqual([[2, 7]]);
    expect(report.packets).toBe(2);
  });
  it('bad block lengths and trailers name the byte offset and keep earlier packets', async () => {
    const good = cat(shb(), idb(1), epb(0, 1n, frame(1)));
    const second = epb(0, 2n, frame(2));
    for (const [what, mutate] of [
      ['not a multiple of 4', (b: Uint8Array) => b.set(le32(second.length + 2), 4)],
      ['too short', (b: Uint8Array) => b.set(le32(8), 4)],
      ['trailer differs', (b: Uint8Array) => b.set(le32(second.length + 4), b.length - 4)],
    ] as const) {
      const bad = second.slice();
      mutate(bad);
      const { rows, report } = await decode('dmg.pcapng', cat(good, bad, epb(0, 3n, frame(3))));
      expect(rows.map((r) => r.sport), what).toEqual([1]);
      expect(report.errors, what).toMatchObject([{ file: 'dmg.pcapng', offset: good.length }]);
    }
  });
  it('a packet block naming a missing interface, or with a captured length past its block, is skipped with a warning', async () => {
    const over = epb(0, 1n, frame(2));
    over.set(le32(1000), 20);
    const { rows, report } = await decode('w.pcapng', cat(shb(), idb(1), epb(5, 1n, frame(1)), over, epb(0, 1n, frame(3))));
    expect(rows.map((r) => r.sport)).toEqual([3]);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings.every((w) => typeof w.offset === 'number')).toBe(true);
  });
  it('unitsToUs is exact against BigInt arithmetic', () => {
    for (const [ts, units] of [[1700000000123456789n, 1e9], [0xffffffffffffffffn, 1e9], [123456789012345n, 1e6], [987654321n, 1024]] as const) {
      const hi = Number(ts >> 32n);
      const lo = Number(ts & 0xffffffffn);
      const u = BigInt(units);
      const want = Number(ts / u) * 1e6 + (Number(ts % u) * 1e6) / units;
      expect(unitsToUs(hi, lo, units, 0)).toBe(want);
    }
  });
});

describe('gzip and sniffing', () => {
  const plain = pcapFile([{ data: frame(1) }, { data: frame(2) }]);
  it('gzip is found by magic, decompressed as a stream, sniffed again', async () => {
    const { rows, report } = await decode('capture.bin', gzipSync(plain));
    expect(report).toMatchObject({ gzip: true, format: 'pcap', bytes: plain.length });
    expect(rows).toHaveLength(2);
  });
  it('a truncated gzip keeps what decompressed and reports the decompressed offset', async () => {
    const big = pcapFile(Array.from({ length: 2000 }, (_, i) => ({ data: frame(i) })));
    const gz = gzipSync(big, { level: 1 });
    const { rows, report } = await decode('t.pcap.gz', gz.subarray(0, gz.length >> 1));
    expect(rows.length).toBeGreaterThan(10);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].offset).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(2000);
  });
  it('gzip read(offset) re-decompresses and returns the right bytes', async () => {
    const src = createGunzipSource(createBytesSource('x.gz', gzipSync(plain)));
    expect([...(await src.read(24, 16))]).toEqual([...plain.subarray(24, 40)]);
  });
  it('the file name never decides the format', async () => {
    const { report } = await decode('really.pcapng', plain);
    expect(report.format).toBe('pcap');
  });
  it('an empty input and random text are clear errors naming the file', async () => {
    expect((await decode('empty.pcap', new Uint8Array(0))).report.errors).toMatchObject([
      { file: 'empty.pcap', offset: 0, message: 'not a capture or log Teardown can read: the input is empty' },
    ]);
    const text = new TextEncoder().encode('Snoopy was here\n');
    const e = (await decode('note.txt', text)).report.errors;
    expect(e[0].message).toMatch(/^not a capture or log Teardown can read: starts with bytes 53 6e 6f 6f 70 79 20 77 \.\.\.$/);
  });
  it('reports progress and honours cancellation between slices', async () => {
    const big = pcapFile(Array.from({ length: 3000 }, (_, i) => ({ data: frame(i) })));
    const sliced: ByteSource = { ...createBytesSource('s.pcap', big), slices: (o) => createBytesSource('s', big).slices(o, 4096) };
    const seen: number[] = [];
    let n = 0;
    const report = await decodeInput(sliced, 0, { segments: { segment: () => void n++ } }, {
      problems: createProblemLog('s.pcap'),
      onProgress: (b) => seen.push(b),
      isCancelled: () => seen.length >= 3,
    });
    expect(seen.slice(0, 3)).toEqual([4096, 8192, 12288]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(3000);
    expect(report.warnings[0].message).toMatch(/cancelled/);
  });
});

describe('the registry', () => {
  it('a format has a framer exactly when its packets are re-read by offset, and is then told by its magic', () => {
    const framed = FORMAT_ENTRIES.filter((e) => e.framer).map((e) => e.info.name);
    expect(framed).toEqual(Object.values(FORMATS).filter((f) => f.rereadable).map((f) => f.name));
    for (const e of FORMAT_ENTRIES.filter((x) => x.framer)) expect([e.magic !== undefined, e.decode]).toEqual([true, undefined]);
  });
});

describe('decodedSource', () => {
  it('gives the decompressed bytes of a gzip input, so recordOffset re-reads work', async () => {
    const { decodedSource } = await import('../../src/decode/index');
    const plain = pcapFile([{ data: frame(1) }, { data: frame(2) }]);
    const { rows } = await decode('g.pcap.gz', gzipSync(plain));
    const src = await decodedSource(createBytesSource('g.pcap.gz', gzipSync(plain)));
    const rec = await src.read(rows[1].recordOffset, 16 + frame(2).length);
    expect([...rec.subarray(16)]).toEqual([...frame(2)]);
    expect(await decodedSource(createBytesSource('p', plain))).toBeTruthy();
  });
});
