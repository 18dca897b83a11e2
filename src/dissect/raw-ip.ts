/**
 * Link types with no link header: LINKTYPE_RAW 101 (and the historic DLT values 12 and 14 that
 * old files carry), where the IP version nibble says IPv4 or IPv6; LINKTYPE_IPV4 228; LINKTYPE_IPV6 229.
 * Sample (hex): 45 00 00 3c ... or 60 00 00 00 ...
 */
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6 } from './cursor';

export function rawIp(b: Uint8Array, c: Cursor): boolean {
  if (c.off >= c.end) return false;
  const v = b[c.off] >> 4;
  c.type = v === 4 ? ETH_IPV4 : v === 6 ? ETH_IPV6 : 0;
  return true;
}
