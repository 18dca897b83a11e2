/**
 * Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2 276), 20 bytes: protocol(2, big-endian
 * EtherType) reserved(2) interface index(4) ARPHRD type(2) packet type(1) address length(1)
 * address(8). Sample (hex): 08 00 00 00 00 00 00 02 00 01 04 06 00 11 22 33 44 55 00 00 | 45 ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';

export function sll2(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 20 > c.end) return false;
  const p = u16be(b, o);
  const arphrd = u16be(b, o + 8);
  c.type = arphrd === 824 || p < 0x0600 ? 0 : p;
  c.off = o + 20;
  return true;
}
