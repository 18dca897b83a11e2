/**
 * Close bookkeeping per packet (FIN/RST order, FIN+RST together, late RSTs, data after FIN, RSTs
 * outside the receiver's window) and the close classification (CloseFacts.kind).
 */
import { ACK, FIN, RST, SYN, type TcpSegment } from '../model/segment';
import type { CloseKind, Handshake, Side } from '../model/report';
import { A_DATA_AFTER_FIN, A_FIN_RST_TOGETHER, A_RST_AFTER_CLOSE, A_RST_OUT_OF_WINDOW } from '../model/anomalies';
import { type Conn, type Dir, type SideFacts, seqDelta } from './conn-state';

/** A RST this soon after the same side's FIN counts as sent "together" with it. */
const FIN_RST_TOGETHER_US = 1000;

/**
 * What the close rules read of a side: a Dir during the replay, a StoredSide afterwards, or the sides a
 * connection seen at two capture points has on its merged timeline (vantage/close.ts).
 */
export interface CloseSide {
  packets: number;
  /** Packet index (in the connection's timeline) of the side's first FIN / first RST; -1 when none. */
  finIndex: number;
  rstIndex: number;
  /** The side sent a SYN / a SYN+ACK; completed the handshake with an ACK; sent nothing but SYNs. */
  synSeen: boolean;
  synAckSeen: boolean;
  handshakeAck: boolean;
  onlySyns: boolean;
}

/** The handshake facts a packet with flags `f` from `me` changes. */
export function handshakeStep(me: CloseSide, peer: CloseSide, f: number): void {
  if ((f & (SYN | ACK)) !== SYN) me.onlySyns = false;
  if (!(f & SYN) && f & ACK && me.synSeen && peer.synAckSeen) me.handshakeAck = true;
  if (f & SYN) {
    if (f & ACK) me.synAckSeen = true;
    else me.synSeen = true;
  }
}

/** Whether a RST (flags `f`, at `timeUs`) goes with its side's FIN: in one segment, or within 1 ms of it (finUs; null: no FIN yet). */
export function rstWithFin(f: number, finUs: number | null, timeUs: number): boolean {
  return (f & FIN) !== 0 || (finUs !== null && timeUs - finUs <= FIN_RST_TOGETHER_US);
}

/** Update close facts for one packet from `me`; returns anomaly bits for the packet. */
export function closePacket(c: Conn, me: Dir, peer: Dir, s: TcpSegment, index: number): number {
  const f = s.flags;
  // The usual packet: no SYN/FIN/RST before any FIN: only the handshake facts can change (handshakeStep without
  // a SYN).
  // Kept small so that the compiler inlines it into the replay loop.
  if ((f & (SYN | FIN | RST)) === 0 && me.finIndex < 0 && peer.finIndex < 0) {
    me.onlySyns = false;
    if (f & ACK && me.synSeen && peer.synAckSeen) me.handshakeAck = true;
    return 0;
  }
  return anyPacket(c, me, peer, s, index);
}

/** closePacket for any packet. */
function anyPacket(c: Conn, me: Dir, peer: Dir, s: TcpSegment, index: number): number {
  const f = s.flags;
  const seq = s.seq >>> 0;
  let bits = 0;

  if (f & ACK && peer.finIndex >= 0 && seqDelta(s.ack >>> 0, peer.finEnd) >= 0) me.ackedPeerFin = true;

  handshakeStep(me, peer, f);
  if (f & SYN) {
    if (s.windowScale >= 0) me.windowScale = s.windowScale;
    else if (me.windowScale < 0) me.windowScale = -2; // SYN without the option: no scaling from this side
  }

  if (s.payloadLength > 0 && !(f & RST) && me.finIndex >= 0 && seqDelta(seq, (me.finEnd - 1) >>> 0) >= 0) {
    me.dataAfterFin = true;
    bits |= A_DATA_AFTER_FIN;
  }

  if (f & FIN && me.finIndex < 0) {
    me.finIndex = index;
    me.finTimeUs = s.timeUs;
    me.finEnd = (seq + s.payloadLength + (f & SYN ? 1 : 0) + 1) >>> 0;
    me.finBeforeAckingPeer = !me.ackedPeerFin;
    if (c.closeSeenUs === 0) c.closeSeenUs = s.timeUs;
  }

  if (f & RST) {
    me.rstCount++;
    if (me.rstIndex < 0) {
      me.rstIndex = index;
      me.rstTimeUs = s.timeUs;
    }
    if (c.closeSeenUs === 0) c.closeSeenUs = s.timeUs;
    if (rstWithFin(f, me.finIndex >= 0 ? me.finTimeUs : null, s.timeUs)) {
      c.finRstTogether = true;
      bits |= A_FIN_RST_TOGETHER;
    }
    if (me.finIndex >= 0 && peer.finIndex >= 0) {
      c.lateRst = true;
      c.lateRsts++;
      bits |= A_RST_AFTER_CLOSE;
    }
    if (rstOutOfWindow(me, peer, seq)) bits |= A_RST_OUT_OF_WINDOW;
  }
  if ((me.finIndex >= 0 && peer.finIndex >= 0) || f & RST) c.ended = true;
  return bits;
}

/** RFC 9293 §3.5.3: a RST is valid when its sequence number is inside the receiver's window. */
function rstOutOfWindow(me: Dir, peer: Dir, seq: number): boolean {
  if (!peer.lastAck || peer.lastWindow < 0) return false; // the receiver never said what it expects
  // Window scaling applies only when both SYNs carried the option; unknown (no handshake) = lenient.
  const handshake = (me.synSeen || me.synAckSeen) && (peer.synSeen || peer.synAckSeen);
  const scale = handshake ? (me.windowScale >= 0 && peer.windowScale >= 0 ? peer.windowScale : 0) : 14;
  const wnd = peer.lastWindow * 2 ** scale;
  const d = seqDelta(seq, peer.lastAck);
  if (wnd === 0) return d !== 0;
  return d < 0 || d >= wnd;
}

export function handshakeOf(client: SideFacts, server: SideFacts): Handshake {
  if (client.synSeen && server.synAckSeen && client.handshakeAck) return 'complete';
  if (client.synSeen || server.synAckSeen) return 'partial';
  return 'none';
}

/**
 * The close kind: the first rule that fits, in the documented order (model/close-kinds.ts). The one rule set: a
 * connection's own packets (the report, summary, flow table) and the timeline two capture points saw use it.
 */
export function closeKind(client: CloseSide, server: CloseSide): CloseKind {
  const finC = client.finIndex >= 0;
  const finS = server.finIndex >= 0;
  const rstC = client.rstIndex >= 0;
  const rstS = server.rstIndex >= 0;
  const anyRst = rstC || rstS;
  if (finC && finS && !anyRst) return 'clean';
  if ((finC || finS) && anyRst) return 'fin-then-rst';
  if (!client.handshakeAck && client.synSeen && !server.synAckSeen && rstS) return 'refused';
  if (anyRst) return 'reset';
  if (finC !== finS) return 'half-closed';
  if (server.packets === 0 && client.packets > 0 && client.onlySyns) return 'unanswered';
  return 'open';
}

/** Packet index of a side's first FIN or RST, -1 when none. */
function firstClose(d: CloseSide): number {
  return d.finIndex < 0 ? d.rstIndex : d.rstIndex < 0 ? d.finIndex : Math.min(d.finIndex, d.rstIndex);
}

/** Who closed first: the side whose first FIN/RST came first. */
export function closeInitiator(client: CloseSide, server: CloseSide): Side | null {
  const a = firstClose(client);
  const b = firstClose(server);
  if (a < 0 && b < 0) return null;
  if (a < 0) return 'server';
  if (b < 0) return 'client';
  return a <= b ? 'client' : 'server';
}
