/**
 * Linux NFLOG (LINKTYPE_NFLOG 239): family(1: 2 = IPv4, 10 = IPv6) version(1) resource id(2,
 * big-endian), then TLVs length(2) type(2) value, both in host byte order (little-endian on every
 * capture seen; big-endian is tried when the little-endian length is impossible), each padded to
 * 4 bytes. The packet is the value of NFULA_PAYLOAD (type 9).
 * Sample (hex): 02 00 00 00 | 08 00 01 00 08 00 00 00 | ... | 38 00 09 00 45 00 ...
 */
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6 } from './cursor';

export function nflog(b: Uint8Array, c: Cursor): boolean {
  let o = c.off;
  if (o + 4 > c.end) return false;
  const fam = b[o];
  o += 4;
  while (o + 4 <= c.end) {
    let len = b[o] | (b[o + 1] << 8);
    let type = b[o + 2] | (b[o + 3] << 8);
    if (len < 4 || o + len > c.end) {
      len = (b[o] << 8) | b[o + 1];
      type = (b[o + 2] << 8) | b[o + 3];
      if (len < 4 || o + len > c.end) return false;
    }
    if ((type & 0x7fff) === 9) {
      c.off = o + 4;
      c.end = o + len;
      c.wire = c.end;
      const v = c.off < c.end ? b[c.off] >> 4 : 0;
      c.type = fam === 2 || v === 4 ? ETH_IPV4 : fam === 10 || v === 6 ? ETH_IPV6 : 0;
      return true;
    }
    o += (len + 3) & ~3;
  }
  c.type = 0;
  c.off = c.end;
  return true;
}
