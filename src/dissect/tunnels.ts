/**
 * Tunnels followed to the inner TCP header (tshark's reference reports the last TCP header too):
 * - GRE (RFC 2784/2890; IP protocol 47): flags/version(2) protocol(2) [checksum+reserved(4) if C or R]
 *   [key(4) if K] [sequence(4) if S]; version 1 (PPTP, RFC 2637): flags(2) 0x880b payload length(2)
 *   call id(2) [sequence(4) if S] [ack(4) if A]. Source routing (R with routes) is not followed.
 *   ERSPAN type II (protocol 0x88be with S set) has an 8-byte header before Ethernet.
 * - UDP (IP protocol 17) to port 4789: VXLAN (RFC 7348) 8-byte header then Ethernet;
 *   to port 6081: Geneve (RFC 8926) 8 bytes + options then the protocol type;
 *   from or to port 2152: GTP-U (GTPv1, 3GPP TS 29.281), a G-PDU (message type 0xff) carrying IPv4 or IPv6:
 *   flags(1: version 1, PT 1, E/S/PN) type(1) length(2) TEID(4) [seq(2) N-PDU(1) next extension type(1) when any of
 *   E/S/PN] then extension headers (length(1) in 4-byte units ... next type(1)) while the next type is not 0.
 *   Other UDP is not TCP.
 * IP-in-IP (protocols 4 and 41) needs no code here: the caller dissects the inner header.
 * Sample GRE (hex): 00 00 08 00 | 45 ...   VXLAN: 08 00 00 00 00 00 7b 00 | ethernet ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6, ETH_TEB, OK, SKIP_NON_TCP, SKIP_TRUNCATED } from './cursor';

const ERSPAN = 0x88be;

export function gre(b: Uint8Array, c: Cursor): number {
  const o = c.off;
  if (o + 4 > c.end) return SKIP_TRUNCATED;
  const flags = u16be(b, o);
  const proto = u16be(b, o + 2);
  let len: number;
  const version = flags & 7;
  if (version === 0) {
    len = 4 + (flags & 0xc000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) + (flags & 0x1000 ? 4 : 0);
    if (flags & 0x4000) return SKIP_NON_TCP;
  } else if (version === 1) {
    len = 8 + (flags & 0x1000 ? 4 : 0) + (flags & 0x0080 ? 4 : 0);
  } else return SKIP_NON_TCP;
  c.off = o + len;
  if (c.off >= c.end) return c.off === c.end ? SKIP_NON_TCP : SKIP_TRUNCATED;
  if (proto === ERSPAN && flags & 0x1000) {
    c.off += 8;
    c.type = ETH_TEB;
  } else c.type = proto;
  return OK;
}

export function udpTunnel(b: Uint8Array, c: Cursor): number {
  const o = c.off;
  if (o + 8 > c.end) return SKIP_TRUNCATED;
  const dport = u16be(b, o + 2);
  if (dport === 4789) {
    if (o + 16 > c.end) return SKIP_TRUNCATED;
    c.off = o + 16;
    c.type = ETH_TEB;
    return OK;
  }
  if (dport === 6081) {
    if (o + 16 > c.end) return SKIP_TRUNCATED;
    const optLen = (b[o + 8] & 0x3f) << 2;
    c.type = u16be(b, o + 10);
    c.off = o + 16 + optLen;
    return OK;
  }
  if (dport === 2152 || u16be(b, o) === 2152) return gtpU(b, c, o + 8);
  return SKIP_NON_TCP;
}

/** A GTP-U G-PDU at g (see the header): moves to the user packet, an IPv4 or IPv6 datagram. */
function gtpU(b: Uint8Array, c: Cursor, g: number): number {
  if (g + 8 > c.end) return SKIP_TRUNCATED;
  const flags = b[g];
  if (flags >> 4 !== 3 || b[g + 1] !== 0xff) return SKIP_NON_TCP; // not version 1 with PT 1, or not a G-PDU
  let p = g + 8;
  if (flags & 7) {
    if (p + 4 > c.end) return SKIP_TRUNCATED;
    let next = flags & 4 ? b[p + 3] : 0;
    p += 4;
    for (let n = 0; next !== 0 && n < 16; n++) {
      if (p >= c.end) return SKIP_TRUNCATED;
      const len = b[p] << 2;
      if (len === 0 || p + len > c.end) return SKIP_TRUNCATED;
      next = b[p + len - 1];
      p += len;
    }
  }
  if (p >= c.end) return SKIP_TRUNCATED;
  const v = b[p] >> 4;
  if (v !== 4 && v !== 6) return SKIP_NON_TCP;
  c.off = p;
  c.type = v === 4 ? ETH_IPV4 : ETH_IPV6;
  return OK;
}
