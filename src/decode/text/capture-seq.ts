/**
 * Turns the sequence numbers a text capture printed into raw 32-bit ones, per conversation.
 *
 * tcpdump (print-tcp.c, without -S) prints the first ACK-bearing packet of a conversation with absolute numbers,
 * records seq as that direction's base and ack-1 as the other's, and prints later ACK-bearing packets relative
 * to those bases (packets without ACK, e.g. SYN, stay absolute; a SYN-ACK always prints absolute and resets the
 * bases). We replay that: for each conversation we keep
 * the bases and, once a later packet shows whether the numbers are near the bases (absolute, e.g. -S or ASA
 * `show capture`) or near zero (relative), convert relative ones back. The decision is made once per file
 * from the first conversation whose bases are large enough to tell (> 2^20); until then `defaultRelative`.
 *
 * Lines that print no seq (pure ACKs: `. ack 1 win 65535`, `Flags [.], ack 1`) get the next expected seq of that
 * direction, else the last ack the other direction sent, else 0.
 */
import { FIN, SYN, ACK, type TcpSegment } from '../../model/segment';

interface Conv {
  /** Direction 0 is the first one seen: its src address bytes + port decide. */
  baseKnown: boolean;
  base: [number, number];
  nextSeq: [number, number];
  nextKnown: [boolean, boolean];
  lastAck: [number, number];
  ackKnown: [boolean, boolean];
}

const TWO32 = 4294967296;
const norm = (v: number) => ((v % TWO32) + TWO32) % TWO32;
/** Signed circular distance |a - b| mod 2^32. */
const dist = (a: number, b: number) => {
  const d = norm(a - b);
  return d > TWO32 / 2 ? TWO32 - d : d;
};

function addrKey(bytes: Uint8Array, n: number, port: number): string {
  let k = '';
  for (let i = 0; i < n; i++) k += String.fromCharCode(bytes[i]);
  return k + String.fromCharCode(port >> 8, port & 255);
}

export class SeqTracker {
  private readonly convs = new Map<string, Conv>();
  /** null until decided; true = relative numbers. */
  relative: boolean | null = null;
  constructor(private readonly defaultRelative: boolean) {}

  /**
   * Fix seg.seq/ack in place. `hasSeq`/`hasAck` say what the line printed. Returns false when the seq had to be
   * guessed with nothing to go on (the caller may note it).
   */
  fix(seg: TcpSegment, hasSeq: boolean, hasAck: boolean): boolean {
    const n = seg.ipVersion === 6 ? 16 : 4;
    const a = addrKey(seg.srcAddr, n, seg.srcPort);
    const b = addrKey(seg.dstAddr, n, seg.dstPort);
    const forward = a < b;
    const key = forward ? a + b : b + a;
    let c = this.convs.get(key);
    if (!c) {
      c = { baseKnown: false, base: [0, 0], nextSeq: [0, 0], nextKnown: [false, false], lastAck: [0, 0], ackKnown: [false, false] };
      this.convs.set(key, c);
    }
    const d = forward ? 0 : 1;
    const o = 1 - d;
    const hasAckFlag = (seg.flags & ACK) !== 0;
    if (hasAckFlag && hasAck) {
      if (!c.baseKnown || seg.flags & SYN) {
        // First ACK-bearing packet, or any SYN-ACK: tcpdump prints it absolute and (re)takes its numbers as the bases.
        c.baseKnown = true;
        c.base[d] = hasSeq ? seg.seq : c.nextKnown[d] ? c.nextSeq[d] : c.ackKnown[o] ? c.lastAck[o] : 0;
        c.base[o] = norm(seg.ack - 1);
      } else {
        if (this.relative === null && (c.base[0] > 1 << 20 || c.base[1] > 1 << 20)) {
          // Decide: is this packet's ack near the other side's base (absolute) or near 0 (relative)?
          const absErr = dist(seg.ack, c.base[o]) + (hasSeq ? dist(seg.seq, c.base[d]) : 0);
          const relErr = dist(seg.ack, 0) + (hasSeq ? dist(seg.seq, 0) : 0);
          this.relative = relErr < absErr;
        }
        if (this.relative ?? this.defaultRelative) {
          if (hasSeq) seg.seq = norm(seg.seq + c.base[d]);
          seg.ack = norm(seg.ack + c.base[o]);
        }
      }
    }
    let known = true;
    if (!hasSeq) {
      if (c.nextKnown[d]) seg.seq = c.nextSeq[d];
      else if (c.ackKnown[o]) seg.seq = c.lastAck[o];
      else {
        seg.seq = 0;
        known = false;
      }
    }
    if (hasSeq || known) {
      c.nextSeq[d] = norm(seg.seq + seg.payloadLength + (seg.flags & SYN ? 1 : 0) + (seg.flags & FIN ? 1 : 0));
      c.nextKnown[d] = true;
    }
    if (hasAck && hasAckFlag) {
      c.lastAck[d] = seg.ack;
      c.ackKnown[d] = true;
    }
    return known;
  }
}
