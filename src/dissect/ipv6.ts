/**
 * IPv6 header (RFC 8200): version/class/flow(4) payload length(2) next header(1) hop limit(1)
 * src(16) dst(16), then extension headers: hop-by-hop 0, routing 43, destination options 60,
 * mobility 135, HIP 139, shim6 140 ((len + 1) * 8 bytes), fragment 44 (8 bytes), AH 51
 * ((len + 2) * 4 bytes). Fragments are reassembled (reassembly.ts) and the datagram dissected at the last one.
 * Payload length 0 means a jumbogram (RFC 2675: the hop-by-hop Jumbo Payload option 0xC2 has the
 * length) or, without that option, a BIG TCP / GSO capture: the frame's length is used (tshark 4.0
 * instead reads an empty payload there). A payload length past the frame's end is cut to it, as tshark does.
 * Not handled: ESP (encrypted, not followed).
 * Sample (hex): 60 00 00 00 00 28 06 40 | 20 01 0d b8 ... (src) | ... (dst) | tcp ...
 */
import { u16be, u32be } from '../lib/bytes';
import type { TcpSegment } from '../model/segment';
import type { Cursor } from './cursor';
import { OK, REASSEMBLED, SKIP_BAD_IP, SKIP_FRAGMENT, SKIP_TRUNCATED } from './cursor';

/** The Jumbo Payload length in a hop-by-hop header at h (length hl), or -1. */
function jumbo(b: Uint8Array, h: number, hl: number): number {
  let p = h + 2;
  const end = h + hl;
  while (p < end) {
    const t = b[p];
    if (t === 0) {
      p++;
      continue;
    }
    if (p + 2 > end) break;
    const l = b[p + 1];
    if (t === 0xc2 && l === 4 && p + 6 <= end) return u32be(b, p + 2);
    p += 2 + l;
  }
  return -1;
}

export function ipv6(b: Uint8Array, c: Cursor, seg: TcpSegment): number {
  const o = c.off;
  if (o + 40 > c.end) return SKIP_TRUNCATED;
  if (b[o] >> 4 !== 6) return SKIP_BAD_IP;
  const plen = u16be(b, o + 4);
  let next = b[o + 6];
  const s = seg.srcAddr;
  const d = seg.dstAddr;
  for (let i = 0; i < 16; i++) {
    s[i] = b[o + 8 + i];
    d[i] = b[o + 24 + i];
  }
  seg.ipVersion = 6;
  seg.ttl = b[o + 7];
  let declaredEnd = plen === 0 ? -1 : o + 40 + plen;
  let p = o + 40;
  for (let n = 0; n < 16; n++) {
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (p + 2 > c.end) return SKIP_TRUNCATED;
      const hl = (b[p + 1] + 1) << 3;
      if (p + hl > c.end) return SKIP_TRUNCATED;
      if (next === 0 && plen === 0) {
        const j = jumbo(b, p, hl);
        if (j >= 0) declaredEnd = o + 40 + j;
      }
      next = b[p];
      p += hl;
    } else if (next === 44) {
      if (p + 8 > c.end) return SKIP_TRUNCATED;
      const fo = u16be(b, p + 2) & 0xfff8;
      const more = (b[p + 3] & 1) !== 0;
      if (fo !== 0 || more) {
        // A fragment: kept until its datagram is whole (reassembly.ts); an atomic fragment (offset 0, no more) is not.
        if (!c.reassembler || c.quoted) return SKIP_FRAGMENT; // a quoted fragment is not part of any datagram here
        const end = Math.min(declaredEnd < 0 ? c.wire : declaredEnd, c.wire);
        let key = `6 ${u32be(b, p + 4)}`;
        for (let w = 8; w < 40; w += 4) key += ` ${u32be(b, o + w)}`;
        const whole = c.reassembler.add(key, fo, more, b, p + 8, Math.min(end, c.end), end - p - 8);
        if (!whole) return SKIP_FRAGMENT;
        seg.ipLength = end - o;
        c.proto = b[p];
        c.reasm = whole;
        return REASSEMBLED;
      }
      next = b[p];
      p += 8;
    } else if (next === 51) {
      if (p + 2 > c.end) return SKIP_TRUNCATED;
      const hl = (b[p + 1] + 2) << 2;
      next = b[p];
      p += hl;
    } else break;
  }
  if (declaredEnd < 0 || declaredEnd > c.wire) declaredEnd = c.wire;
  seg.ipLength = declaredEnd - o;
  if (p > declaredEnd) return SKIP_BAD_IP;
  c.proto = next;
  c.l4Length = declaredEnd - p;
  c.off = p;
  if (declaredEnd < c.end) c.end = declaredEnd;
  c.wire = declaredEnd;
  return OK;
}
