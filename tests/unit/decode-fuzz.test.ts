/**
 * Damaged input: property tests and a seeded mutation fuzzer over fixture captures (bit flips,
 * truncation, random record/block lengths, spliced garbage, random slice boundaries). Checked:
 * no exception escapes, decoding ends quickly, every Problem names the file and a byte offset,
 * and every packet whose record lies wholly before the first damaged byte decodes identically.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { decodeSource, type Row } from './decode-corpus-helpers';
import { cpuMs } from './cpu-time';

const fixtures = resolve(__dirname, '../fixtures/captures');
const FILES = [
  'zeek__tcp-options.pcap', // LE µs
  'ppp__nanosecs_big_endian.pcap', // BE ns
  'tcpdump__pptp.pcap', // BE µs, GRE
  // 3 big-endian sections (SPB, custom blocks) then a little-endian section with TCP.
  'pcapngtest__output_be-difficult-test202.pcapng+zeek__vlan-pcp-dei.pcapng',
  'ppp__many_interfaces-1.pcapng', // 11 interfaces, 3 link types
  'zeek__vlan-pcp-dei.pcapng',
];
const load = (f: string) => new Uint8Array(Buffer.concat(f.split('+').map((p) => readFileSync(join(fixtures, p)))));

/** Start and end of every record/block, walking the intact file. */
function records(bytes: Uint8Array): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x0a && bytes[1] === 0x0d) {
    let le = true;
    for (let p = 0; p + 12 <= bytes.length; ) {
      if (dv.getUint32(p) === 0x0a0d0d0a) le = dv.getUint32(p + 8, true) === 0x1a2b3c4d;
      const len = dv.getUint32(p + 4, le);
      out.push({ start: p, end: p + len });
      p += len;
    }
  } else {
    const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
    out.push({ start: 0, end: 24 });
    for (let p = 24; p + 16 <= bytes.length; ) {
      const len = 16 + dv.getUint32(p + 8, le);
      out.push({ start: p, end: p + len });
      p += len;
    }
  }
  return out;
}

/** A source handing out slices of the given sizes (cycled), to move the straddling points around. */
function sliced(name: string, bytes: Uint8Array, sizes: number[]): ByteSource {
  const base = createBytesSource(name, bytes);
  return {
    ...base,
    async *slices(offset = 0) {
      let i = 0;
      for (let at = offset; at < bytes.length; ) {
        const n = sizes[i++ % sizes.length];
        yield bytes.subarray(at, Math.min(bytes.length, at + n));
        at += n;
      }
    },
  };
}

async function check(name: string, clean: Row[], cleanRecords: { start: number; end: number }[], damaged: Uint8Array, firstBad: number, sizes?: number[]) {
  const source = sizes ? sliced(name, damaged, sizes) : createBytesSource(name, damaged);
  const { value: { rows, report }, ms } = await cpuMs(() => decodeSource(source));
  expect(ms).toBeLessThan(10_000); // "no hang"
  for (const p of [...report.errors, ...report.warnings]) {
    expect(p.file).toBe(name);
    expect(typeof p.offset).toBe('number');
  }
  // Records wholly before the damage: their frames decode the same.
  const safeEnd = cleanRecords.filter((r) => r.end <= firstBad).reduce((m, r) => Math.max(m, r.end), 0);
  const safe = new Set(clean.filter((r) => recordEnd(cleanRecords, r) <= safeEnd).map((r) => r.frame));
  const got = new Map(rows.map((r) => [r.frame, r]));
  for (const r of clean) {
    if (!safe.has(r.frame)) continue;
    expect(got.get(r.frame)).toEqual(r);
    safeCompared++;
  }
}

/** Packets checked as "before the damage" (so the property cannot pass vacuously). */
let safeCompared = 0;

const recordEnd = (recs: { start: number; end: number }[], r: Row) =>
  recs.find((x) => x.start === r.recordOffset)?.end ?? Infinity;

describe('mutation fuzzer over fixture captures', () => {
  for (const file of FILES) {
    it(file, async () => {
      const bytes = load(file);
      const recs = records(bytes);
      const { rows: clean, report } = await decodeSource(createBytesSource(file, bytes));
      expect(report.errors).toEqual([]);
      expect(clean.length).toBeGreaterThan(0);

      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(bytes.length - 1), bit: fc.nat(7) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(bytes.length - 1) }),
        fc.record({ kind: fc.constant('length' as const), rec: fc.nat(recs.length - 1), value: fc.oneof(fc.nat(), fc.nat(300), fc.constant(0xffffffff)) }),
        fc.record({ kind: fc.constant('splice' as const), at: fc.nat(bytes.length - 1), garbage: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
      );
      await fc.assert(
        fc.asyncProperty(mutation, fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 4 }), async (m, sizes) => {
          let damaged: Uint8Array;
          let firstBad: number;
          if (m.kind === 'flip') {
            damaged = bytes.slice();
            damaged[m.at] ^= 1 << m.bit;
            firstBad = m.at;
          } else if (m.kind === 'truncate') {
            damaged = bytes.slice(0, m.at);
            firstBad = m.at;
          } else if (m.kind === 'length') {
            damaged = bytes.slice();
            const r = recs[m.rec];
            const at = r.start === 0 && !file.endsWith('.pcapng') ? 16 : r.start + (file.endsWith('.pcapng') ? 4 : 8);
            new DataView(damaged.buffer).setUint32(at, m.value >>> 0, (m.value & 1) === 0);
            firstBad = at;
          } else {
            damaged = new Uint8Array([...bytes.subarray(0, m.at), ...m.garbage, ...bytes.subarray(m.at)]);
            firstBad = m.at;
          }
          await check(file, clean, recs, damaged, firstBad, sizes);
        }),
        { seed: 20240601, numRuns: 60 },
      );
      expect(safeCompared).toBeGreaterThan(0);
      safeCompared = 0;
    });
  }

  it('gzip: damaged compressed data never throws and problems carry offsets', async () => {
    const gz = gzipSync(load('zeek__tcp-options.pcap'));
    await fc.assert(
      fc.asyncProperty(fc.nat(gz.length - 1), fc.nat(7), fc.boolean(), async (at, bit, cut) => {
        const damaged = cut ? gz.slice(0, at) : gz.slice();
        if (!cut) damaged[at] ^= 1 << bit;
        const { report } = await decodeSource(createBytesSource('z.pcap.gz', damaged));
        for (const p of [...report.errors, ...report.warnings]) {
          expect(p.file).toBe('z.pcap.gz');
          expect(typeof p.offset).toBe('number');
        }
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('random bytes after a valid header (pcap and pcapng) terminate with problems, never throw', async () => {
    const heads = [load('zeek__tcp-options.pcap').subarray(0, 24), load('zeek__vlan-pcp-dei.pcapng').subarray(0, 28)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 4000 }), async (head, tail) => {
        const { report } = await decodeSource(createBytesSource('r', new Uint8Array([...head, ...tail])));
        for (const p of [...report.errors, ...report.warnings]) expect(typeof p.offset).toBe('number');
      }),
      { seed: 99, numRuns: 100 },
    );
  });
});

describe('slicing never changes the result', () => {
  it('any slice sizes give the same rows as one slice', async () => {
    const bytes = load('ppp__many_interfaces-1.pcapng');
    const whole = await decodeWithOffsets('m', bytes);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }), async (sizes) => {
        expect(await decodeWithOffsets('m', bytes, sizes)).toEqual(whole);
      }),
      { seed: 3, numRuns: 40 },
    );
  });
});

async function decodeWithOffsets(name: string, bytes: Uint8Array, sizes?: number[]): Promise<Row[]> {
  return (await decodeSource(sizes ? sliced(name, bytes, sizes) : createBytesSource(name, bytes))).rows;
}
