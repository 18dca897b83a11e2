// Two capture points with the SAME 4-tuple (a routed firewall without NAT, e.g. both interfaces of an ASA), and a
// capture split into consecutive files (ring buffer), through the real pipeline (analyzeSources). The second
// point is made from a real capture (tests/fixtures/closes, Linux loopback): the client's sequence numbers (and the
// server's acks of them) moved by a constant (ASA ISN randomisation, formats.md §2), the clock moved by a few µs,
// the same addresses, and one packet removed (dropped at the firewall).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources, connectionPackets, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { writePcap } from '../../src/export/pcap-writer';
import { SEEN_PRIMARY, SEEN_SECONDARY } from '../../src/model/packet-table';
import type { ConnectionReport } from '../../src/model/report';

const CLOSES = new URL('../fixtures/closes/', import.meta.url);

interface Frame { timeUs: number; data: Uint8Array; originalLength: number }

/** Frames of a classic little-endian pcap with µs or ns stamps and Ethernet frames (what the fixtures are). */
function readPcap(bytes: Uint8Array): { linkType: number; frames: Frame[] } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(0, true);
  expect([0xa1b2c3d4, 0xa1b23c4d]).toContain(magic);
  const div = magic === 0xa1b23c4d ? 1000 : 1;
  const frames: Frame[] = [];
  for (let at = 24; at + 16 <= bytes.length;) {
    const incl = v.getUint32(at + 8, true);
    frames.push({
      timeUs: v.getUint32(at, true) * 1e6 + v.getUint32(at + 4, true) / div,
      data: bytes.slice(at + 16, at + 16 + incl),
      originalLength: v.getUint32(at + 12, true),
    });
    at += 16 + incl;
  }
  return { linkType: v.getUint32(20, true), frames };
}

/** TCP header offset of an Ethernet/IPv4 frame. */
function tcpAt(d: Uint8Array): number {
  expect((d[12] << 8) | d[13]).toBe(0x0800);
  return 14 + (d[14] & 0x0f) * 4;
}
const be32 = (d: Uint8Array, at: number) => new DataView(d.buffer, d.byteOffset).getUint32(at);
const setBe32 = (d: Uint8Array, at: number, x: number) => new DataView(d.buffer, d.byteOffset).setUint32(at, x >>> 0);
const srcPort = (d: Uint8Array) => (d[tcpAt(d)] << 8) | d[tcpAt(d) + 1];
const isSyn = (d: Uint8Array) => (d[tcpAt(d) + 13] & 0x02) !== 0;

/**
 * The second point's copy: seq of packets from `fromPort` + delta (and the ack of the other direction, when ACK
 * is set), clock + clockUs, packet `drop` (index in `frames`) removed. Checksums are left as they are.
 */
function otherPoint(frames: Frame[], fromPort: number, delta: number, clockUs: number, drop: number): Frame[] {
  return frames.flatMap((f, i) => {
    if (i === drop) return [];
    const data = f.data.slice();
    const t = tcpAt(data);
    if (srcPort(data) === fromPort) setBe32(data, t + 4, be32(data, t + 4) + delta);
    else if (data[t + 13] & 0x10) setBe32(data, t + 8, be32(data, t + 8) + delta);
    return [{ ...f, data, timeUs: f.timeUs + clockUs }];
  });
}

const pcap = (name: string, linkType: number, frames: Frame[]) =>
  createBytesSource(name, writePcap(frames.map((f) => ({ ...f, linkType })), linkType));

function load(file: string) {
  return readPcap(new Uint8Array(readFileSync(new URL(file, CLOSES))));
}

/**
 * What must not change when a capture is seen from two points: everything but files/vantage, and the explanation
 * beyond its first part (the two points add what they show: the packets one of them saw alone).
 */
function core(r: ConnectionReport) {
  const close = r.close && { ...r.close, explanation: undefined };
  return { client: r.client, server: r.server, clientBy: r.clientBy, start: r.start, packets: r.packets, payloadBytes: r.payloadBytes, handshake: r.handshake, close };
}

function seenAt(s: AnalysisSession, id: string): number[] {
  const t = s.connections;
  return connectionPackets(s, id).map((p) => s.table.seenAt.get(t.row(Number(id), p.index)));
}

const BOTH = SEEN_PRIMARY | SEEN_SECONDARY;
const RANDOM = 0x9e3779b9; // the ASA's per-connection delta for the client's numbers

describe.each([
  // file, the packet the firewall dropped (index in the capture), its sender
  ['fin-then-rst-linger0.pcap', 4, 'server'], // the server's ACK of the request: seen inside only
  ['abort-mid-transfer.pcap', 5, 'server'], // a 16 KiB data segment of the server
])('two points, same 4-tuple: %s', (file, drop) => {
  const { linkType, frames } = load(file);
  const clientPort = srcPort(frames[0].data);
  const noSyn = frames.filter((f) => !isSyn(f.data));

  async function check(inside: Frame[], delta: number, dropAt: number) {
    const single = await analyzeSources([pcap('inside.pcap', linkType, inside)]);
    expect(single.reports.toArray()).toHaveLength(1);
    const outside = otherPoint(inside, clientPort, delta, 7, dropAt);
    const s = await analyzeSources([pcap('inside.pcap', linkType, inside), pcap('outside.pcap', linkType, outside)]);
    expect(s.reports.toArray()).toHaveLength(1);
    const m = s.reports.at(0)!;
    // Counts per direction are the real ones (not doubled), and the close is the inside point's.
    expect(core(m)).toEqual(core(single.reports.at(0)!));
    expect(m.close!.explanation.startsWith(single.reports.at(0)!.close!.explanation)).toBe(true);
    expect(m.packets.client + m.packets.server).toBe(inside.length);
    expect(m.files).toEqual(['inside.pcap', 'outside.pcap']);
    expect(m.vantage).toEqual({
      points: ['inside.pcap', 'outside.pcap'],
      dropped: [{ packet: dropAt, seenAt: 'inside.pcap', missingAt: 'outside.pcap' }],
      clockOffsetMs: expect.any(Number),
      clockOffsetRangeMs: expect.any(Array),
      clientSide: 0,
      endpoints: [{ client: m.client, server: m.server }, { client: m.client, server: m.server }],
      seqShift: { client: delta >>> 0, server: 0 },
    });
    // Every packet 7 µs later at the second point: the clocks differ by 7 µs (0 would make transit negative).
    expect(m.vantage!.clockOffsetMs).toBeCloseTo(0.007, 6);
    const seen = seenAt(s, m.id);
    expect(seen).toEqual(inside.map((_, i) => (i === dropAt ? SEEN_PRIMARY : BOTH)));
    // The timeline is the inside one: same frames, no duplicate flagged as a retransmission.
    const pk = connectionPackets(s, m.id);
    expect(pk.map((p) => p.frame)).toEqual(inside.map((_, i) => i + 1));
    expect(pk.every((p) => p.file === 'inside.pcap')).toBe(true);
    expect(pk.flatMap((p) => p.anomalies)).toEqual(connectionPackets(single, '0').flatMap((p) => p.anomalies));
    return s;
  }

  it('(1) ASA sequence randomisation, clock offset, one packet dropped', async () => {
    await check(frames, RANDOM, drop);
  });

  it('(2) the same without the SYNs (mid-stream captures)', async () => {
    await check(noSyn, RANDOM, drop - 2);
  });

  it('(3) the same with identical sequence numbers (randomisation off)', async () => {
    await check(frames, 0, drop);
    await check(noSyn, 0, drop - 2);
  });

  it('the outside point loaded first is the primary point: the dropped packet is still named', async () => {
    const outside = otherPoint(frames, clientPort, RANDOM, 7, drop);
    const s = await analyzeSources([pcap('outside.pcap', linkType, outside), pcap('inside.pcap', linkType, frames)]);
    expect(s.reports.toArray()).toHaveLength(1);
    const m = s.reports.at(0)!;
    expect(m.packets.client + m.packets.server).toBe(frames.length);
    expect(m.vantage!.dropped).toEqual([{ packet: drop, seenAt: 'inside.pcap', missingAt: 'outside.pcap' }]);
    // The inside-only packet joined the outside numbering: its seq (client numbers moved) sits in sequence.
    const pk = connectionPackets(s, m.id);
    expect(pk[drop].file).toBe('inside.pcap');
    expect(pk.filter((p) => p.anomalies.includes('retransmission'))).toEqual([]);
  });

  it('(4) a capture split into two consecutive files (same point) is one connection with every packet', async () => {
    const single = await analyzeSources([pcap('whole.pcap', linkType, frames)]);
    for (const cut of [1, Math.floor(frames.length / 2), frames.length - 1]) {
      const s = await analyzeSources([pcap('part1.pcap', linkType, frames.slice(0, cut)), pcap('part2.pcap', linkType, frames.slice(cut))]);
      expect(s.reports.toArray()).toHaveLength(1);
      const m = s.reports.at(0)!;
      expect(core(m)).toEqual(core(single.reports.at(0)!));
    expect(m.close!.explanation.startsWith(single.reports.at(0)!.close!.explanation)).toBe(true);
      expect(m.files).toEqual(['part1.pcap', 'part2.pcap']);
      expect(m.vantage).toBeUndefined();
      expect(connectionPackets(s, m.id).map((p) => `${p.file}#${p.frame}`)).toEqual(
        frames.map((_, i) => (i < cut ? `part1.pcap#${i + 1}` : `part2.pcap#${i - cut + 1}`)),
      );
    }
  });

  it('two points, each split into two files (loaded inside, inside, outside, outside)', async () => {
    const outside = otherPoint(frames, clientPort, RANDOM, 7, drop);
    const cut = Math.floor(frames.length / 2) + 1;
    const s = await analyzeSources([
      pcap('in-1.pcap', linkType, frames.slice(0, cut)), pcap('in-2.pcap', linkType, frames.slice(cut)),
      pcap('out-1.pcap', linkType, outside.slice(0, cut - 1)), pcap('out-2.pcap', linkType, outside.slice(cut - 1)),
    ]);
    expect(s.reports.toArray()).toHaveLength(1);
    const m = s.reports.at(0)!;
    expect(m.packets.client + m.packets.server).toBe(frames.length);
    expect(m.vantage!.dropped).toEqual([{ packet: drop, seenAt: 'in-1.pcap', missingAt: 'out-1.pcap' }]);
    expect(seenAt(s, m.id)).toEqual(frames.map((_, i) => (i === drop ? SEEN_PRIMARY : BOTH)));
  });
});

describe('same 4-tuple, several files: what stays apart', () => {
  const { linkType, frames } = load('port-reuse.pcap');

  it('a capture split between two reuses of a 4-tuple keeps both connections (and the reuse mark)', async () => {
    const single = await analyzeSources([pcap('whole.pcap', linkType, frames)]);
    expect(single.reports.toArray()).toHaveLength(2);
    // Cut right before the second connection's SYN.
    const second = frames.findIndex((f, i) => i > 0 && isSyn(f.data) && srcPort(f.data) === srcPort(frames[0].data));
    expect(second).toBeGreaterThan(0);
    const s = await analyzeSources([pcap('a.pcap', linkType, frames.slice(0, second)), pcap('b.pcap', linkType, frames.slice(second))]);
    expect(s.reports.toArray().map(core)).toEqual(single.reports.toArray().map(core));
  });

  it('the same file loaded twice is one connection seen at both "points", nothing dropped', async () => {
    const s = await analyzeSources([pcap('a.pcap', linkType, frames), pcap('b.pcap', linkType, frames)]);
    const single = await analyzeSources([pcap('a.pcap', linkType, frames)]);
    expect(s.reports.toArray().map(core)).toEqual(single.reports.toArray().map(core));
    for (const c of s.reports.toArray()) expect(c.vantage?.dropped).toEqual([]);
  });
});

describe('the close from both points follows the same rules as one point (analysis/close.ts)', () => {
  // A client's SYN sent three times (unanswered-syn.pcap), and the server's RST+ACK of refused.pcap answering the
  // third one (its ports and ack set to this connection's): the inside point saw the RST, the outside point did not.
  const syns = load('unanswered-syn.pcap');
  const refused = load('refused.pcap');
  const syn = syns.frames[2].data;
  const rst = refused.frames[1].data.slice();
  const t = tcpAt(rst);
  rst.set(syn.subarray(tcpAt(syn) + 2, tcpAt(syn) + 4), t); // from the SYN's destination port
  rst.set(syn.subarray(tcpAt(syn), tcpAt(syn) + 2), t + 2); // to its source port
  setBe32(rst, t + 8, be32(syn, tcpAt(syn) + 4) + 1); // acknowledging the SYN
  const inside = [...syns.frames, { ...refused.frames[1], data: rst, timeUs: syns.frames[2].timeUs + 10 }];
  const outside = otherPoint(inside, srcPort(syn), 0, 7, 3);

  it('a SYN whose RST only the inside point saw is refused, as the inside capture alone says', async () => {
    const alone = await analyzeSources([pcap('outside.pcap', syns.linkType, outside)]);
    expect(alone.reports.at(0)!.close!.kind).toBe('unanswered');
    const one = await analyzeSources([pcap('inside.pcap', syns.linkType, inside)]);
    expect(one.reports.at(0)!.close!.kind).toBe('refused');
    // The outside point loaded first is the primary point: its own packets say unanswered, both points refused.
    const s = await analyzeSources([pcap('outside.pcap', syns.linkType, outside), pcap('inside.pcap', syns.linkType, inside)]);
    expect(s.reports.toArray()).toHaveLength(1);
    const m = s.reports.at(0)!;
    expect(m.vantage!.dropped).toEqual([{ packet: 3, seenAt: 'inside.pcap', missingAt: 'outside.pcap' }]);
    expect(m.close).toMatchObject({ kind: 'refused', initiator: 'server', fin: { client: false, server: false }, rst: { client: false, server: true } });
    expect(m.close!.explanation.startsWith(one.reports.at(0)!.close!.explanation)).toBe(true);
    expect(s.summary.byKind).toEqual({ refused: 1 });
  });
});
