/**
 * IEEE 802.1Q / 802.1ad VLAN tags (TPID 0x8100, 0x88a8, legacy 0x9100), any number stacked
 * (the caller loops): TCI(2: PCP 3 bits, DEI 1, VID 12) then the next EtherType(2).
 * Sample (hex, after the Ethernet addresses): 88 a8 | 00 c8 81 00 | 07 d1 08 00 | 45 ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';

export function vlan(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 4 > c.end) return false;
  c.type = u16be(b, o + 2);
  c.off = o + 4;
  return true;
}
