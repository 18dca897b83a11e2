/**
 * Per-connection analysis state while one connection's packets are replayed (replay.ts): one `Conn` and two
 * `Dir` (one per direction) objects, numbers only, reset() and reused for every connection. Sides are "a" (the sender of the connection's first packet) and "b"; which of them is the client
 * is decided at the end (see client-rule.ts), so everything here is kept per side.
 * What outlives the replay is copied into the compact per-connection store (conn-store.ts).
 */
import type { ZeekLogEntry } from '../model/report';

/** Zeek TCP endpoint states (zeek TCP_Endpoint.h). */
export const Z_INACTIVE = 0;
export const Z_SYN_SENT = 1;
export const Z_SYN_ACK_SENT = 2;
export const Z_PARTIAL = 3;
export const Z_ESTABLISHED = 4;
export const Z_CLOSED = 5;
export const Z_RESET = 6;

/**
 * What the reports read of a side once its connection was analysed: a side's entry in the store (conn-store.ts
 * loadSide makes one) and, during the replay, the part of its Dir that the store keeps.
 */
export class SideFacts {
  packets = 0;
  payloadBytes = 0;
  /** Raw seq of this side's SYN (ISN) or, without SYN, of its first packet minus 1; for relative numbers. */
  base = 0;
  baseSet = false;
  synSeen = false;
  synAckSeen = false;
  /** Packet index (within the connection) of this side's first FIN / RST; -1 when none. */
  finIndex = -1;
  finTimeUs = 0;
  rstIndex = -1;
  rstCount = 0;
  rstTimeUs = 0;
  /** This side sent its first FIN before acknowledging the peer's FIN. */
  finBeforeAckingPeer = false;
  dataAfterFin = false;
  /** This side (as client) acknowledged the peer's SYN+ACK: the three-way handshake completed. */
  handshakeAck = false;
  /** Every packet this side sent was a SYN without ACK. */
  onlySyns = true;
  // For the explanation: plain SYNs sent, payload bytes sent after the peer's FIN (not in RSTs), a FIN+RST segment.
  plainSyns = 0;
  afterPeerFin = 0;
  finRstOneSegment = false;
  // TLS facts from the packet pass (tls-walk.ts), loaded for the report.
  tlsAlertBeforeFin = false;
  inferredAlert = false;
  /** Zeek endpoint state (zeek.ts). */
  zState = Z_INACTIVE;
  /** RFC 9293 state changes as [state code, packet index] pairs (names in rfc-states.ts), small integers only. */
  states: number[] = [];

  /** Back to the values of a new side (the replay reuses one pair of Dirs for every connection). */
  protected resetFacts(): void {
    this.packets = 0;
    this.payloadBytes = 0;
    this.base = 0;
    this.baseSet = false;
    this.synSeen = false;
    this.synAckSeen = false;
    this.finIndex = -1;
    this.finTimeUs = 0;
    this.rstIndex = -1;
    this.rstCount = 0;
    this.rstTimeUs = 0;
    this.finBeforeAckingPeer = false;
    this.dataAfterFin = false;
    this.handshakeAck = false;
    this.onlySyns = true;
    this.plainSyns = 0;
    this.afterPeerFin = 0;
    this.finRstOneSegment = false;
    this.tlsAlertBeforeFin = false;
    this.inferredAlert = false;
    this.zState = Z_INACTIVE;
    // save() copied them. Emptied by pop(), not `length = 0`: V8 frees the backing store of an array whose length
    // is set to 0, so each connection allocated its state logs anew (33 MB per replay of 100,000 connections).
    const states = this.states;
    while (states.length) states.pop();
  }
}

/** One direction of a connection: what one side sent, plus how the analyses see that side. */
export class Dir extends SideFacts {
  /** Raw seq one past this side's FIN (what the peer acks to acknowledge it). */
  finEnd = 0;
  /** This side has sent an ACK covering the peer's FIN. */
  ackedPeerFin = false;
  windowScale = -1;

  // Wireshark-style sequence analysis (formats.md §4.2). 0 = unset, as in Wireshark.
  nextSeq = 0;
  nextSeqTimeUs = 0;
  maxSeqToBeAcked = 0;
  lastAck = 0;
  lastAckTimeUs = 0;
  lastWindow = -1;
  dupAcks = 0;

  // RFC 793 endpoint state as implied by the capture (rfc-states.ts).
  rfc = 0;
  rfcPendingFin = false;

  // Zeek endpoint (zeek.ts; zState with the side's facts). Sequence numbers are raw uint32 kept as numbers.
  zPrev = Z_INACTIVE;
  zStart = 0;
  zLast = 0;
  zAck = 0;
  zFinCnt = 0;
  zHistSyn = -1;
  zHistFin = -1;
  zHistRst = -1;
  zRxmt = 0;
  zRxmtThresh = 1;
  zWin0 = 0;
  zWin0Thresh = 1;
  zGap = 0;
  zGapThresh = 1;
  /** Highest raw seq up to which this side's payload was seen without holes (Zeek gap detection). */
  zContig = 0;
  zSeen = false;
  /** Zeek's did_close: this endpoint's close (FIN or RST) was reported (zeek-lifetime.ts). */
  zDidClose = false;

  /** Zeek's endpoint back to its initial state (a new Zeek connection starts: zeek-lifetime.ts). */
  resetZeek(): void {
    this.zState = Z_INACTIVE;
    this.zPrev = Z_INACTIVE;
    this.zStart = 0;
    this.zLast = 0;
    this.zAck = 0;
    this.zFinCnt = 0;
    this.zHistSyn = -1;
    this.zHistFin = -1;
    this.zHistRst = -1;
    this.zRxmt = 0;
    this.zRxmtThresh = 1;
    this.zWin0 = 0;
    this.zWin0Thresh = 1;
    this.zGap = 0;
    this.zGapThresh = 1;
    this.zContig = 0;
    this.zSeen = false;
    this.zDidClose = false;
  }

  /** Back to the state of a new Dir (the replay reuses one pair for every connection). */
  reset(): void {
    this.resetFacts();
    this.finEnd = 0;
    this.ackedPeerFin = false;
    this.windowScale = -1;
    this.nextSeq = 0;
    this.nextSeqTimeUs = 0;
    this.maxSeqToBeAcked = 0;
    this.lastAck = 0;
    this.lastAckTimeUs = 0;
    this.lastWindow = -1;
    this.dupAcks = 0;
    this.rfc = 0;
    this.rfcPendingFin = false;
    this.resetZeek();
  }
}

export class Conn {
  ipVersion: number;
  aPort: number;
  bPort: number;
  readonly a = new Dir();
  readonly b = new Dir();
  firstTimeUs = 0;
  lastTimeUs = 0;
  packets = 0;
  /** Inputs (files) that contributed packets, as a bit set (first 31 inputs) plus an overflow list. */
  inputs = 0;
  moreInputs: number[] | null = null;
  /** Raw flags of the first packet. */
  firstFlags = 0;
  /** Side whose plain SYN came first (valid when a SYN was seen). */
  firstSynSide = 0;
  /** Time of the first FIN or RST seen in either direction; 0 until then. */
  closeSeenUs = 0;
  /** RSTs sent when both FINs had already been seen. */
  lateRst = false;
  lateRsts = 0;
  finRstTogether = false;
  /** Payload in one of the 2 packets right before the first RST (an abort mid-transfer). */
  dataRightBeforeRst = false;
  /** Payload lengths of the last two packets, until the first RST (for dataRightBeforeRst). */
  prevLen1 = 0;
  prevLen2 = 0;
  rstSeen = false;
  /** Zeek: which side Zeek calls the originator (0 = a, 1 = b), its history and the bits seen. */
  zOrig = 0;
  zHistory = '';
  /** Node of zHistory in zeek.ts's history trie (0 = the empty history, -1 = not in the trie). */
  zHistNode = 0;
  zHistSeen = 0;
  zPartial = false;
  // Zeek connection lifetime (zeek-lifetime.ts): Zeek's "last time", its pending timers (capture µs; 0 = none),
  // the earliest of them, the packet index the current Zeek connection started at, and the rows of the Zeek
  // connections that ended before it within this connection (null = none).
  zLastUs = 0;
  zAttemptUs = 0;
  zDeleteUs = 0;
  readonly zExpireUs: number[] = [];
  zDueUs = Infinity;
  zFirstPacket = 0;
  zLog: ZeekLogEntry[] | null = null;
  /** TLS: version from the ServerHello (0x0303, 0x0304...), 0 when none seen; any record seen. */
  tlsVersion = 0;
  tlsSeen = false;
  /** TLS: records lost to a hole in the captured bytes; plaintext came before TLS (STARTTLS and the like). */
  tlsHole = false;
  tlsPlain = false;
  /** Anomaly bits OR-ed over all packets (cheap check whether to list them). */
  anomalyBits = 0;
  /** A FIN or RST was seen from both sides / the connection ended. */
  ended = false;

  constructor(ipVersion: number, aPort: number, bPort: number) {
    this.ipVersion = ipVersion;
    this.aPort = aPort;
    this.bPort = bPort;
  }

  /** Back to the state of a new Conn for another connection (the replay reuses one for every connection). */
  reset(ipVersion: number, aPort: number, bPort: number): void {
    this.ipVersion = ipVersion;
    this.aPort = aPort;
    this.bPort = bPort;
    this.a.reset();
    this.b.reset();
    this.firstTimeUs = 0;
    this.lastTimeUs = 0;
    this.packets = 0;
    this.inputs = 0;
    this.moreInputs = null;
    this.firstFlags = 0;
    this.firstSynSide = 0;
    this.closeSeenUs = 0;
    this.lateRst = false;
    this.lateRsts = 0;
    this.finRstTogether = false;
    this.dataRightBeforeRst = false;
    this.prevLen1 = 0;
    this.prevLen2 = 0;
    this.rstSeen = false;
    resetZeekConnection(this); // the sides' Zeek fields were reset by a.reset() / b.reset()
    this.zLog = null;
    this.tlsVersion = 0;
    this.tlsSeen = false;
    this.tlsHole = false;
    this.tlsPlain = false;
    this.anomalyBits = 0;
    this.ended = false;
  }
}

/** Zeek's view of the connection back to a new Zeek connection's (zLog, the earlier rows, is kept). */
export function resetZeek(c: Conn): void {
  c.a.resetZeek();
  c.b.resetZeek();
  resetZeekConnection(c);
}

/** The connection-level part of resetZeek (the sides' endpoints not included). */
function resetZeekConnection(c: Conn): void {
  c.zOrig = 0;
  c.zHistory = '';
  c.zHistNode = 0;
  c.zHistSeen = 0;
  c.zPartial = false;
  c.zLastUs = 0;
  c.zAttemptUs = 0;
  c.zDeleteUs = 0;
  while (c.zExpireUs.length) c.zExpireUs.pop(); // not length = 0: see Dir.reset
  c.zDueUs = Infinity;
  c.zFirstPacket = 0;
}

export function word(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Signed difference of two 32-bit sequence numbers (a - b), as TCP compares them. */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}
