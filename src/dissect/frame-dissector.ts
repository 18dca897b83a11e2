/**
 * Link-layer frame -> TcpSegment: picks the link dissector for the link type, walks shim headers
 * (VLAN, MPLS, PPPoE, Cisco FabricPath) and tunnels (IP-in-IP, GRE, VXLAN, Geneve, GTP-U) to the innermost TCP header, fills
 * the one reused TcpSegment and hands it to the sink. Frames without TCP are counted by reason.
 * Per frame: no allocation (the payload view is made only when seg.payload is read).
 *
 * Supported link types: NULL 0, Ethernet 1, PPP 9, raw IP 12/14/101, PPP_HDLC 50, C_HDLC 104,
 * LOOP 108, Linux SLL 113, ARCNET_LINUX 129, IPNET 226, IPv4 228, IPv6 229, NFLOG 239, IPOIB 242,
 * Linux SLL2 276. Others are counted as "link-type N".
 */
import type { SegmentSink, TcpSegment } from '../model/segment';
import { createSegment } from '../model/segment';
import {
  Cursor, ETH_FABRICPATH, ETH_IPV4, ETH_IPV6, ETH_MPLS, ETH_MPLS_MC, ETH_PPP, ETH_PPPOE_SESSION, ETH_QINQ, ETH_QINQ_OLD,
  ETH_TEB, ETH_VLAN, OK, REASSEMBLED, SKIP_NON_IP, SKIP_NON_TCP, SKIP_REASONS, SKIP_TOO_DEEP, SKIP_TRUNCATED, goOnReassembled,
} from './cursor';
import { Reassembler } from './reassembly';
import { ethernet } from './ethernet';
import { ipv4 } from './ipv4';
import { ipv6 } from './ipv6';
import { arcnetLinux, ipnet, ipoib } from './misc-links';
import { mpls } from './mpls';
import { nflog } from './nflog';
import { loopLink, nullLink } from './null-loop';
import { ciscoHdlc, ppp } from './ppp';
import { pppoeSession } from './pppoe';
import { rawIp } from './raw-ip';
import { sll } from './sll';
import { sll2 } from './sll2';
import { tcp } from './tcp';
import { icmpError } from './icmp';
import { gre, udpTunnel } from './tunnels';
import { vlan } from './vlan';

/** Link types this dissector reads (LINKTYPE_ values). */
export const SUPPORTED_LINK_TYPES: readonly number[] = [0, 1, 9, 12, 14, 50, 101, 104, 108, 113, 129, 226, 228, 229, 239, 242, 276];

/** Headers followed inside one frame before giving up (stacked tags, tunnels in tunnels). */
const MAX_LAYERS = 24;

/** Structurally a FrameSink (decode/types.ts) as well. */
export class FrameDissector {
  readonly seg: TcpSegment;
  private readonly c = new Cursor();
  /** Frames without a segment, by SKIP_* reason. */
  readonly skipCounts = new Float64Array(SKIP_REASONS.length);
  /** Frames on link types not supported, by link type. */
  readonly unsupported = new Map<number, number>();
  /** Record offset of the first frame on each unsupported link type (for the warning). */
  readonly unsupportedAt = new Map<number, number>();
  tcpPackets = 0;

  constructor(
    private readonly sink: SegmentSink,
    private readonly input: number,
  ) {
    // seg.payload is a getter: a subarray per packet costs a quarter of the decode time, and most
    // consumers never look at the payload. The view is valid only during the sink call.
    // A consumer's assignment to seg.payload holds until the next frame.
    // The accessor is part of the object literal: Object.defineProperty on an existing data
    // property would turn the segment into a slow dictionary-mode object (every field store a
    // hash lookup), which cost ~30% of the decode time.
    const c = this.c;
    const empty = new Uint8Array(0);
    const { payload: _unused, ...fields } = createSegment();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.seg = {
      ...fields,
      get payload(): Uint8Array | null {
        return self.payloadOverride !== undefined ? self.payloadOverride : c.payEnd > c.payStart ? c.buf.subarray(c.payStart, c.payEnd) : empty;
      },
      set payload(v: Uint8Array | null) {
        self.payloadOverride = v;
        this.payloadBuffer = null; // the bytes in place are not these any more
      },
      // The payload's bytes in place (TcpSegment.payloadBuffer), set with every segment: no view needed to read them.
      payloadBuffer: null,
      payloadStart: 0,
      payloadEnd: 0,
    };
    this.seg.input = input;
    c.synOptionsOnly = sink.synOptionsOnly === true;
    c.reassembler = new Reassembler(); // IP fragments of this input
  }

  private payloadOverride: Uint8Array | null | undefined = undefined;

  /** FrameTarget: the capture time and record offset of the frame the next dissect() call gets (set by the framer). */
  timeUs = 0;
  recordOffset = 0;

  /** FrameSink form (a view per frame); decoders call `dissect` with offsets instead. */
  frame(linkType: number, timeUs: number, data: Uint8Array, recordOffset: number, frameNumber: number, originalLength: number): void {
    this.timeUs = timeUs;
    this.recordOffset = recordOffset;
    this.dissect(linkType, data, 0, data.length, originalLength, frameNumber);
  }

  /** Dissect the frame in b[off, end), which was wireLength bytes long on the wire (time and offset: see timeUs). */
  dissect(linkType: number, b: Uint8Array, off: number, end: number, wireLength: number, frameNumber: number): void {
    const timeUs = this.timeUs;
    const recordOffset = this.recordOffset;
    const c = this.c;
    c.off = off;
    c.end = end;
    c.wire = off + (wireLength > end - off ? wireLength : end - off);
    c.cut = 0;
    c.ipExtra = 0;
    c.quoted = false;
    let r: number;
    if (linkType === 1) {
      r = this.ethernetFast(b, off);
      if (r < 0) {
        // Not the common shape: the general walk, from the start of the frame again.
        c.off = off;
        c.end = end;
        c.wire = off + (wireLength > end - off ? wireLength : end - off);
        r = ethernet(b, c) ? this.network(b) : SKIP_TRUNCATED;
      }
    } else {
      r = this.otherLink(linkType, b, off, end, recordOffset);
      if (r < 0) return;
    }
    if (r !== OK) {
      if (c.quoted) r = SKIP_NON_TCP; // an ICMP error: whatever its quote held, the frame itself is not TCP
      if (c.streamOnly) {
        c.streamOnly = false;
        this.seg.input = this.input;
        this.seg.timeUs = timeUs;
        this.seg.frame = frameNumber;
        this.sink.streamOnly?.(this.seg);
      }
      this.skipCounts[r]++;
      return;
    }
    const seg = this.seg;
    seg.ipExtraLength = c.ipExtra;
    seg.frame = frameNumber;
    seg.recordOffset = recordOffset;
    seg.timeUs = timeUs;
    this.payloadOverride = undefined;
    seg.payloadBuffer = c.buf;
    seg.payloadStart = c.payStart;
    seg.payloadEnd = c.payEnd;
    this.tcpPackets++;
    this.sink.segment(seg);
  }

  /**
   * The common case without the general walk: Ethernet II, at most one VLAN tag, IPv4 or IPv6,
   * TCP. Returns OK, a skip reason, or -1 when the frame has another shape (the caller then
   * walks it the general way from the start; what this wrote into the segment is overwritten).
   */
  private ethernetFast(b: Uint8Array, off: number): number {
    const c = this.c;
    let o = off + 14;
    if (o > c.end) return -1;
    let t = (b[off + 12] << 8) | b[off + 13];
    if (t === ETH_VLAN) {
      if (o + 4 > c.end) return -1;
      t = (b[o + 2] << 8) | b[o + 3];
      o += 4;
    }
    c.off = o;
    let r: number;
    if (t === ETH_IPV4) r = ipv4(b, c, this.seg);
    else if (t === ETH_IPV6) r = ipv6(b, c, this.seg);
    else return -1;
    if (r === REASSEMBLED) return c.proto === 6 ? tcp(goOnReassembled(c), c, this.seg) : SKIP_NON_TCP;
    if (r !== OK) return r;
    return c.proto === 6 ? tcp(b, c, this.seg) : -1;
  }

  /** Link types other than Ethernet: OK or a skip reason, or -1 when the link type is not supported. */
  private otherLink(linkType: number, b: Uint8Array, off: number, end: number, recordOffset: number): number {
    const c = this.c;
    let ok: boolean;
    switch (linkType) {
      case 0: ok = nullLink(b, c); break;
      case 108: ok = loopLink(b, c); break;
      case 101: case 12: case 14: ok = rawIp(b, c); break;
      case 228: c.type = ETH_IPV4; ok = true; break;
      case 229: c.type = ETH_IPV6; ok = true; break;
      case 113: ok = sll(b, c); break;
      case 276: ok = sll2(b, c); break;
      // Cisco HDLC frames (address 0x0f/0x8f) under the PPP link types are read as such, as tshark does (ppp:chdlc).
      case 9: case 50: ok = off < end && (b[off] === 0x0f || b[off] === 0x8f) ? ciscoHdlc(b, c) : ppp(b, c); break;
      case 104: ok = ciscoHdlc(b, c); break;
      case 239: ok = nflog(b, c); break;
      case 226: ok = ipnet(b, c); break;
      case 242: ok = ipoib(b, c); break;
      case 129: ok = arcnetLinux(b, c); break;
      default:
        if (!this.unsupported.has(linkType)) this.unsupportedAt.set(linkType, recordOffset);
        this.unsupported.set(linkType, (this.unsupported.get(linkType) ?? 0) + 1);
        return -1;
    }
    return ok ? this.network(b) : SKIP_TRUNCATED;
  }

  /** From the EtherType in the cursor to a filled TCP segment (OK) or a skip reason. */
  private network(b: Uint8Array): number {
    const c = this.c;
    const seg = this.seg;
    let type = c.type;
    for (let layer = 0; layer < MAX_LAYERS; layer++) {
      let r: number;
      switch (type) {
        case ETH_IPV4: r = ipv4(b, c, seg); break;
        case ETH_IPV6: r = ipv6(b, c, seg); break;
        case ETH_VLAN: case ETH_QINQ: case ETH_QINQ_OLD:
          if (!vlan(b, c)) return SKIP_TRUNCATED;
          type = c.type;
          continue;
        case ETH_MPLS: case ETH_MPLS_MC:
          if (!mpls(b, c)) return SKIP_TRUNCATED;
          type = c.type;
          continue;
        case ETH_PPPOE_SESSION:
          if (!pppoeSession(b, c)) return SKIP_TRUNCATED;
          type = c.type;
          continue;
        case ETH_TEB:
          if (!ethernet(b, c)) return SKIP_TRUNCATED;
          type = c.type;
          continue;
        case ETH_FABRICPATH:
          c.off += 2;
          type = ETH_TEB;
          continue;
        case ETH_PPP:
          if (!ppp(b, c)) return SKIP_TRUNCATED;
          type = c.type;
          continue;
        default:
          return SKIP_NON_IP;
      }
      if (r === REASSEMBLED) {
        b = goOnReassembled(c);
        r = OK;
      }
      if (r !== OK) return r;
      switch (c.proto) {
        case 6: return tcp(b, c, seg);
        case 4: type = ETH_IPV4; break;
        case 41: type = ETH_IPV6; break;
        case 47:
          r = gre(b, c);
          if (r !== OK) return r;
          type = c.type;
          break;
        case 17:
          r = udpTunnel(b, c);
          if (r !== OK) return r;
          type = c.type;
          break;
        case 1: case 58:
          type = icmpError(b, c, c.proto);
          if (type === 0) return SKIP_NON_TCP;
          break;
        default:
          return SKIP_NON_TCP;
      }
    }
    return SKIP_TOO_DEEP;
  }

  /** Add the counts to a report's `skipped` map. */
  addSkipped(skipped: Record<string, number>): void {
    for (let i = 1; i < SKIP_REASONS.length; i++) {
      if (this.skipCounts[i]) skipped[SKIP_REASONS[i]] = (skipped[SKIP_REASONS[i]] ?? 0) + this.skipCounts[i];
    }
    for (const [lt, n] of this.unsupported) skipped[`link-type ${lt}`] = (skipped[`link-type ${lt}`] ?? 0) + n;
  }
}
