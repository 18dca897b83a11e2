/**
 * BSD loopback (LINKTYPE_NULL 0) and OpenBSD loopback (LINKTYPE_LOOP 108): a 4-byte address
 * family, in the capturing host's byte order for NULL (so both orders are tried) and big-endian
 * for LOOP. 2 = IPv4; 24, 28, 30 = IPv6 (BSD variants); others are not IP.
 * Sample (hex, NULL from a little-endian host): 02 00 00 00 | 45 ...
 */
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6 } from './cursor';

function family(af: number): number {
  return af === 2 ? ETH_IPV4 : af === 24 || af === 28 || af === 30 ? ETH_IPV6 : 0;
}

export function nullLink(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 4 > c.end) return false;
  // Either the low or the high byte holds the family; the other three are zero.
  const af = b[o] === 0 && b[o + 1] === 0 ? b[o + 3] | (b[o + 2] << 8) : b[o] | (b[o + 1] << 8);
  c.type = family(af);
  c.off = o + 4;
  return true;
}

export function loopLink(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 4 > c.end) return false;
  c.type = family(((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0);
  c.off = o + 4;
  return true;
}
