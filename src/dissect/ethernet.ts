/**
 * Ethernet II / IEEE 802.3 header (LINKTYPE_ETHERNET 1): dst(6) src(6) type-or-length(2).
 * A type/length <= 1500 is an 802.3 length; then only LLC/SNAP (aa aa 03 + OUI + EtherType) is
 * followed, other LLC payloads are not IP. VLAN tags, MPLS and PPPoE after the header are handled
 * by their own dissectors (vlan.ts, mpls.ts, pppoe.ts) from the EtherType.
 * Sample (hex): 00 11 22 33 44 55 66 77 88 99 aa bb 08 00 | 45 00 ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';

export function ethernet(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 14 > c.end) return false;
  let t = u16be(b, o + 12);
  c.off = o + 14;
  if (t <= 1500) {
    const l = c.off;
    if (l + 8 <= c.end && b[l] === 0xaa && b[l + 1] === 0xaa && b[l + 2] === 0x03) {
      t = u16be(b, l + 6);
      c.off = l + 8;
    } else t = 0;
  }
  c.type = t;
  return true;
}
