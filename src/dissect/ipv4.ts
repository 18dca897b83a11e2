/**
 * IPv4 header (RFC 791): version/IHL(1) TOS(1) total length(2) id(2) flags/fragment offset(2)
 * TTL(1) protocol(1) checksum(2) src(4) dst(4) options(IHL*4 - 20). Checksums are not verified.
 * Fragments (more-fragments flag or an offset) are kept until their datagram is whole (reassembly.ts), which is
 * then dissected at the fragment that completed it, as tshark does; until then each counts as "ip-fragment".
 * A total length of 0 (TSO / large send offload captures) or one past the end of the frame on the
 * wire means "use the frame's length", as tshark does.
 * Sample (hex): 45 00 00 3c 1c 46 40 00 40 06 b1 e6 c0 a8 00 68 c0 a8 00 01 | ...
 */
import { u16be, u32be } from '../lib/bytes';
import type { TcpSegment } from '../model/segment';
import type { Cursor } from './cursor';
import { OK, REASSEMBLED, SKIP_BAD_IP, SKIP_FRAGMENT, SKIP_TRUNCATED } from './cursor';

export function ipv4(b: Uint8Array, c: Cursor, seg: TcpSegment): number {
  const o = c.off;
  if (o + 20 > c.end) return SKIP_TRUNCATED;
  const vihl = b[o];
  if (vihl >> 4 !== 4) return SKIP_BAD_IP;
  const ihl = (vihl & 15) << 2;
  if (ihl < 20) return SKIP_BAD_IP;
  if (o + ihl > c.end) return SKIP_TRUNCATED;
  const claimed = u16be(b, o + 2);
  let total = claimed;
  const onWire = c.wire - o;
  if (total === 0 || total > onWire) total = onWire; // TSO (0) or a length past the frame: as tshark
  // Zeek believes the IP length where a link-layer length cut the datagram short (see TcpSegment.ipExtraLength).
  if (c.cut > 0 && claimed > total) c.ipExtra = Math.min(claimed - total, c.cut);
  if (total < ihl) return SKIP_BAD_IP;
  const s = seg.srcAddr;
  const d = seg.dstAddr;
  s[0] = b[o + 12];
  s[1] = b[o + 13];
  s[2] = b[o + 14];
  s[3] = b[o + 15];
  d[0] = b[o + 16];
  d[1] = b[o + 17];
  d[2] = b[o + 18];
  d[3] = b[o + 19];
  seg.ipVersion = 4;
  seg.ttl = b[o + 8];
  seg.ipLength = total;
  c.proto = b[o + 9];
  const frag = u16be(b, o + 6);
  if ((frag & 0x3fff) !== 0) {
    // A fragment (more fragments, or an offset): kept until its datagram is whole (reassembly.ts).
    if (!c.reassembler || c.quoted) return SKIP_FRAGMENT; // a quoted fragment is not part of any datagram here
    const key = `4 ${u32be(b, o + 12)} ${u32be(b, o + 16)} ${u16be(b, o + 4)} ${c.proto}`;
    const whole = c.reassembler.add(key, (frag & 0x1fff) << 3, (frag & 0x2000) !== 0, b, o + ihl, Math.min(o + total, c.end), total - ihl);
    if (!whole) return SKIP_FRAGMENT;
    c.reasm = whole;
    return REASSEMBLED;
  }
  c.l4Length = total - ihl;
  c.off = o + ihl;
  if (o + total < c.end) c.end = o + total; // Ethernet padding / FCS after the datagram
  c.wire = o + total;
  return OK;
}
