/**
 * PPPoE session stage (RFC 2516; EtherType 0x8864): ver/type(1 = 0x11) code(1 = 0) session id(2)
 * length(2), then a PPP protocol field (2). Discovery (0x8863) carries no IP.
 * Sample (hex): 11 00 00 2a 00 3c 00 21 | 45 ...
 */
import type { Cursor } from './cursor';
import { pppToEtherType } from './ppp';

export function pppoeSession(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 8 > c.end) return false;
  c.type = pppToEtherType((b[o + 6] << 8) | b[o + 7]);
  c.off = o + 8;
  return true;
}
