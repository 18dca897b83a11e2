/**
 * PPPoE session stage (RFC 2516; EtherType 0x8864): ver/type(1 = 0x11) code(1 = 0) session id(2)
 * length(2, bounds the PPP frame), then a PPP protocol field (1 or 2, see ppp.ts). Discovery (0x8863) carries no IP.
 * Sample (hex): 11 00 00 2a 00 3e 00 21 | 45 ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';
import { ppp } from './ppp';

export function pppoeSession(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 6 > c.end) return false;
  // The PPPoE length bounds the PPP frame (tshark believes it even when it looks wrong).
  const end = o + 6 + u16be(b, o + 4);
  if (end < c.end) {
    c.cut = c.end - end;
    c.end = end;
  }
  if (end < c.wire) c.wire = end;
  c.off = o + 6;
  return ppp(b, c);
}
