/**
 * MPLS label stack (RFC 3032; EtherType 0x8847/0x8848): 4-byte entries label(20) TC(3) S(1) TTL(8),
 * up to the entry with the bottom-of-stack bit S. What follows is guessed as tshark does by
 * default: IPv4 or IPv6 by the first nibble. A pseudowire control word (first nibble 0) followed
 * by Ethernet is not handled (reported as non-IP).
 * Sample (hex): 00 01 01 40 | 00 02 11 40 | 45 00 ...
 */
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6 } from './cursor';

export function mpls(b: Uint8Array, c: Cursor): boolean {
  let o = c.off;
  for (;;) {
    if (o + 4 > c.end) return false;
    const bottom = b[o + 2] & 1;
    o += 4;
    if (bottom) break;
  }
  c.off = o;
  if (o >= c.end) return false;
  const v = b[o] >> 4;
  c.type = v === 4 ? ETH_IPV4 : v === 6 ? ETH_IPV6 : 0;
  return true;
}
