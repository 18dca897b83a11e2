/**
 * TCP header (RFC 9293): src port(2) dst port(2) seq(4) ack(4) data offset/flags(2) window(2)
 * checksum(2) urgent(2) options. Flags are the low 12 bits (AE/NS 0x100, reserved 0xe00), as
 * tshark's tcp.flags. Options read: MSS 2, window scale 3, SACK permitted 4, SACK 5, timestamps 8;
 * others are stepped over by their length; a bad length ends option parsing (the segment is kept).
 * With Cursor.synOptionsOnly, the options of segments without SYN are left unread (unset).
 * Payload length = the IP-declared layer-4 length minus the TCP header length (tshark's tcp.len),
 * even when the capture cut the payload short. Checksums are not verified.
 * A data offset below 5 (an impossible header) or a header quoted in an ICMP error is no segment, but its 4-tuple
 * is kept for tshark's stream numbering (Cursor.streamOnly).
 * Sample (hex): c3 50 00 50 | 6a e6 0d 36 | 00 00 00 00 | a0 02 ff ff 3b 1f 00 00 | 02 04 05 b4 ...
 */
import { u16be, u32be } from '../lib/bytes';
import type { TcpSegment } from '../model/segment';
import type { Cursor } from './cursor';
import { OK, SKIP_BAD_TCP, SKIP_NON_TCP, SKIP_TRUNCATED } from './cursor';

/** Bits of Cursor.optionsSet: which option fields of the segment hold a value. */
const MSS = 1;
const WSCALE = 2;
const SACK_OK = 4;
const SACK = 8;
const TS = 16;

/** Read the options in b[p, end) into seg; returns the bits of the fields it set. */
function options(b: Uint8Array, p: number, end: number, seg: TcpSegment): number {
  let set = 0;
  while (p < end) {
    const kind = b[p];
    if (kind === 0) return set;
    if (kind === 1) {
      p++;
      continue;
    }
    if (p + 2 > end) return set;
    const len = b[p + 1];
    if (len < 2 || p + len > end) return set;
    if (kind === 2 && len === 4) {
      seg.mss = u16be(b, p + 2);
      set |= MSS;
    } else if (kind === 3 && len === 3) {
      seg.windowScale = b[p + 2];
      set |= WSCALE;
    } else if (kind === 4 && len === 2) {
      seg.sackPermitted = true;
      set |= SACK_OK;
    } else if (kind === 5 && len >= 10 && (len - 2) % 8 === 0) {
      const n = Math.min(4, (len - 2) >> 3);
      const blocks = seg.sackBlocks;
      for (let i = 0; i < n; i++) {
        blocks[2 * i] = u32be(b, p + 2 + 8 * i);
        blocks[2 * i + 1] = u32be(b, p + 6 + 8 * i);
      }
      seg.sackCount = n;
      set |= SACK;
    } else if (kind === 8 && len === 10) {
      seg.tsVal = u32be(b, p + 2);
      seg.tsEcr = u32be(b, p + 6);
      set |= TS;
    }
    p += len;
  }
  return set;
}

export function tcp(b: Uint8Array, c: Cursor, seg: TcpSegment): number {
  const o = c.off;
  if (o + 20 > c.end) return SKIP_TRUNCATED;
  const hlen = (b[o + 12] >> 4) << 2;
  seg.srcPort = u16be(b, o);
  seg.dstPort = u16be(b, o + 2);
  seg.seq = u32be(b, o + 4);
  seg.ack = u32be(b, o + 8);
  seg.flags = ((b[o + 12] & 0x0f) << 8) | b[o + 13];
  if (hlen < 20 || c.quoted) {
    // Not a packet of the connection, but tshark gives its 4-tuple a tcp.stream (see Cursor.streamOnly).
    c.streamOnly = true;
    return hlen < 20 ? SKIP_BAD_TCP : SKIP_NON_TCP;
  }
  seg.window = u16be(b, o + 14);
  const optEnd = Math.min(o + hlen, c.end);
  // 0x02: SYN (the flags' low byte), whose options the tracker reads (Cursor.synOptionsOnly).
  const set = hlen > 20 && (!c.synOptionsOnly || (b[o + 13] & 0x02) !== 0) ? options(b, o + 20, optEnd, seg) : 0;
  // Reset only the option fields the previous segment set and this one did not (the segment is
  // reused; most segments carry the same options as the one before, often only timestamps).
  const stale = c.optionsSet & ~set;
  if (stale !== 0) {
    if (stale & MSS) seg.mss = -1;
    if (stale & WSCALE) seg.windowScale = -1;
    if (stale & SACK_OK) seg.sackPermitted = false;
    if (stale & SACK) seg.sackCount = 0;
    if (stale & TS) {
      seg.tsVal = -1;
      seg.tsEcr = -1;
    }
  }
  c.optionsSet = set;
  const len = c.l4Length - hlen;
  seg.payloadLength = len > 0 ? len : 0;
  // The payload view is made only when a consumer reads seg.payload (see FrameDissector).
  const start = o + hlen;
  c.buf = b;
  c.payStart = start;
  c.payEnd = Math.max(start, Math.min(c.end, start + seg.payloadLength));
  return OK;
}
