/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) errors quote the start of the packet that caused them: type(1) code(1)
 * checksum(2) rest(4), then the offending IP header and at least 8 bytes of what followed it. tshark dissects that
 * quoted packet, and a TCP header in it gets a tcp.stream (a new one when its 4-tuple was not seen before), so
 * every later stream number shifts. The dissector walks into the quote with Cursor.quoted set: the TCP header is
 * then kept only for the stream numbering (Cursor.streamOnly), never as a packet of the connection it names.
 * Errors: ICMP types 3 (destination unreachable), 4 (source quench), 5 (redirect), 11 (time exceeded), 12 (parameter
 * problem); ICMPv6 types 1-4 (destination unreachable, packet too big, time exceeded, parameter problem).
 * Sample (hex): 03 03 xx xx 00 00 00 00 | 45 00 00 3c ... (the quoted IPv4 header) | 9c 42 01 bb ... (its TCP)
 */
import type { Cursor } from './cursor';
import { ETH_IPV4, ETH_IPV6 } from './cursor';

/** For an ICMP (proto 1) or ICMPv6 (58) error at c.off: moves into the quoted packet and returns its EtherType; else 0. */
export function icmpError(b: Uint8Array, c: Cursor, proto: number): number {
  const o = c.off;
  if (c.quoted || o + 8 + 20 > c.end) return 0; // an error about an error is not followed; too short to quote IP
  const t = b[o];
  const error = proto === 1 ? t === 3 || t === 4 || t === 5 || t === 11 || t === 12 : t >= 1 && t <= 4;
  if (!error) return 0;
  const version = b[o + 8] >> 4;
  c.off = o + 8;
  c.quoted = true;
  return version === 4 ? ETH_IPV4 : version === 6 ? ETH_IPV6 : 0;
}
