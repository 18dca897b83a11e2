/**
 * Per-packet TCP sequence analysis after Wireshark's rules (wsug "TCP Analysis", formats.md §4.2):
 * retransmission (and its fast / spurious / out-of-order variants), duplicate ACK, zero window,
 * keep-alive, previous segment not captured, ACKed unseen segment. Like Wireshark, packets are
 * judged in capture order and 0 means "not set yet" for the per-direction numbers.
 * Not done: window full, window update, zero-window probes and their ACKs, keep-alive ACKs.
 */
import { ACK, FIN, RST, SYN, type TcpSegment } from '../model/segment';
import {
  A_ACKED_UNSEEN_SEGMENT, A_DUPLICATE_ACK, A_FAST_RETRANSMISSION, A_KEEP_ALIVE, A_OUT_OF_ORDER,
  A_PREVIOUS_SEGMENT_NOT_CAPTURED, A_RETRANSMISSION, A_SPURIOUS_RETRANSMISSION, A_ZERO_WINDOW,
} from '../model/anomalies';
import { type Dir, seqDelta } from './conn-state';

/** Out-of-order threshold when no initial RTT is known (Wireshark: 3 ms). */
const OOO_THRESHOLD_US = 3000;
const FAST_RETRANSMIT_US = 20000;

export function tcpAnomalies(fwd: Dir, rev: Dir, s: TcpSegment, irttUs: number): number {
  // The usual segment (no SYN/FIN/RST, at the next expected seq) can only be a zero window, a duplicate ACK
  // or ACK unseen data: the short path skips the other checks, which cannot fire (the same rules as in
  // anySegment). Kept small so that the compiler inlines it into the replay loop.
  // Sequence numbers are not passed to the helpers but read from `s` again: a uint32 above 2^31 passed to a
  // function that is not inlined is boxed, a heap allocation per call.
  if ((s.flags & (SYN | FIN | RST)) === 0 && fwd.nextSeq !== 0 && s.seq >>> 0 === fwd.nextSeq) return inOrder(fwd, rev, s);
  return anySegment(fwd, rev, s, irttUs);
}

/** tcpAnomalies for any segment. */
function anySegment(fwd: Dir, rev: Dir, s: TcpSegment, irttUs: number): number {
  const flags = s.flags;
  const seq = s.seq >>> 0;
  const ack = s.ack >>> 0;
  const seglen = s.payloadLength;
  const ctl = flags & (SYN | FIN | RST);
  const now = s.timeUs;
  let bits = 0;

  if (s.window === 0 && !ctl) bits |= A_ZERO_WINDOW;

  if (fwd.nextSeq && seqDelta(seq, fwd.nextSeq) > 0 && !(flags & RST)) bits |= A_PREVIOUS_SEGMENT_NOT_CAPTURED;

  let keepAlive = false;
  if (seglen <= 1 && !ctl && fwd.nextSeq && seq === ((fwd.nextSeq - 1) >>> 0)) {
    keepAlive = true;
    bits |= A_KEEP_ALIVE;
  }

  if (
    seglen === 0 && s.window && s.window === fwd.lastWindow && fwd.nextSeq && seq === fwd.nextSeq &&
    fwd.lastAck && ack === fwd.lastAck && !ctl && flags & ACK
  ) {
    fwd.dupAcks++;
    bits |= A_DUPLICATE_ACK;
  }

  if (flags & ACK) bits |= ackedUnseen(rev, s);

  if (!keepAlive && !(flags & RST) && (seglen > 0 || flags & (SYN | FIN)) && fwd.nextSeq && seqDelta(seq, fwd.nextSeq) < 0) {
    if (seglen > 0 && rev.lastAck && seqDelta((seq + seglen) >>> 0, rev.lastAck) <= 0) {
      bits |= A_SPURIOUS_RETRANSMISSION;
    } else if (rev.dupAcks >= 2 && rev.lastAck === seq && now - rev.lastAckTimeUs < FAST_RETRANSMIT_US) {
      bits |= A_FAST_RETRANSMISSION;
    } else if (now - fwd.nextSeqTimeUs < (irttUs > 0 ? irttUs : OOO_THRESHOLD_US) && fwd.nextSeq !== ((seq + seglen) >>> 0)) {
      bits |= A_OUT_OF_ORDER;
    } else {
      bits |= A_RETRANSMISSION;
    }
  }

  // Advance the expected sequence numbers when nothing was flagged as a retransmission.
  let next = (seq + seglen) >>> 0;
  if (flags & (SYN | FIN)) next = (next + 1) >>> 0;
  if (flags & RST) next = seq;
  const resent = bits & (A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION | A_OUT_OF_ORDER | A_KEEP_ALIVE);
  if (!resent && !(flags & RST) && (!fwd.nextSeq || seqDelta(next, fwd.nextSeq) > 0)) {
    fwd.nextSeq = next;
    fwd.nextSeqTimeUs = now;
  }
  if (!(flags & RST) && (!fwd.maxSeqToBeAcked || seq === fwd.maxSeqToBeAcked)) fwd.maxSeqToBeAcked = fwd.nextSeq;
  lastAckAndWindow(fwd, s, bits);
  return bits;
}

/**
 * tcpAnomalies for a segment without SYN/FIN/RST whose seq is the next expected one (fwd.nextSeq set): not
 * a retransmission, keep-alive or previous-segment-not-captured; with payload it advances the next seq.
 */
function inOrder(fwd: Dir, rev: Dir, s: TcpSegment): number {
  const seq = s.seq >>> 0;
  const ack = s.ack >>> 0;
  const seglen = s.payloadLength;
  const isAck = (s.flags & ACK) !== 0;
  let bits = s.window === 0 ? A_ZERO_WINDOW : 0;
  if (seglen === 0 && isAck && s.window !== 0 && s.window === fwd.lastWindow && fwd.lastAck !== 0 && ack === fwd.lastAck) {
    fwd.dupAcks++;
    bits |= A_DUPLICATE_ACK;
  }
  if (isAck) bits |= ackedUnseen(rev, s);
  if (seglen > 0) {
    fwd.nextSeq = (seq + seglen) >>> 0;
    fwd.nextSeqTimeUs = s.timeUs;
  }
  if (!fwd.maxSeqToBeAcked || seq === fwd.maxSeqToBeAcked) fwd.maxSeqToBeAcked = fwd.nextSeq;
  lastAckAndWindow(fwd, s, bits);
  return bits;
}

/** The segment's ACK goes beyond what the receiver's peer (rev) has been seen to send. */
function ackedUnseen(rev: Dir, s: TcpSegment): number {
  if (rev.maxSeqToBeAcked && seqDelta(s.ack >>> 0, rev.maxSeqToBeAcked) > 0) {
    rev.maxSeqToBeAcked = rev.nextSeq;
    return A_ACKED_UNSEEN_SEGMENT;
  }
  return 0;
}

/** Remember this side's latest ACK (and when it changed: duplicate-ACK counting) and window. */
function lastAckAndWindow(fwd: Dir, s: TcpSegment, bits: number): void {
  if (s.flags & ACK) {
    const ack = s.ack >>> 0;
    if (ack !== fwd.lastAck) {
      fwd.lastAckTimeUs = s.timeUs;
      if (!(bits & A_DUPLICATE_ACK)) fwd.dupAcks = 0;
    }
    fwd.lastAck = ack;
  }
  fwd.lastWindow = s.window;
}
