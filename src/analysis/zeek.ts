/**
 * Zeek's view of a TCP connection: per-endpoint states, the `history` string and `conn_state`,
 * recomputed packet by packet the way Zeek's TCP session adapter does it (zeek/zeek
 * src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc, TCP_Endpoint.cc, Conn.cc and
 * scripts/base/protocols/conn/main.zeek; formats.md §4.1). Reimplemented from the described
 * behaviour, not copied.
 *
 * Letters: S h a d f r (upper-case for the originator), t/T retransmitted payload, w/W zero window,
 * g/G content gap (logarithmic: 1st, 10th, 100th... occurrence), i/I FIN+RST in one packet,
 * q/Q SYN with FIN or RST, ^ roles flipped.
 * Not reproduced: c/C (we do not verify checksums: Zeek drops bad-checksum packets, we keep them),
 * x/X (analysis limits), the exact gap bookkeeping of Zeek's reassembler (we flag a gap when one side
 * acknowledges bytes of the other that were never seen, while both are established or cleanly
 * closing, as if Zeek were reassembling every connection), connection timeouts (Zeek splits a
 * connection after long inactivity; we do not).
 */
import { ACK, FIN, RST, SYN, type TcpSegment } from '../model/segment';
import {
  type Conn, type Dir, seqDelta,
  Z_CLOSED, Z_ESTABLISHED, Z_INACTIVE, Z_PARTIAL, Z_RESET, Z_SYN_ACK_SENT, Z_SYN_SENT,
} from './conn-state';
import { isLikelyServerPort } from './client-rule';
import { L_A, L_D, L_F, L_FLIP, L_G, L_H, L_I, L_Q, L_R, L_S, L_T, L_W, addHistory, appendHistory, checkHistory } from './zeek-history';

const TOO_LARGE_SEQ_DELTA = 1048576;

// hist_seen bits (Zeek's HIST_* masks); the responder's are shifted by 16.
const H_SYN = 0x1;
const H_FIN = 0x2;
const H_RST = 0x4;
const H_FIN_RST = 0x8;
const H_ACK = 0x10;
const H_DATA = 0x20;
const H_CORRUPT = 0x40;
const H_MULTI = 0x80;
void H_CORRUPT;

/** Zeek's WantConnection: flip roles for a connection whose first packet is not a plain SYN. */
export function zeekInit(c: Conn, flags: number, sport: number, dport: number): void {
  if (!(flags & SYN) || flags & ACK) {
    let flip = false;
    if (isLikelyServerPort(sport)) {
      flip = isLikelyServerPort(dport) ? !(flags & SYN) && sport < dport : true;
    }
    if (flip) {
      c.zOrig = 1;
      appendHistory(c, L_FLIP);
    }
  }
}

function setState(e: Dir, s: number): void {
  e.zPrev = e.zState;
  e.zState = s;
}

function initSeqs(e: Dir, start: number, last: number): void {
  e.zStart = start >>> 0;
  e.zAck = start >>> 0;
  e.zLast = last >>> 0;
}

/** Process one packet from side d (0 = a, 1 = b). */
export function zeekPacket(c: Conn, d: number, s: TcpSegment): void {
  const e = d === 0 ? c.a : c.b;
  const peer = d === 0 ? c.b : c.a;
  // Most packets carry no SYN/FIN/RST and come from an endpoint already under way: the short path.
  if ((s.flags & (SYN | FIN | RST)) === 0 && e.zSeen && e.zState !== Z_INACTIVE) plainPacket(c, e, peer, d === c.zOrig, s);
  else anyPacket(c, d, e, peer, s);
}

/**
 * zeekPacket for a packet without SYN, FIN or RST from an endpoint seen before and not INACTIVE: what
 * anyPacket does in that case (no partial status, endpoint init or state change can happen).
 */
function plainPacket(c: Conn, e: Dir, peer: Dir, orig: boolean, s: TcpSegment): void {
  const len = s.payloadLength + s.ipExtraLength; // Zeek's payload length (TcpSegment.ipExtraLength)
  const ack = (s.flags & ACK) !== 0;
  const base = s.seq >>> 0;
  if (len) checkHistory(c, orig, H_DATA, L_D);
  else if (ack) checkHistory(c, orig, H_ACK, L_A);
  if (s.window === 0) zeroWindow(c, e, peer, orig);
  if (ack) ackPeer(peer, s, false);
  // update_last_seq
  const lastSeq = (base + len) >>> 0;
  if (e.zState === Z_RESET) {
    // distrust
  } else if (seqDelta(lastSeq, e.zLast) > 0) {
    e.zLast = lastSeq;
  } else if (len > 0) {
    retransmitted(c, e, orig);
  }
  if (len > 0) contiguous(e, s, 0);
  if (ack) checkGap(c, e, peer, orig, s);
}

/** The zero-window letter (logarithmic), for a segment that is not a RST. */
function zeroWindow(c: Conn, e: Dir, peer: Dir, orig: boolean): void {
  if (peer.zState !== Z_CLOSED && e.zState !== Z_RESET && ++e.zWin0 === e.zWin0Thresh) {
    addHistory(c, orig, L_W);
    e.zWin0Thresh *= 10;
  }
}

/** The retransmission letter (logarithmic). */
function retransmitted(c: Conn, e: Dir, orig: boolean): void {
  if (++e.zRxmt === e.zRxmtThresh) {
    addHistory(c, orig, L_T);
    e.zRxmtThresh *= 10;
  }
}

// The helpers below read sequence numbers from the segment rather than take them as arguments: a uint32 above
// 2^31 passed to a function that is not inlined is boxed, a heap allocation per call.

/** ACK processing: initialise or advance the peer's acknowledged sequence. */
function ackPeer(peer: Dir, s: TcpSegment, rst: boolean): void {
  const ackSeq = s.ack >>> 0;
  if (peer.zState === Z_INACTIVE) {
    const st = (ackSeq - 1) >>> 0;
    peer.zStart = st;
    peer.zAck = st;
    peer.zLast = st;
    peer.zContig = ackSeq;
  } else {
    const under = seqDelta(ackSeq, peer.zStart) < 0;
    if (!under && !rst) {
      const dAck = seqDelta(ackSeq, peer.zAck);
      if (!(ackSeq === 0 && dAck > TOO_LARGE_SEQ_DELTA) && dAck > 0) peer.zAck = ackSeq;
    }
  }
}

/** Contiguous payload bookkeeping for gap detection (the payload starts `skip` after the segment's seq: 1 for a SYN). */
function contiguous(e: Dir, s: TcpSegment, skip: number): void {
  const dataStart = (s.seq + skip) >>> 0;
  const len = s.payloadLength + s.ipExtraLength; // Zeek's payload length (TcpSegment.ipExtraLength)
  if (seqDelta(dataStart, e.zContig) <= 0 && seqDelta((dataStart + len) >>> 0, e.zContig) > 0) {
    e.zContig = (dataStart + len) >>> 0;
  }
}

/** AckReceived on the peer (for an ACK without RST or FIN): a content gap when it covers peer bytes never seen. */
function checkGap(c: Conn, e: Dir, peer: Dir, orig: boolean, s: TcpSegment): void {
  let upTo = s.ack >>> 0;
  // The peer's FIN consumes one sequence number that is not data.
  if (peer.zFinCnt > 0 && upTo === peer.finEnd) upTo = (upTo - 1) >>> 0;
  // Usually the ACK covers only bytes seen: tested first, as it decides most packets.
  if (seqDelta(upTo, peer.zContig) <= 0 || !isClean(e) || !isClean(peer)) return;
  const rel = seqDelta(upTo, peer.zStart);
  if (!(rel <= 2 && c.zPartial)) {
    peer.zContig = upTo;
    if (++peer.zGap === peer.zGapThresh) {
      addHistory(c, !orig, L_G);
      peer.zGapThresh *= 10;
    }
  }
}

/** zeekPacket for any packet. */
function anyPacket(c: Conn, d: number, e: Dir, peer: Dir, s: TcpSegment): void {
  const flags = s.flags;
  let orig = d === c.zOrig;
  const len = s.payloadLength + s.ipExtraLength; // Zeek's payload length (TcpSegment.ipExtraLength)
  const syn = (flags & SYN) !== 0;
  const fin = (flags & FIN) !== 0;
  const rst = (flags & RST) !== 0;
  const ack = (flags & ACK) !== 0;
  const base = s.seq >>> 0;

  // SetPartialStatus (only the first packet of each side counts).
  if (orig) {
    if (!e.zSeen) c.zPartial = !syn || ack;
  } else if (!e.zSeen && !c.zPartial) {
    c.zPartial = !syn;
  }

  let segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
  if (rst) segLen -= len;
  const lastSeq = (base + segLen) >>> 0;

  // init_endpoint
  switch (e.zState) {
    case Z_INACTIVE:
      if (syn) {
        e.zAck = base;
        e.zStart = base;
      } else {
        e.zAck = (base - 1) >>> 0;
        e.zStart = (base - 1) >>> 0;
      }
      // Without a SYN, start "last seq" at the segment's start so it does not count as a retransmission.
      e.zLast = syn ? lastSeq : base;
      e.zContig = syn ? (base + 1) >>> 0 : base;
      break;
    case Z_SYN_SENT:
    case Z_SYN_ACK_SENT:
      if (syn && base !== e.zStart) initSeqs(e, base, lastSeq);
      break;
    case Z_ESTABLISHED:
    case Z_PARTIAL:
      if (syn) initSeqs(e, base, lastSeq);
      break;
    case Z_RESET:
      if (syn && e.zPrev === Z_INACTIVE) initSeqs(e, base, lastSeq);
      break;
  }

  // update_history
  const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (bits > 1) {
    if (fin && rst) checkHistory(c, orig, H_FIN_RST, L_I);
    else checkHistory(c, orig, H_MULTI, L_Q);
  } else if (bits === 1) {
    const relSeq = seqDelta(base, e.zStart);
    if (syn) {
      const code = ack ? L_H : L_S;
      if (checkHistory(c, orig, H_SYN, code) && relSeq !== e.zHistSyn) addHistory(c, orig, code);
      e.zHistSyn = relSeq;
    }
    if (fin) {
      if (checkHistory(c, orig, H_FIN, L_F) && relSeq + len !== e.zHistFin) addHistory(c, orig, L_F);
      e.zHistFin = relSeq + len;
    }
    if (rst) {
      if (checkHistory(c, orig, H_RST, L_R) && relSeq !== e.zHistRst) addHistory(c, orig, L_R);
      e.zHistRst = relSeq;
    }
  } else if (len) {
    checkHistory(c, orig, H_DATA, L_D);
  } else if (ack) {
    checkHistory(c, orig, H_ACK, L_A);
  }

  // update_window: zero-window letter
  if (s.window === 0 && !rst) zeroWindow(c, e, peer, orig);

  if (fin) e.zFinCnt++;

  if (ack) ackPeer(peer, s, rst);

  // update_last_seq
  const deltaLast = seqDelta(lastSeq, e.zLast);
  if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
    // distrust
  } else if (fin && e.zLast === ((e.zStart + 1) >>> 0)) {
    e.zLast = lastSeq;
  } else if (e.zState === Z_RESET) {
    // distrust
  } else if (deltaLast > 0) {
    e.zLast = lastSeq;
  } else if (len > 0) {
    retransmitted(c, e, orig);
  }

  if (len > 0 && !rst) contiguous(e, s, syn ? 1 : 0);

  // UpdateStateMachine
  switch (e.zState) {
    case Z_INACTIVE: {
      if (syn) {
        if (orig) {
          setState(e, ack ? Z_SYN_ACK_SENT : Z_SYN_SENT);
        } else {
          if (!ack && peer.zState === Z_SYN_ACK_SENT && base === e.zStart) {
            // SYN/SYN-ACK seen in reverse order: Zeek flips the roles.
            c.zPartial = false;
            c.zOrig = d;
            appendHistory(c, L_FLIP);
            orig = true;
            setState(peer, Z_ESTABLISHED);
          }
          if (peer.zState === Z_SYN_SENT) setState(peer, Z_ESTABLISHED);
          setState(e, Z_ESTABLISHED);
        }
      }
      if (fin) setState(e, Z_CLOSED);
      if (rst) setState(e, Z_RESET);
      if (e.zState === Z_INACTIVE) {
        if (!orig && len === 0 && peer.zState === Z_SYN_SENT) {
          // an ACK of the initial SYN before the SYN-ACK: not a partial connection
        } else if (ack && peer.zState === Z_ESTABLISHED) {
          setState(e, Z_ESTABLISHED);
          c.zPartial = false;
        } else {
          setState(e, Z_PARTIAL);
        }
      }
      break;
    }
    case Z_SYN_SENT:
    case Z_SYN_ACK_SENT:
      if (fin) setState(e, Z_CLOSED);
      if (rst) setState(e, Z_RESET);
      break;
    case Z_ESTABLISHED:
    case Z_PARTIAL:
      if (syn && e.zState === Z_PARTIAL && peer.zState === Z_INACTIVE && !ack) setState(e, Z_SYN_SENT);
      if (fin && !rst) {
        setState(e, Z_CLOSED);
        if (peer.zState === Z_RESET && peer.zPrev === Z_CLOSED) setState(peer, Z_CLOSED);
      }
      if (rst) setState(e, Z_RESET);
      break;
    case Z_CLOSED:
      if (rst && peer.zState !== Z_CLOSED) setState(e, Z_RESET);
      break;
    case Z_RESET:
      break;
  }

  if (ack && !rst && !fin) checkGap(c, e, peer, orig, s);

  e.zSeen = true;
}

function origDir(c: Conn): Dir {
  return c.zOrig === 0 ? c.a : c.b;
}

function isClean(e: Dir): boolean {
  return e.zState === Z_ESTABLISHED || (e.zState === Z_CLOSED && e.zPrev === Z_ESTABLISHED);
}

/** Zeek's endpoint size (bytes by sequence numbers), used only for REJ. */
function zeekSize(e: Dir, peer: Dir): number {
  if (e.zPrev === Z_SYN_SENT && e.zState === Z_RESET && peer.zState === Z_INACTIVE) return 0;
  const last = seqDelta(e.zLast, e.zStart);
  const acked = seqDelta(e.zAck, e.zStart);
  let size = Math.max(last, acked);
  if (size > 0) size--;
  if (e.zFinCnt > 0 && size > 0) size--;
  return Math.max(0, size);
}

const RSTOS0 = /^\^?S[^HAFGIQ]*R.*/;

/** Zeek's conn_state for the connection as it stands. */
export function zeekConnState(c: Conn): string {
  const o = origDir(c);
  const r = c.zOrig === 0 ? c.b : c.a;
  const os = o.zState;
  const rs = r.zState;
  const oInactive = os === Z_INACTIVE || os === Z_PARTIAL;
  const rInactive = rs === Z_INACTIVE || rs === Z_PARTIAL;
  if (rs === Z_RESET) {
    if (os === Z_SYN_SENT || os === Z_SYN_ACK_SENT || (os === Z_RESET && zeekSize(o, r) === 0 && zeekSize(r, o) === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === Z_RESET) {
    if (rInactive) return RSTOS0.test(c.zHistory) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === Z_CLOSED && os === Z_CLOSED) return 'SF';
  if (os === Z_CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === Z_CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === Z_SYN_SENT && rs === Z_INACTIVE) return 'S0';
  if (os === Z_ESTABLISHED && rs === Z_ESTABLISHED) return 'S1';
  return 'OTH';
}

/** Which side (0 = a, 1 = b) Zeek calls the originator. */
export function zeekOrigSide(c: Conn): number {
  return c.zOrig;
}
