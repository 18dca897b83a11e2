/**
 * One TCP segment as every input hands it to the analysis: binary captures (after link/IP/TCP
 * dissection) and text captures (tcpdump, ASA show capture) alike.
 *
 * One object is reused for every packet of a pass: consumers copy what they keep. Addresses are
 * raw bytes (4 or 16) in scratch arrays, so no string is made per packet.
 */
export interface TcpSegment {
  /** Index of the input (file) in the session. */
  input: number;
  /** 1-based frame number within the input (the capture's own number for text captures). */
  frame: number;
  /** Byte offset of the frame's record in the (decompressed) input, for re-reading its bytes. */
  recordOffset: number;
  /** Capture time, microseconds since the Unix epoch (fractional for sub-µs stamps). */
  timeUs: number;

  /** 4 or 6. */
  ipVersion: number;
  /** Source and destination address bytes; the first 4 (IPv4) or 16 (IPv6) are valid. */
  srcAddr: Uint8Array;
  dstAddr: Uint8Array;
  srcPort: number;
  dstPort: number;
  /** IP TTL / hop limit, -1 when unknown. */
  ttl: number;
  /** IP total length (header + payload) as the header says, -1 when unknown. */
  ipLength: number;
  /**
   * Bytes the IPv4 header's total length claims past where a link-layer length field ended the datagram (a PPPoE
   * length shorter than the IP packet, with the rest captured as padding): tshark, and every per-packet fact here,
   * follow the link layer; Zeek follows the IP header and counts these bytes as payload. 0 almost always; only the
   * Zeek analysis (zeek.ts) reads it.
   */
  ipExtraLength: number;

  /** TCP flags: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80 AE 0x100. */
  flags: number;
  /** Raw 32-bit sequence and acknowledgement numbers (unsigned). */
  seq: number;
  ack: number;
  /** Raw window field (unscaled). */
  window: number;
  /** TCP payload length from the headers (what tshark calls tcp.len), even when the capture truncated it. */
  payloadLength: number;

  /** Options; -1 when absent. */
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  /** Number of SACK blocks (0 when none); the blocks themselves in `sackBlocks` as [left, right] pairs. */
  sackCount: number;
  sackBlocks: Uint32Array; // length 8, first 2 * sackCount valid
  /** Timestamps option: tsVal/tsEcr, -1 when absent. */
  tsVal: number;
  tsEcr: number;

  /** Captured payload bytes (possibly fewer than payloadLength); null when the input has no payload (text). */
  payload: Uint8Array | null;
  /**
   * The same captured bytes in place, for a consumer that reads a few of them (the TLS record walk) without the view
   * `payload` may make per read: payloadBuffer[payloadStart, payloadEnd). Optional: absent or null where a producer
   * does not say (then read `payload`).
   */
  payloadBuffer?: Uint8Array | null;
  payloadStart?: number;
  payloadEnd?: number;
}

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;
export const ECE = 0x40;
export const CWR = 0x80;
export const AE = 0x100;

export function createSegment(): TcpSegment {
  return {
    input: 0,
    frame: 0,
    recordOffset: 0,
    timeUs: 0,
    ipVersion: 4,
    srcAddr: new Uint8Array(16),
    dstAddr: new Uint8Array(16),
    srcPort: 0,
    dstPort: 0,
    ttl: -1,
    ipLength: -1,
    ipExtraLength: 0,
    flags: 0,
    seq: 0,
    ack: 0,
    window: 0,
    payloadLength: 0,
    mss: -1,
    windowScale: -1,
    sackPermitted: false,
    sackCount: 0,
    sackBlocks: new Uint32Array(8),
    tsVal: -1,
    tsEcr: -1,
    payload: null,
  };
}

/** Reset the option fields before filling a segment. */
export function clearTcpOptions(s: TcpSegment): void {
  s.mss = -1;
  s.windowScale = -1;
  s.sackPermitted = false;
  s.sackCount = 0;
  s.tsVal = -1;
  s.tsEcr = -1;
}

export interface SegmentSink {
  segment(s: TcpSegment): void;
  /**
   * A 4-tuple tshark gives a tcp.stream although the frame is no packet of that connection: a TCP header quoted in an
   * ICMP/ICMPv6 error, or one whose data offset is below 5. Only addresses, ports, seq, flags, input, time and frame
   * are set.
   */
  streamOnly?(s: TcpSegment): void;
  /**
   * The sink reads the TCP options (TcpSegment's mss ... tsEcr) of SYN segments only (their window scale): binary
   * captures' dissector then leaves the options of every other segment unread (unset: -1, false, 0), which saves
   * walking the timestamps option of nearly every packet.
   */
  readonly synOptionsOnly?: boolean;
}

/**
 * flagNames' texts by flags (9 bits), made once each: a big log's explanations ask for a deny's flags per deny (the
 * array and join per call were ~2% of writing a deny-joined log-only record).
 */
const FLAG_NAMES: (string | undefined)[] = [];

/** Short flag names in tcpdump order, e.g. "FIN ACK", "RST". */
export function flagNames(flags: number): string {
  if (flags >= 0 && flags < 512 && flags === (flags | 0)) return (FLAG_NAMES[flags] ??= flagText(flags));
  return flagText(flags);
}

function flagText(flags: number): string {
  const names: string[] = [];
  if (flags & SYN) names.push('SYN');
  if (flags & FIN) names.push('FIN');
  if (flags & RST) names.push('RST');
  if (flags & PSH) names.push('PSH');
  if (flags & ACK) names.push('ACK');
  if (flags & URG) names.push('URG');
  if (flags & ECE) names.push('ECE');
  if (flags & CWR) names.push('CWR');
  if (flags & AE) names.push('AE');
  return names.length ? names.join(' ') : 'none';
}
