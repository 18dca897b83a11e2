/**
 * PPP (RFC 1661) as LINKTYPE_PPP 9, LINKTYPE_PPP_HDLC 50, inside PPPoE and inside GRE version 1:
 * optional HDLC address/control ff 03, then the protocol field (1 byte when protocol-field
 * compression makes it odd, else 2). 0x0021 IPv4, 0x0057 IPv6, 0x0281 MPLS; others are not IP.
 * Sample (hex): ff 03 00 21 | 45 00 ...
 */
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6, ETH_MPLS } from './cursor';

/** EtherType for a PPP protocol number (0 when not carried further). */
export function pppToEtherType(p: number): number {
  return p === 0x0021 ? ETH_IPV4 : p === 0x0057 ? ETH_IPV6 : p === 0x0281 ? ETH_MPLS : 0;
}

export function ppp(b: Uint8Array, c: Cursor): boolean {
  let o = c.off;
  if (o + 2 <= c.end && b[o] === 0xff && b[o + 1] === 0x03) o += 2;
  if (o >= c.end) return false;
  let p: number;
  if (b[o] & 1) {
    p = b[o];
    o += 1;
  } else {
    if (o + 2 > c.end) return false;
    p = (b[o] << 8) | b[o + 1];
    o += 2;
  }
  c.off = o;
  c.type = pppToEtherType(p);
  return true;
}

/**
 * Cisco HDLC (LINKTYPE_C_HDLC 104, RFC 1547 §4.3.1): address(1: 0x0f unicast, 0x8f broadcast)
 * control(1: 0x00) protocol(2, an EtherType). Sample (hex): 0f 00 08 00 | 45 ...
 * LINKTYPE_PPP (9) and LINKTYPE_PPP_HDLC (50) may also carry these frames (tshark's ppp:chdlc): the caller tries
 * this when the first byte is 0x0f or 0x8f.
 */
export function ciscoHdlc(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 4 > c.end) return false;
  c.type = (b[o + 2] << 8) | b[o + 3];
  c.off = o + 4;
  return true;
}
