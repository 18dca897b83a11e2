/**
 * The mutable position a dissection walks through one frame: each protocol dissector reads at
 * `off` (within `end`), then moves `off` past its header and says what comes next in `type`
 * (an EtherType) or `proto` (an IP protocol number). One Cursor is reused for every frame.
 */
import type { Reassembler } from './reassembly';

const EMPTY = new Uint8Array(0);

export class Cursor {
  /** Start of the current header. */
  off = 0;
  /** End of the valid bytes (captured end, or the IP-declared end when shorter). */
  end = 0;
  /**
   * End of the frame as it was on the wire (past `end` when the capture cut it short). Lengths in
   * headers are believed only up to here, as tshark does ("total length exceeds packet length").
   */
  wire = 0;
  /** EtherType of what follows the current link/shim header (0 when not IP-bearing). */
  type = 0;
  /** IP protocol of what follows the IP header (and its extension headers). */
  proto = 0;
  /** Bytes of layer-4 data the IP header declares (payload length minus extension headers). */
  l4Length = 0;
  /** Captured bytes a link-layer length field (PPPoE) cut off after `end`; 0 when none. */
  cut = 0;
  /** Bytes the IPv4 total length claims within that cut-off part (TcpSegment.ipExtraLength). */
  ipExtra = 0;
  /** IP fragment reassembly for this input (FrameDissector's); null: fragments are skipped. */
  reassembler: Reassembler | null = null;
  /** Set with REASSEMBLED: the reassembled datagram's payload, where dissection goes on (from offset 0). */
  reasm: Uint8Array = EMPTY;
  /** The captured TCP payload, set by tcp(): buf[payStart, payEnd). */
  buf: Uint8Array = EMPTY;
  payStart = 0;
  payEnd = 0;
  /**
   * Which TCP option fields of the (reused) segment hold a value from the last TCP header, so
   * tcp() resets only those (bits in tcp.ts). The segment must start with its options cleared.
   */
  optionsSet = 0;
  /** Only SYN segments' options are read (SegmentSink.synOptionsOnly); the other segments' stay unset. */
  synOptionsOnly = false;
  /** Inside the packet an ICMP/ICMPv6 error quotes (icmp.ts): its TCP header is not a packet of the connection. */
  quoted = false;
  /**
   * Set when the segment holds a 4-tuple that tshark makes a tcp.stream of although it is no packet of the
   * connection (a TCP header quoted in an ICMP error, a data offset below 5): FrameDissector hands it to
   * SegmentSink.streamOnly.
   */
  streamOnly = false;
}

export const ETH_IPV4 = 0x0800;
export const ETH_IPV6 = 0x86dd;
export const ETH_VLAN = 0x8100;
export const ETH_QINQ = 0x88a8;
export const ETH_QINQ_OLD = 0x9100;
export const ETH_MPLS = 0x8847;
export const ETH_MPLS_MC = 0x8848;
export const ETH_PPPOE_SESSION = 0x8864;
/** Transparent Ethernet bridging: an Ethernet frame follows (GRE, VXLAN). */
export const ETH_TEB = 0x6558;
/** Cisco FabricPath: ftag/ttl(2) then an inner Ethernet frame. */
export const ETH_FABRICPATH = 0x8903;
/** PPP (inside GRE version 1, as PPTP uses it). */
export const ETH_PPP = 0x880b;

/** Why a frame gave no TCP segment; indexes of SKIP_REASONS. 0 means a segment was produced. */
export const OK = 0;
export const SKIP_TRUNCATED = 1;
export const SKIP_NON_IP = 2;
export const SKIP_NON_TCP = 3;
export const SKIP_FRAGMENT = 4;
export const SKIP_BAD_IP = 5;
export const SKIP_BAD_TCP = 6;
export const SKIP_TOO_DEEP = 7;
/** Not a skip: an IP fragment completed its datagram; dissection continues in Cursor.reasm (see goOnReassembled). */
export const REASSEMBLED = -2;

/** Points the cursor at the reassembled payload; the caller then dissects c.proto in c.reasm. */
export function goOnReassembled(c: Cursor): Uint8Array {
  const b = c.reasm;
  c.off = 0;
  c.end = b.length;
  c.wire = b.length;
  c.l4Length = b.length;
  return b;
}

/** The names InputReport.skipped uses. */
export const SKIP_REASONS = ['', 'truncated', 'non-ip', 'non-tcp', 'ip-fragment', 'bad-ip-header', 'bad-tcp-header', 'too-many-encapsulations'];
