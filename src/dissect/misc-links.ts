/**
 * Less common link types that are cheap to follow to IP:
 * - Solaris IPNET (LINKTYPE_IPNET 226): version(1) family(1: 2 = IPv4, 26 = IPv6) hook(2)
 *   length(4) ifindex(4) group ifindex(4) src zone(4) dst zone(4) = 24 bytes, then IP.
 *   Sample (hex): 01 02 00 00 00 00 00 54 00 00 00 02 00 00 00 00 ff ff ff ff 00 00 00 00 | 45 ...
 * - IP over InfiniBand (LINKTYPE_IPOIB 242): a 44-byte header whose last 4 bytes are
 *   type(2, EtherType) reserved(2); layout as tshark 4.0 reads tcpdump's ipoib.pcap.
 *   Sample (hex): 00 x 16 | 2f a3 00 0a | 80 00 05 50 | fe 80 ... (GID) | 08 00 00 00 | 45 ...
 * - ARCNET as Linux writes it (LINKTYPE_ARCNET_LINUX 129): src(1) dst(1) offset(2) protocol(1);
 *   RFC 1051 IP 0xf0 follows directly; RFC 1201 IP 0xd4 / IPv6 0xc4 have split flag(1)
 *   sequence(2), plus 4 more bytes for an exception packet (split flag 0xff). Fragmented RFC 1201
 *   packets are not reassembled.
 *   Sample (hex): be 50 ab 08 f0 | 45 ...
 */
import { u16be } from '../lib/bytes';
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6 } from './cursor';

export function ipnet(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 24 > c.end) return false;
  const fam = b[o + 1];
  c.type = fam === 2 ? ETH_IPV4 : fam === 26 ? ETH_IPV6 : 0;
  c.off = o + 24;
  return true;
}

export function ipoib(b: Uint8Array, c: Cursor): boolean {
  const o = c.off;
  if (o + 44 > c.end) return false;
  c.type = u16be(b, o + 40);
  c.off = o + 44;
  return true;
}

export function arcnetLinux(b: Uint8Array, c: Cursor): boolean {
  let o = c.off;
  if (o + 5 > c.end) return false;
  const p = b[o + 4];
  o += 5;
  if (p === 0xf0) c.type = ETH_IPV4;
  else if (p === 0xd4 || p === 0xc4) {
    if (o + 3 > c.end) return false;
    if (b[o] === 0xff) o += 4;
    o += 3;
    c.type = p === 0xd4 ? ETH_IPV4 : ETH_IPV6;
  } else c.type = 0;
  c.off = o;
  return true;
}
