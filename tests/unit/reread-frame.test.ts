import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { readFramesAt, readFramesFrom } from '../../src/engine/export-frames';
import { rereadFrame } from '../../src/engine/reread-frame';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { isRereadable } from '../../src/model/formats';

// One packet read again for the UI (engine/reread-frame.ts) is read at its record, after the few bytes its format's
// prelude names (decode/formats.ts), never by a walk from the start of a plain capture: each must be the frame a walk
// of the whole file finds at that offset, and the re-read must not read the file up to it.

const fixture = (f: string) => new Uint8Array(readFileSync(`tests/fixtures/captures/${f}`));

/** A source that counts the bytes it hands out. */
function counted(name: string, bytes: Uint8Array): ByteSource & { taken: number } {
  const inner = createBytesSource(name, bytes);
  const src = {
    name,
    size: inner.size,
    taken: 0,
    async *slices(from?: number, sliceSize?: number) {
      for await (const s of inner.slices(from, sliceSize)) {
        src.taken += s.length;
        yield s;
      }
    },
    async read(o: number, n: number) {
      const b = await inner.read(o, n);
      src.taken += b.length;
      return b;
    },
  };
  return src;
}

/** Every (entry, packet index, record offset) of the session's captured connections, in flow-table order. */
function packetsOf(s: AnalysisSession): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let e = 0; e < s.reports.packetCount; e++) {
    const i = s.reports.connIndex(e);
    for (let k = 0; k < s.connections.rowCount(i); k++) out.push([e, k, s.table.recordOffset.get(s.connections.row(i, k))]);
  }
  return out;
}

/** Re-reads `which` packets of a one-input analysis of `bytes` (as `stored`) and compares each with the walk's frame. */
async function check(name: string, bytes: Uint8Array, stored: Uint8Array, which: (n: number) => number[]) {
  const s = await analyzeSources([createBytesSource(name, stored)]);
  const format = s.inputs[0].format;
  expect(isRereadable(format), name).toBe(true);
  if (!isRereadable(format)) return [];
  const all = packetsOf(s);
  expect(all.length, name).toBeGreaterThan(2);
  const plain = createBytesSource(name, bytes);
  const reads: { offset: number; taken: number }[] = [];
  for (const n of which(all.length)) {
    const [e, k, offset] = all[n];
    const src = counted(name, stored);
    const got = (await rereadFrame(s, [src], e, k))!;
    const [walked] = await readFramesAt(plain, format, 0, [offset]);
    expect(walked, `${name} packet ${n}`).toBeDefined();
    const { data, linkType, timeUs, originalLength } = got.frame;
    expect({ data: [...data], linkType, timeUs, originalLength, at: got.frame.recordOffset }, `${name} packet ${n}`).toEqual({
      data: [...walked.data], linkType: walked.linkType, timeUs: walked.timeUs, originalLength: walked.originalLength, at: offset,
    });
    reads.push({ offset, taken: src.taken });
  }
  return reads;
}

const ends = (n: number) => [0, n >> 1, n - 1];
const every = (n: number) => Array.from({ length: n }, (_, k) => k);

describe('re-reading one packet', () => {
  it('reads a pcap record after the file header alone, at the start, middle and end', async () => {
    for (const f of ['ppp__nanosecs_big_endian.pcap', 'zeek__mixed-vlan-mpls.pcap', 'zeek__tcp-reassembly.pcap']) {
      const b = fixture(f);
      for (const r of await check(f, b, b, ends)) expect(r.taken, `${f} at ${r.offset}`).toBeLessThanOrEqual(2 + 24 + (b.length - r.offset));
    }
  });

  it('reads a pcapng block after its section header and interfaces: several sections, byte orders and interfaces', async () => {
    // Three files one after the other are one pcapng of five sections: eleven interfaces (many_interfaces), three
    // big-endian sections with interfaces between packets and other blocks (test202), then TCP on two interfaces,
    // the second declared among the packets (pcapng-example).
    const parts = ['ppp__many_interfaces-1.pcapng', 'pcapngtest__output_be-difficult-test202.pcapng', 'ppp__pcapng-example.pcapng'].map(fixture);
    const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (whole.set(p, at), at + p.length), 0);
    const reads = await check('sections.pcapng', whole, whole, every);
    const last = parts[0].length + parts[1].length;
    const inLast = reads.filter((r) => r.offset >= last);
    expect(inLast.length).toBeGreaterThan(0);
    // A packet of the last section is read with its section's blocks only, not the two sections before it.
    for (const r of inLast) expect(r.taken, `at ${r.offset}`).toBeLessThanOrEqual(2 + parts[2].length);
  });

  it('walks a gzipped capture (no index into the stream) and finds the same frames', async () => {
    for (const f of ['ppp__pcapng-example.pcapng', 'zeek__tcp-reassembly.pcap']) {
      const b = fixture(f);
      await check(`${f}.gz`, b, new Uint8Array(gzipSync(b)), ends);
    }
  });
});

describe('re-reading many packets from the first of them on', () => {
  it('finds the frames of a later section as the walk from the start does, reading only from the first', async () => {
    const parts = ['ppp__many_interfaces-1.pcapng', 'pcapngtest__output_be-difficult-test202.pcapng', 'ppp__pcapng-example.pcapng'].map(fixture);
    const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (whole.set(p, at), at + p.length), 0);
    const s = await analyzeSources([createBytesSource('sections.pcapng', whole)]);
    const from = parts[0].length; // the test202 sections and the last one: interfaces met on the way
    const offsets = packetsOf(s).map(([, , o]) => o).filter((o) => o >= from);
    expect(offsets.length).toBeGreaterThan(50);
    const src = counted('sections.pcapng', whole);
    const got = await readFramesFrom(s, src, 'pcapng', 0, offsets);
    const walked = await readFramesAt(createBytesSource('sections.pcapng', whole), 'pcapng', 0, offsets);
    expect(got.map((f) => [f.recordOffset, f.linkType, f.timeUs, f.originalLength, [...f.data]])).toEqual(
      walked.map((f) => [f.recordOffset, f.linkType, f.timeUs, f.originalLength, [...f.data]]));
    // From the first wanted record (in the last section) on, after that section's header and interface blocks.
    const first = Math.min(...offsets);
    expect(first).toBeGreaterThanOrEqual(from + parts[1].length);
    expect(src.taken).toBeLessThan(whole.length - from);
    expect(src.taken).toBeLessThanOrEqual(2 + whole.length - first + 1024);
  });
});
