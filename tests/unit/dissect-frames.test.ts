/** Dissectors on hand-built frames, for the cases the corpus lacks or to pin a rule down. */
import { describe, expect, it } from 'vitest';
import { FrameDissector } from '../../src/dissect/frame-dissector';
import type { TcpSegment } from '../../src/model/segment';
import { rowOf, type Row } from './decode-corpus-helpers';
import { be16, be32, cat, ethernet, ipv4, ipv6, le32, tcpHeader } from './decode-builders';

function dissect(linkType: number, frame: Uint8Array, wire = frame.length) {
  const rows: (Row & { seg: Omit<TcpSegment, 'payload' | 'srcAddr' | 'dstAddr' | 'sackBlocks'> & { payload: number[]; sack: number[] } })[] = [];
  const d = new FrameDissector({ segment: (s) => rows.push({ ...rowOf(s), seg: { ...s, payload: [...(s.payload ?? [])], sack: [...s.sackBlocks.subarray(0, 2 * s.sackCount)] } }) }, 3);
  d.frame(linkType, 5, frame, 0, 1, wire);
  const skipped: Record<string, number> = {};
  d.addSkipped(skipped);
  return { row: rows[0], skipped };
}

/** Several frames (numbered from 1) through one dissector, as one input. */
function dissectAll(linkType: number, frames: Uint8Array[]) {
  const rows: (Row & { frame: number; seg: { payload: number[] } })[] = [];
  const d = new FrameDissector({ segment: (s) => rows.push({ ...rowOf(s), frame: s.frame, seg: { payload: [...(s.payload ?? [])] } }) }, 3);
  frames.forEach((f, k) => d.frame(linkType, 5 + k, f, 100 * k, k + 1, f.length));
  const skipped: Record<string, number> = {};
  d.addSkipped(skipped);
  return { rows, skipped };
}

const TCP = tcpHeader({ sport: 1234, dport: 80, seq: 0xfffffff0, ack: 7, flags: 0x012, window: 0xffff, payload: 5 });

describe('link layers', () => {
  it('Ethernet -> IPv4 -> TCP', () => {
    const { row } = dissect(1, ethernet(0x0800, ipv4(TCP)));
    expect(row).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, seq: 0xfffffff0, ack: 7, flags: 0x12, win: 0xffff, len: 5 });
    expect(row.seg.input).toBe(3);
    expect(row.seg.payload).toEqual([0x61, 0x61, 0x61, 0x61, 0x61]);
  });
  it('QinQ (0x88a8) + 802.1Q + MPLS label stack (2 labels) -> IPv4', () => {
    const mpls = cat([0, 1, 0, 64], [0, 2, 1, 64]); // second label has bottom-of-stack
    const frame = ethernet(0x88a8, cat(be16(100), be16(0x8100), be16(200), be16(0x8847), mpls, ipv4(TCP)));
    expect(dissect(1, frame).row).toMatchObject({ sport: 1234, len: 5 });
  });
  it('legacy 0x9100 stacked tags and MPLS -> IPv6 by version nibble', () => {
    const frame = ethernet(0x9100, cat(be16(1), be16(0x9100), be16(2), be16(0x8848), [0, 3, 1, 9], ipv6(TCP)));
    expect(dissect(1, frame).row).toMatchObject({ src: '2001:db8::1', dst: '2001:db8::2', len: 5 });
  });
  it('802.3 length with LLC/SNAP -> IPv4; other LLC is non-ip', () => {
    const ip = ipv4(TCP);
    expect(dissect(1, ethernet(8 + ip.length, cat([0xaa, 0xaa, 3, 0, 0, 0], be16(0x0800), ip))).row.sport).toBe(1234);
    expect(dissect(1, ethernet(40, cat([0x42, 0x42, 3], new Array(37).fill(0)))).skipped).toEqual({ 'non-ip': 1 });
  });
  it('PPPoE session with a compressed PPP protocol field, bounded by the PPPoE length', () => {
    const ip = ipv4(TCP);
    const frame = ethernet(0x8864, cat([0x11, 0, 0, 1], be16(1 + ip.length), [0x21], ip, [0, 0, 0, 0]));
    expect(dissect(1, frame).row.len).toBe(5);
  });
  it('NULL: address family in either byte order; 24/28/30 are IPv6', () => {
    expect(dissect(0, cat([2, 0, 0, 0], ipv4(TCP))).row.sport).toBe(1234);
    expect(dissect(0, cat([0, 0, 0, 2], ipv4(TCP))).row.sport).toBe(1234);
    for (const af of [24, 28, 30]) expect(dissect(0, cat(le32(af), ipv6(TCP))).row.src).toBe('2001:db8::1');
    expect(dissect(0, cat(be32(30), ipv6(TCP))).row.src).toBe('2001:db8::1');
    expect(dissect(0, cat(le32(23), ipv4(TCP))).skipped).toEqual({ 'non-ip': 1 });
  });
  it('LOOP: big-endian address family', () => {
    expect(dissect(108, cat(be32(2), ipv4(TCP))).row.sport).toBe(1234);
    expect(dissect(108, cat(be32(24), ipv6(TCP))).row.src).toBe('2001:db8::1');
  });
  it('RAW 101 / historic 12 and 14 by version nibble; 228 IPv4; 229 IPv6', () => {
    for (const lt of [101, 12, 14]) {
      expect(dissect(lt, ipv4(TCP)).row.src).toBe('10.0.0.1');
      expect(dissect(lt, ipv6(TCP)).row.src).toBe('2001:db8::1');
    }
    expect(dissect(228, ipv4(TCP)).row.src).toBe('10.0.0.1');
    expect(dissect(229, ipv6(TCP)).row.src).toBe('2001:db8::1');
  });
  it('Linux SLL (16 bytes) and SLL2 (20 bytes)', () => {
    const sll = cat(be16(0), be16(1), be16(6), [1, 2, 3, 4, 5, 6, 0, 0], be16(0x86dd), ipv6(TCP));
    expect(dissect(113, sll).row.src).toBe('2001:db8::1');
    const sll2 = cat(be16(0x0800), be16(0), be32(2), be16(1), [4, 6], [1, 2, 3, 4, 5, 6, 0, 0], ipv4(TCP));
    expect(dissect(276, sll2).row.src).toBe('10.0.0.1');
    const netlink = cat(be16(0x0800), be16(0), be32(2), be16(824), [4, 0], new Array(8).fill(0), ipv4(TCP));
    expect(dissect(276, netlink).skipped).toEqual({ 'non-ip': 1 });
  });
  it('PPP with and without ff 03; PPP_HDLC; Cisco HDLC', () => {
    expect(dissect(9, cat([0xff, 3, 0, 0x21], ipv4(TCP))).row.src).toBe('10.0.0.1');
    expect(dissect(9, cat([0, 0x57], ipv6(TCP))).row.src).toBe('2001:db8::1');
    expect(dissect(50, cat([0xff, 3, 0, 0x21], ipv4(TCP))).row.src).toBe('10.0.0.1');
    expect(dissect(104, cat([0x0f, 0, 8, 0], ipv4(TCP))).row.src).toBe('10.0.0.1');
    expect(dissect(9, cat([0xc0, 0x21], [1, 2, 3, 4])).skipped).toEqual({ 'non-ip': 1 });
  });
  it('an unsupported link type is counted by number', () => {
    expect(dissect(147, ipv4(TCP)).skipped).toEqual({ 'link-type 147': 1 });
  });
});

describe('IP', () => {
  it('IPv4 options via IHL', () => {
    expect(dissect(101, ipv4(TCP, { options: [1, 1, 1, 0] })).row).toMatchObject({ sport: 1234, len: 5 });
  });
  it('IPv4 fragments are reassembled: the segment comes at the fragment that completes the datagram, as in tshark', () => {
    // TCP (20-byte header + 5 bytes) split at byte 16: offset 0 with more-fragments, then offset 16 (2 x 8 bytes).
    const first = ipv4(TCP.subarray(0, 16), { frag: 0x2000 });
    const second = ipv4(TCP.subarray(16), { frag: 0x0002 });
    for (const order of [[first, second], [second, first]]) {
      const { rows, skipped } = dissectAll(101, order);
      expect(skipped).toEqual({ 'ip-fragment': 1 });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ frame: 2, sport: 1234, dport: 80, len: 5 });
      expect(rows[0].seg.payload).toEqual([...TCP.subarray(20)]);
    }
    // A datagram that never completes gives no segment.
    expect(dissectAll(101, [first]).skipped).toEqual({ 'ip-fragment': 1 });
    expect(dissect(101, ipv4(TCP, { frag: 0x0010 })).skipped).toEqual({ 'ip-fragment': 1 });
  });
  it('IPv4 total length: padding cut; 0 (TSO) and too long use the frame length, as tshark', () => {
    const withPad = cat(ipv4(TCP), [0, 0, 0, 0, 0, 0]);
    expect(dissect(101, withPad).row.len).toBe(5);
    expect(dissect(101, ipv4(TCP, { total: 0 })).row.len).toBe(5);
    expect(dissect(101, ipv4(TCP, { total: 2000 })).row.len).toBe(5);
    // Cut short by the capture but not on the wire: the header's length stands.
    const full = ipv4(tcpHeader({ payload: 100 }));
    expect(dissect(101, full.subarray(0, 60), full.length).row.len).toBe(100);
  });
  it('IPv4 bad version/IHL is a bad header; a short frame is truncated', () => {
    const bad = ipv4(TCP);
    bad[0] = 0x43;
    expect(dissect(101, cat([0x45], bad.subarray(1))).row.len).toBe(5);
    expect(dissect(228, bad).skipped).toEqual({ 'bad-ip-header': 1 });
    expect(dissect(1, ethernet(0x0800, ipv4(TCP).subarray(0, 30))).skipped).toEqual({ truncated: 1 });
  });
  it('IPv6 extension headers: hop-by-hop, routing, destination options, AH, atomic fragment', () => {
    const pad6 = [0, 1, 4, 0, 0, 0, 0]; // len 0 => 8 bytes with the next-header byte
    const frame = ipv6(TCP, {
      ext: [
        [0, pad6],
        [43, [0, 0, 0, 0, 0, 0, 0]],
        [60, pad6],
        [51, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], // AH: (1 + 2) * 4 = 12 bytes
        [44, [0, 0, 0, 0, 0, 0, 1]], // offset 0, M=0
      ],
    });
    expect(dissect(229, frame).row).toMatchObject({ sport: 1234, len: 5 });
  });
  it('IPv6 fragments are reassembled (fragment header: offset in 8-byte units, M flag, 32-bit id)', () => {
    const first = ipv6(TCP.subarray(0, 16), { ext: [[44, [0, 0, 1, 0, 0, 0, 9]]] });
    const second = ipv6(TCP.subarray(16), { ext: [[44, [0, 0, 16, 0, 0, 0, 9]]] });
    const { rows, skipped } = dissectAll(229, [first, second]);
    expect(skipped).toEqual({ 'ip-fragment': 1 });
    expect(rows.map((r) => [r.frame, r.sport, r.len])).toEqual([[2, 1234, 5]]);
    // Another id does not complete it; an atomic fragment (offset 0, no M) is no fragment at all.
    expect(dissectAll(229, [first, ipv6(TCP.subarray(16), { ext: [[44, [0, 0, 16, 0, 0, 0, 8]]] })]).rows).toHaveLength(0);
    expect(dissect(229, ipv6(TCP, { ext: [[44, [0, 0, 0, 0, 0, 0, 1]]] })).row.sport).toBe(1234);
  });
  it('IPv6 jumbogram: the hop-by-hop Jumbo Payload option gives the length', () => {
    const big = tcpHeader({ payload: 70000 });
    const frame = ipv6(big, { plen: 0, ext: [[0, [0, 0xc2, 4, ...be32(8 + big.length)]]] });
    expect(dissect(229, frame).row.len).toBe(70000);
  });
  it('IP-in-IP (4 and 41): the inner header wins', () => {
    const inner = ipv4(TCP, { src: [192, 168, 0, 1], dst: [192, 168, 0, 2] });
    expect(dissect(101, ipv4(inner, { proto: 4 })).row.src).toBe('192.168.0.1');
    expect(dissect(101, ipv4(ipv6(TCP), { proto: 41 })).row.src).toBe('2001:db8::1');
  });
  it('GRE (with key) -> IPv4, GRE TEB -> Ethernet, GRE v1 (PPTP) -> PPP, VXLAN and Geneve', () => {
    const inner = ipv4(TCP, { src: [192, 168, 0, 1] });
    expect(dissect(101, ipv4(cat([0x20, 0], be16(0x0800), be32(99), inner), { proto: 47 })).row.src).toBe('192.168.0.1');
    expect(dissect(101, ipv4(cat([0, 0], be16(0x6558), ethernet(0x0800, inner)), { proto: 47 })).row.src).toBe('192.168.0.1');
    const pptp = cat([0x30, 0x01], be16(0x880b), be16(4 + inner.length), be16(7), be32(1), [0xff, 3, 0, 0x21], inner);
    expect(dissect(101, ipv4(pptp, { proto: 47 })).row.src).toBe('192.168.0.1');
    const vx = cat(be16(5000), be16(4789), be16(16 + 14 + inner.length), [0, 0], [8, 0, 0, 0, 0, 0, 1, 0], ethernet(0x0800, inner));
    expect(dissect(101, ipv4(vx, { proto: 17 })).row.src).toBe('192.168.0.1');
    const gen = cat(be16(5000), be16(6081), be16(0), [0, 0], [1, 0], be16(0x6558), [0, 0, 1, 0], [0, 0, 0, 0], ethernet(0x0800, inner));
    expect(dissect(101, ipv4(gen, { proto: 17 })).row.src).toBe('192.168.0.1');
    expect(dissect(101, ipv4(cat(be16(53), be16(53), be16(8), [0, 0]), { proto: 17 })).skipped).toEqual({ 'non-tcp': 1 });
  });
  it('tunnels nested past the limit stop', () => {
    let p = ipv4(TCP);
    for (let i = 0; i < 30; i++) p = ipv4(p, { proto: 4 });
    expect(dissect(101, p).skipped).toEqual({ 'too-many-encapsulations': 1 });
  });
});

describe('TCP', () => {
  it('options: MSS, window scale, SACK permitted, SACK blocks, timestamps; unknown skipped', () => {
    const options = [2, 4, ...be16(1460), 1, 3, 3, 7, 4, 2, 30, 4, 9, 9, 8, 10, ...be32(111), ...be32(222), 5, 10, ...be32(1), ...be32(2)]; // 34 bytes
    const { row } = dissect(101, ipv4(tcpHeader({ options, flags: 0x1c2 })));
    expect(row.seg).toMatchObject({ mss: 1460, windowScale: 7, sackPermitted: true, tsVal: 111, tsEcr: 222, sackCount: 1 });
    expect(row.seg.sack).toEqual([1, 2]);
    expect(row.flags).toBe(0x1c2);
  });
  it("a sink that reads only SYNs' options (the tracker) gets them of SYNs alone; the others' are unset", () => {
    const options = [2, 4, ...be16(1460), 3, 3, 7, 8, 10, ...be32(111), ...be32(222)];
    const seen: Pick<TcpSegment, 'flags' | 'mss' | 'windowScale' | 'tsVal' | 'tsEcr'>[] = [];
    const sink = { synOptionsOnly: true, segment: ({ flags, mss, windowScale, tsVal, tsEcr }: TcpSegment) => seen.push({ flags, mss, windowScale, tsVal, tsEcr }) };
    const d = new FrameDissector(sink, 0);
    // SYN, ACK, SYN-ACK, ACK: each with MSS, window scale and timestamps.
    [0x002, 0x010, 0x012, 0x010].forEach((flags, k) => d.frame(101, k, ipv4(tcpHeader({ options, flags })), 0, k + 1, 0));
    const read = { mss: 1460, windowScale: 7, tsVal: 111, tsEcr: 222 };
    const unset = { mss: -1, windowScale: -1, tsVal: -1, tsEcr: -1 };
    expect(seen).toEqual([{ flags: 0x002, ...read }, { flags: 0x010, ...unset }, { flags: 0x012, ...read }, { flags: 0x010, ...unset }]);
  });
  it('a bad option length ends option parsing but keeps the segment', () => {
    const { row } = dissect(101, ipv4(tcpHeader({ options: [2, 4, ...be16(1400), 8, 40, 0, 0] })));
    expect(row.seg).toMatchObject({ mss: 1400, tsVal: -1 });
  });
  it('header length < 20 is a bad TCP header; a cut header is truncated', () => {
    const t = tcpHeader();
    t[12] = 0x40;
    expect(dissect(101, ipv4(t)).skipped).toEqual({ 'bad-tcp-header': 1 });
    expect(dissect(1, ethernet(0x0800, ipv4(tcpHeader()).subarray(0, 30))).skipped).toEqual({ truncated: 1 });
  });
  it('payload length comes from the IP header even when the capture cut the payload', () => {
    const full = ipv4(tcpHeader({ payload: 1000 }));
    const { row } = dissect(101, full.subarray(0, 64), full.length);
    expect(row.len).toBe(1000);
    expect(row.seg.payload.length).toBe(64 - 40);
  });
});

describe('payload view', () => {
  it('is made per frame on read, and an assignment lasts only for that frame', () => {
    const seen: number[][] = [];
    const d = new FrameDissector({
      segment: (s) => {
        seen.push([...(s.payload ?? [])]);
        s.payload = null;
      },
    }, 0);
    d.frame(101, 0, ipv4(tcpHeader({ payload: 2 })), 0, 1, 0);
    d.frame(101, 0, ipv4(tcpHeader({ payload: 0 })), 0, 2, 0);
    d.frame(101, 0, ipv4(tcpHeader({ payload: 3 })), 0, 3, 0);
    expect(seen).toEqual([[0x61, 0x61], [], [0x61, 0x61, 0x61]]);
  });
});
