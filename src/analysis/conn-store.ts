/**
 * What the reports need of each connection once its packets were analysed, in typed arrays indexed by
 * connection (per side: 2 * connection + side, side 0 = a, the sender of the first packet, 1 = b). A few
 * hundred bytes per connection instead of two objects of ~70 fields each. `loadSide` turns a side back
 * into a small object for the report code (short-lived).
 */
import { SideFacts, type Conn, type Dir } from './conn-state';
import { grown } from './typed-grown';
import type { ZeekLogEntry } from '../model/report';

// Per-side bits.
const S_BASE_SET = 1;
const S_SYN = 2;
const S_SYN_ACK = 4;
const S_HANDSHAKE_ACK = 8;
const S_ONLY_SYNS = 16;
const S_DATA_AFTER_FIN = 32;
const S_FIN_BEFORE_ACKING_PEER = 64;
const S_TLS_ALERT_BEFORE_FIN = 128;
const S_INFERRED_ALERT = 256;
const S_FIN_RST_ONE_SEGMENT = 512;

// Per-connection bits.
const C_FIN_RST_TOGETHER = 1;
const C_LATE_RST = 2;
const C_TLS_SEEN = 4;
const C_DATA_RIGHT_BEFORE_RST = 8;
const C_TLS_HOLE = 16;
const C_TLS_PLAIN = 32;

/** Zeek conn_state names, by code (see zeek.ts). */
const ZEEK_STATES = ['OTH', 'REJ', 'RSTRH', 'RSTR', 'RSTOS0', 'RSTO', 'SF', 'SH', 'S2', 'SHR', 'S3', 'S0', 'S1'];

export class ConnStore {
  readonly count: number;
  // Per side.
  readonly packets: Uint32Array;
  readonly payloadBytes: Float64Array;
  readonly base: Uint32Array;
  readonly finIndex: Int32Array;
  readonly rstIndex: Int32Array;
  readonly finTimeUs: Float64Array;
  readonly rstTimeUs: Float64Array;
  readonly rstCount: Uint32Array;
  readonly plainSyns: Uint32Array;
  readonly afterPeerFin: Float64Array;
  readonly sideBits: Uint16Array;
  readonly zState: Uint8Array;
  // Per connection.
  readonly firstTimeUs: Float64Array;
  readonly lastTimeUs: Float64Array;
  /** Inputs (files) that contributed packets, as a bit set (first 31 inputs); the rest in moreInputs. */
  readonly inputs: Uint32Array;
  readonly moreInputs = new Map<number, number[]>();
  readonly connBits: Uint8Array;
  readonly lateRsts: Uint32Array;
  readonly zOrig: Uint8Array;
  readonly zeekState: Uint8Array;
  /** Zeek history strings, interned (most connections share a few dozen histories). */
  readonly history: string[];
  /** Connections Zeek would log as several rows (zeek-lifetime.ts): every row, the last one as in zeekState/history. */
  readonly zeekLog = new Map<number, ZeekLogEntry[]>();
  readonly tlsVersion: Uint16Array;
  readonly anomalyBits: Uint32Array;
  /** RFC endpoint state changes of connection i: entries stateStart[i] .. stateStart[i+1], code = side << 4 | state. */
  readonly stateStart: Uint32Array;
  stateCode = new Uint8Array(0);
  statePacket = new Uint32Array(0);
  private stateCount = 0;
  private interned: Map<string, string> | null = new Map();

  constructor(n: number) {
    this.count = n;
    this.packets = new Uint32Array(2 * n);
    this.payloadBytes = new Float64Array(2 * n);
    this.base = new Uint32Array(2 * n);
    this.finIndex = new Int32Array(2 * n);
    this.rstIndex = new Int32Array(2 * n);
    this.finTimeUs = new Float64Array(2 * n);
    this.rstTimeUs = new Float64Array(2 * n);
    this.rstCount = new Uint32Array(2 * n);
    this.plainSyns = new Uint32Array(2 * n);
    this.afterPeerFin = new Float64Array(2 * n);
    this.sideBits = new Uint16Array(2 * n);
    this.zState = new Uint8Array(2 * n);
    this.firstTimeUs = new Float64Array(n);
    this.lastTimeUs = new Float64Array(n);
    this.inputs = new Uint32Array(n);
    this.connBits = new Uint8Array(n);
    this.lateRsts = new Uint32Array(n);
    this.zOrig = new Uint8Array(n);
    this.zeekState = new Uint8Array(n);
    this.history = new Array<string>(n).fill('');
    this.tlsVersion = new Uint16Array(n);
    this.anomalyBits = new Uint32Array(n);
    this.stateStart = new Uint32Array(n + 1);
  }

  /** Copies connection i's analysis state (replayed in connection order: i = 0, 1, 2...). */
  save(i: number, c: Conn, zeekState: string): void {
    this.saveDir(2 * i, c.a);
    this.saveDir(2 * i + 1, c.b);
    this.firstTimeUs[i] = c.firstTimeUs;
    this.lastTimeUs[i] = c.lastTimeUs;
    this.inputs[i] = c.inputs;
    if (c.moreInputs) this.moreInputs.set(i, c.moreInputs);
    this.connBits[i] = (c.finRstTogether ? C_FIN_RST_TOGETHER : 0) | (c.lateRst ? C_LATE_RST : 0) | (c.tlsSeen ? C_TLS_SEEN : 0) |
      (c.dataRightBeforeRst ? C_DATA_RIGHT_BEFORE_RST : 0) | (c.tlsHole ? C_TLS_HOLE : 0) | (c.tlsPlain ? C_TLS_PLAIN : 0);
    this.lateRsts[i] = c.lateRsts;
    this.zOrig[i] = c.zOrig;
    this.zeekState[i] = ZEEK_STATES.indexOf(zeekState);
    this.history[i] = this.intern(c.zHistory);
    if (c.zLog) this.zeekLog.set(i, [...c.zLog, { zeekState, history: this.history[i], firstPacket: c.zFirstPacket }]);
    this.tlsVersion[i] = c.tlsVersion;
    this.anomalyBits[i] = c.anomalyBits;
    this.addStates(c.a.states, 0);
    this.addStates(c.b.states, 1);
    this.stateStart[i + 1] = this.stateCount;
  }

  private saveDir(x: number, e: Dir): void {
    this.packets[x] = e.packets;
    this.payloadBytes[x] = e.payloadBytes;
    this.base[x] = e.base;
    this.finIndex[x] = e.finIndex;
    this.rstIndex[x] = e.rstIndex;
    this.finTimeUs[x] = e.finTimeUs;
    this.rstTimeUs[x] = e.rstTimeUs;
    this.rstCount[x] = e.rstCount;
    this.plainSyns[x] = e.plainSyns;
    this.afterPeerFin[x] = e.afterPeerFin;
    this.zState[x] = e.zState;
    this.sideBits[x] =
      (e.baseSet ? S_BASE_SET : 0) | (e.synSeen ? S_SYN : 0) | (e.synAckSeen ? S_SYN_ACK : 0) |
      (e.handshakeAck ? S_HANDSHAKE_ACK : 0) | (e.onlySyns ? S_ONLY_SYNS : 0) | (e.dataAfterFin ? S_DATA_AFTER_FIN : 0) |
      (e.finBeforeAckingPeer ? S_FIN_BEFORE_ACKING_PEER : 0) | (e.tlsAlertBeforeFin ? S_TLS_ALERT_BEFORE_FIN : 0) |
      (e.inferredAlert ? S_INFERRED_ALERT : 0) | (e.finRstOneSegment ? S_FIN_RST_ONE_SEGMENT : 0);
  }

  private addStates(states: readonly number[], side: number): void {
    const n = states.length >> 1;
    if (!n) return;
    this.stateCode = grown(this.stateCode, this.stateCount + n);
    this.statePacket = grown(this.statePacket, this.stateCount + n);
    for (let k = 0; k < n; k++) {
      this.stateCode[this.stateCount] = (side << 4) | states[2 * k];
      this.statePacket[this.stateCount++] = states[2 * k + 1];
    }
  }

  private intern(s: string): string {
    const m = this.interned;
    if (!m) return s;
    const old = m.get(s);
    if (old !== undefined) return old;
    void s.charCodeAt(0); // flattens a concatenated string (V8), so its pieces can go
    m.set(s, s);
    return s;
  }

  /** After the last save(): trims the state log and drops the interning table. */
  done(): void {
    this.stateCode = this.stateCode.slice(0, this.stateCount);
    this.statePacket = this.statePacket.slice(0, this.stateCount);
    this.interned = null;
  }

  /**
   * Side `side` of connection i (0 = a, 1 = b); its RFC state changes only with `withStates`. Into `into` when
   * given (a caller that reads many connections one after the other reuses one object), else a fresh object.
   */
  loadSide(i: number, side: number, withStates = false, into?: StoredSide): StoredSide {
    const x = 2 * i + side;
    const e = into ?? new SideFacts();
    if (into) {
      // Emptied by pop(), not `length = 0`: V8 frees the backing store of an array whose length is set to 0, and the
      // next push allocates one anew (a JSON writer loads every connection's states into the same two sides).
      const states = e.states;
      while (states.length) states.pop();
    }
    const b = this.sideBits[x];
    e.packets = this.packets[x];
    e.payloadBytes = this.payloadBytes[x];
    e.base = this.base[x];
    e.finIndex = this.finIndex[x];
    e.rstIndex = this.rstIndex[x];
    e.finTimeUs = this.finTimeUs[x];
    e.rstTimeUs = this.rstTimeUs[x];
    e.rstCount = this.rstCount[x];
    e.plainSyns = this.plainSyns[x];
    e.afterPeerFin = this.afterPeerFin[x];
    e.zState = this.zState[x];
    e.baseSet = (b & S_BASE_SET) !== 0;
    e.synSeen = (b & S_SYN) !== 0;
    e.synAckSeen = (b & S_SYN_ACK) !== 0;
    e.handshakeAck = (b & S_HANDSHAKE_ACK) !== 0;
    e.onlySyns = (b & S_ONLY_SYNS) !== 0;
    e.dataAfterFin = (b & S_DATA_AFTER_FIN) !== 0;
    e.finBeforeAckingPeer = (b & S_FIN_BEFORE_ACKING_PEER) !== 0;
    e.tlsAlertBeforeFin = (b & S_TLS_ALERT_BEFORE_FIN) !== 0;
    e.inferredAlert = (b & S_INFERRED_ALERT) !== 0;
    e.finRstOneSegment = (b & S_FIN_RST_ONE_SEGMENT) !== 0;
    if (withStates) {
      for (let k = this.stateStart[i]; k < this.stateStart[i + 1]; k++) {
        const code = this.stateCode[k];
        if (code >> 4 === side) e.states.push(code & 15, this.statePacket[k]);
      }
    }
    return e;
  }

  finRstTogether(i: number): boolean { return (this.connBits[i] & C_FIN_RST_TOGETHER) !== 0; }
  lateRst(i: number): boolean { return (this.connBits[i] & C_LATE_RST) !== 0; }
  tlsSeen(i: number): boolean { return (this.connBits[i] & C_TLS_SEEN) !== 0; }
  /** TLS records lost to a hole in the capture; plaintext before TLS. */
  tlsHole(i: number): boolean { return (this.connBits[i] & C_TLS_HOLE) !== 0; }
  tlsPlain(i: number): boolean { return (this.connBits[i] & C_TLS_PLAIN) !== 0; }
  dataRightBeforeRst(i: number): boolean { return (this.connBits[i] & C_DATA_RIGHT_BEFORE_RST) !== 0; }
  zeekStateName(i: number): string { return ZEEK_STATES[this.zeekState[i]]; }

  /** The input of connection i when it has one (inputList(i)'s only entry), else -1: no list made. */
  soleInput(i: number): number {
    const bits = this.inputs[i];
    const more = this.moreInputs.size ? this.moreInputs.get(i) : undefined;
    if (bits === 0) return more?.length === 1 ? more[0] : -1;
    if (more?.length || (bits & (bits - 1)) !== 0) return -1;
    return 31 - Math.clz32(bits);
  }

  /** Inputs of connection i, in input order (the bit set) then first-seen order (the rest). */
  inputList(i: number): number[] {
    const out: number[] = [];
    const bits = this.inputs[i];
    for (let k = 0; k < 31; k++) if (bits & (1 << k)) out.push(k);
    const more = this.moreInputs.get(i);
    if (more) out.push(...more);
    return out;
  }
}

/** One side of a stored connection, as the report code reads it (loadSide makes one). */
export type StoredSide = SideFacts;
