import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createEngineSession } from '../../src/engine/session';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { readFramesAt } from '../../src/engine/export-frames';
import { readPacketBytes } from '../../src/engine/packet-rows';
import { createBytesSource } from '../../src/lib/byte-source';
import type { LadderPacket } from '../../src/engine/api';
import { longConnectionPcapBytes } from '../../bench/hostile/long-connection';
import { entryAt, hexLines, lastAtOrBefore, packetCells, rowOfMark, rowOfPacket, type ListMark } from '../../src/render/packet-list';

// The packet list's rows come from the worker a page at a time (issue 16): every page must say what the ladder says.
const plain = (p: LadderPacket) => {
  const { seenAt: _s, points: _p, tls: _t, ...rest } = p;
  return rest;
};

/** The records of a little-endian µs pcap: [record data offset, caplen]. */
function pcapRecords(b: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let o = 24; o + 16 <= b.length;) {
    const cap = b.readUInt32LE(o + 8);
    out.push([o + 16, cap]);
    o += 16 + cap;
  }
  return out;
}

describe('packet list pages', () => {
  it('gives the ladder\'s packets, window scaled as the ladder scales it (a real Linux handshake, WS 10)', async () => {
    const s = createEngineSession();
    await s.load([{ kind: 'bytes', name: 'clean.pcap', bytes: readFileSync('tests/fixtures/closes/clean-client-first.pcap') }], {});
    const ladder = (await s.ladder({ row: 0 }))!;
    const page = (await s.packetPage({ row: 0, from: 0, count: 100 }))!;
    expect(page.total).toBe(ladder.totalPackets);
    expect(page.packets.map(plain)).toEqual(ladder.packets.map(plain));
    // The third packet (the handshake's ACK) is the first scaled one: field × 1024 as tshark's tcp.window_size.
    expect(page.packets[2].windowShift).toBe(10);
    expect(page.packets[0].windowShift).toBe(0);
    // Any range is the same slice.
    const mid = (await s.packetPage({ row: 0, from: 3, count: 2 }))!;
    expect(mid.packets.map(plain)).toEqual(ladder.packets.slice(3, 5).map(plain));
    expect((await s.packetPage({ row: 0, from: 999, count: 5 }))!.packets).toEqual([]);
    expect(await s.packetPage({ row: 5, from: 0, count: 5 })).toBeNull();
  });

  it('serves any window of a connection of 120,006 packets, and places times in it', async () => {
    const s = createEngineSession();
    await s.load([{ kind: 'bytes', name: 'long.pcap', bytes: longConnectionPcapBytes(120_000) }], {});
    const ladder = (await s.ladder({ row: 0, limit: 4000 }))!;
    expect(ladder.totalPackets).toBe(120_006);
    const from = ladder.packets[0].index;
    const page = (await s.packetPage({ row: 0, from, count: 2000 }))!;
    expect(page.packets.map(plain)).toEqual(ladder.packets.slice(0, 2000).map(plain));
    // At most 2,000 a request, however many are asked for.
    expect((await s.packetPage({ row: 0, from: 0, count: 1e9 }))!.packets.length).toBe(2000);
    const start = (await s.packetPage({ row: 0, from: 0, count: 4 }))!;
    expect(start.packets.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    const t = start.packets.map((p) => p.timeUs);
    const placed = (await s.packetPage({ row: 0, from: 0, count: 0, times: [t[0] - 1, t[0], t[2], 9e18] }))!;
    expect(placed.before).toEqual([-1, lastAtOrBefore(start.packets, t[0]), lastAtOrBefore(start.packets, t[2]), 120_005]);
  });

  for (const gz of [false, true]) {
    it(`reads a packet's bytes again from the file, exactly as captured${gz ? ' (gzip input)' : ''}`, async () => {
      const file = readFileSync('tests/fixtures/closes/clean-client-first.pcap');
      const s = createEngineSession();
      await s.load([{ kind: 'bytes', name: 'clean.pcap', bytes: gz ? gzipSync(file) : file }], {});
      const records = pcapRecords(file);
      for (const k of [0, 3, records.length - 1]) {
        const b = (await s.packetBytes(0, k))!;
        const [at, cap] = records[k];
        expect(b.frame).toBe(k + 1);
        expect(b.file).toBe('clean.pcap');
        expect(Buffer.from(b.bytes).equals(file.subarray(at, at + cap))).toBe(true);
        expect(b.originalLength).toBe(file.readUInt32LE(at - 4));
      }
      expect(await s.packetBytes(0, 999)).toBeNull();
      expect(await s.packetBytes(9, 0)).toBeNull();
    });
  }

  it('reads a pcap record in place as the walk from the start reads it (big-endian, nanoseconds, VLAN/MPLS)', async () => {
    for (const f of ['ppp__nanosecs_big_endian.pcap', 'zeek__mixed-vlan-mpls.pcap', 'ppp__frag_http_req.pcap']) {
      const source = createBytesSource(f, new Uint8Array(readFileSync(`tests/fixtures/captures/${f}`)));
      const s = await analyzeSources([source]);
      let checked = 0;
      for (let row = 0; row < s.reports.packetCount; row++) {
        const i = s.reports.connIndex(row);
        for (let k = 0; k < s.connections.rowCount(i); k++) {
          const got = (await readPacketBytes(s, [source], row, k))!;
          const [walked] = await readFramesAt(source, 'pcap', 0, [s.table.recordOffset.get(s.connections.row(i, k))]);
          expect([got.linkType, got.originalLength, [...got.bytes]], `${f} ${row}/${k}`).toEqual([walked.linkType, walked.originalLength, [...walked.data]]);
          checked++;
        }
      }
      expect(checked, f).toBeGreaterThan(0);
    }
  });

  it('has no bytes for capture text', async () => {
    const s = createEngineSession();
    await s.load([{ kind: 'text', name: 'inside.txt', text: readFileSync('tests/fixtures/seed/inside-capture.txt', 'utf8') }], { date: '2018-06-20' });
    expect(await s.packetBytes(0, 0)).toBeNull();
    expect((await s.packetPage({ row: 0, from: 0, count: 10 }))!.packets.length).toBeGreaterThan(0);
  });
});

describe('packet list rows', () => {
  const mark = (after: number): ListMark => ({ kind: 'teardown', timeUs: 0, text: 'Teardown', detail: '', after });

  it('puts each firewall event right after its packet, and finds every row again', () => {
    const marks = [mark(-1), mark(2), mark(2), mark(7)];
    const rows = Array.from({ length: 14 }, (_, v) => entryAt(v, marks));
    expect(rows.map((e) => (e.type === 'mark' ? `m${e.mark}` : e.index))).toEqual(['m0', 0, 1, 2, 'm1', 'm2', 3, 4, 5, 6, 7, 'm3', 8, 9]);
    for (let i = 0; i < 10; i++) expect(entryAt(rowOfPacket(i, marks), marks)).toEqual({ type: 'packet', index: i });
    for (let j = 0; j < marks.length; j++) expect(entryAt(rowOfMark(j, marks), marks)).toEqual({ type: 'mark', mark: j });
  });

  it('writes cells as the ladder does', () => {
    const p: LadderPacket = { index: 4, timeUs: 1_000_045_179, fromClient: false, flags: 0x14, relSeq: 2, relAck: 2, payloadLength: 0, window: 64, windowShift: 10, anomalies: ['rst-after-close'] };
    const names = { client: 'client', server: 'server' };
    expect(packetCells(p, 1_000_000_000, 's', names)).toEqual({
      time: '+0.045179 s', direction: 'server → client', flags: 'RST ACK', seq: '2', ack: '2', len: '0', win: '65536', anomalies: 'rst after close',
    });
    const raw = packetCells({ ...p, flags: 0x04, windowShift: undefined }, 1_000_000_000, 'ms', names);
    expect(raw).toMatchObject({ time: '+45.179 ms', ack: '', win: '64 raw' });
  });

  it('dumps bytes as hex and ASCII, 16 or 8 a line', () => {
    const b = new Uint8Array([...Buffer.from('GET / HTTP/1.1\r\n'), 0, 255, 0x41]);
    expect(hexLines(b)).toEqual([
      '0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..',
      '0010  00 ff 41                                          ..A',
    ]);
    expect(hexLines(b, 8)[2]).toBe('0010  00 ff 41                 ..A');
  });
});
