/**
 * Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL 113), 16 bytes: packet type(2) ARPHRD type(2)
 * address length(2) address(8) protocol(2, big-endian EtherType). With ARPHRD_IPGRE (778) the
 * protocol is a GRE protocol type, which for IP is the same EtherType. Netlink (ARPHRD 824) and
 * the special protocol values below 0x0600 (802.2 LLC, CAN, ...) carry no IP.
 * Sample (hex): 00 00 00 01 00 06 00 11 22 33 44 55 00 00 08 00 | 45 ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';

export function sll(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 16 > c.end) return false;
  const arphrd = u16be(b, o + 2);
  const p = u16be(b, o + 14);
  c.type = arphrd === 824 || p < 0x0600 ? 0 : p;
  c.off = o + 16;
  return true;
}
