/**
 * One simulated TCP connection as seen by a capture point next to the servers: it makes its
 * packets one batch ("round") at a time, in time order, so thousands of connections can be
 * interleaved by a heap without any of them holding more than one round in memory.
 *
 * Timing model: a packet from the client passing the capture point is answered by the server
 * `srvUs` later; a packet from the server is answered by the client `rttUs` later. Data moves in
 * congestion-window rounds (start 10 segments, doubling), the receiver ACKs every second segment,
 * and a lost segment (after the capture point) brings dup ACKs with SACK blocks and a fast
 * retransmission, or a timeout retransmission when it was the round's last segment.
 */
import { K } from './kinds';
import type { ConnPlan } from './plan';
import { Rng } from './prng';
import { TLS_ALERT_LEN } from './content';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export class Pkt {
  t = 0;
  dir = 0;
  flags = 0;
  seq = 0;
  ack = 0;
  /** Stream offset of the payload (for its bytes). */
  off = 0;
  len = 0;
  win = 0;
  /** One SACK block [left, right) when sackR !== sackL. */
  sackL = 0;
  sackR = 0;
  /** Generation order, to keep sorting stable. */
  ord = 0;
}

export class SideState {
  sent = 0; // stream bytes sent (next offset)
  finSent = false;
  rcvd = 0; // peer stream bytes acknowledged by this side
  gotFin = false;
  winRaw = 0;
  mss = 0; // payload bytes per full segment
  cwnd = 10;
  ipId = 0;
  tsBase = 0;
  flowLabel = 0;
  constructor(readonly isn: number) {}
  seqAt(off: number): number {
    return (this.isn + 1 + off) >>> 0;
  }
  nxt(): number {
    return (this.isn + 1 + this.sent + (this.finSent ? 1 : 0)) >>> 0;
  }
}

const PHASE_HANDSHAKE = 0;
const PHASE_STEPS = 1;
const PHASE_CLOSE = 2;
const PHASE_DONE = 3;

export class Conn {
  readonly q: Pkt[] = [];
  qi = 0;
  readonly s: [SideState, SideState];
  readonly tsOn: boolean;
  readonly sackOn: boolean;
  readonly wsOn: boolean;
  private readonly r: Rng;
  private phase = PHASE_HANDSHAKE;
  private stepIdx = 0;
  private stepStarted = false;
  private rem = 0;
  private stepEnd = 0;
  private roundT = 0;
  private lastDataT = 0;
  private lastDataDir = 0;
  private tMax = 0;
  private ord = 0;
  private zwDone = false;
  private rounds = 0;

  constructor(readonly plan: ConnPlan) {
    this.r = new Rng(plan.isn[0] ^ plan.isn[1], plan.index);
    this.s = [new SideState(plan.isn[0]), new SideState(plan.isn[1])];
    const [cs, ss] = plan.style;
    this.tsOn = cs === 0 && ss === 0;
    this.sackOn = cs !== 2 && ss !== 2;
    this.wsOn = plan.wscale[0] >= 0 && plan.wscale[1] >= 0;
    for (let d = 0; d < 2; d++) {
      const side = this.s[d];
      const o = 1 - d;
      side.mss = Math.min(plan.mss[d], plan.mss[o]) - (this.tsOn ? 12 : 0);
      // The window this side advertises (to the other) after the handshake.
      const buf = plan.rcvBuf[d];
      side.winRaw = Math.min(65535, this.wsOn ? Math.max(1, buf >>> plan.wscale[d]) : buf);
      side.ipId = this.r.int(0, 65535);
      side.tsBase = this.r.u32() >>> 1;
      side.flowLabel = this.r.int(1, 0xfffff);
      side.cwnd = Math.max(4, Math.min(10, Math.floor(plan.rcvBuf[o] / side.mss)));
    }
  }

  /** Time of the next packet to emit (valid when qi < q.length). */
  get nextT(): number {
    return this.q[this.qi].t;
  }

  /** Fill the queue with the next round; false when the connection has nothing more to send. */
  refill(): boolean {
    this.q.length = 0;
    this.qi = 0;
    while (this.q.length === 0 && this.phase !== PHASE_DONE) {
      if (this.phase === PHASE_HANDSHAKE) this.handshake();
      else if (this.phase === PHASE_STEPS) this.stepRound();
      else if (this.phase === PHASE_CLOSE) this.close();
    }
    if (this.q.length === 0) return false;
    this.q.sort((a, b) => a.t - b.t || a.ord - b.ord);
    for (const p of this.q) if (p.t > this.tMax) this.tMax = p.t;
    return true;
  }

  // ---- packet helpers -------------------------------------------------------------------------

  private ackOf(d: number): number {
    const me = this.s[d];
    const peer = this.s[1 - d];
    return (peer.isn + 1 + me.rcvd + (me.gotFin ? 1 : 0)) >>> 0;
  }

  private mk(t: number, d: number, flags: number, seq: number, ack: number, win: number, off = 0, len = 0): Pkt {
    const p = new Pkt();
    p.t = Math.round(Math.max(t, this.tMax));
    p.dir = d;
    p.flags = flags;
    p.seq = seq;
    p.ack = flags & ACK ? ack : 0;
    p.win = win;
    p.off = off;
    p.len = len;
    p.ord = this.ord++;
    this.q.push(p);
    return p;
  }

  /** A pure ACK (or FIN/RST variant) from side d at time t with its current state. */
  private ctl(t: number, d: number, flags: number, win?: number): Pkt {
    const me = this.s[d];
    return this.mk(t, d, flags, me.nxt(), this.ackOf(d), win ?? (flags & RST ? 0 : me.winRaw));
  }

  private fin(t: number, d: number, extra = 0): Pkt {
    const me = this.s[d];
    const p = this.mk(t, d, FIN | ACK | extra, me.nxt(), this.ackOf(d), extra & RST ? 0 : me.winRaw);
    me.finSent = true;
    return p;
  }

  /** Delay from a packet of side `from` passing the capture point to the other side's answer passing it. */
  private answerDelay(from: number): number {
    return from === 0 ? this.plan.srvUs : this.plan.rttUs;
  }

  // ---- handshake ------------------------------------------------------------------------------

  private handshake(): void {
    const p = this.plan;
    const c = this.s[0];
    const sv = this.s[1];
    let t = p.startUs;
    if (p.midstream) {
      this.lastDataT = t;
      this.lastDataDir = 1;
      this.phase = PHASE_STEPS;
      return;
    }
    const synWin = p.style[0] === 2 ? p.rcvBuf[0] : p.style[0] === 1 ? 65535 : 64240;
    const synAckWin = p.style[1] === 2 ? p.rcvBuf[1] : 65160;
    if (p.kind === K.unanswered) {
      const at = [0, 1_000_000, 3_000_000, 7_000_000];
      for (let i = 0; i < p.synTries; i++) this.mk(t + at[i], 0, SYN, c.isn, 0, synWin);
      this.phase = PHASE_DONE;
      return;
    }
    if (p.kind === K.refused) {
      const at = [0, 500_000, 1_500_000];
      for (let i = 0; i < p.synTries; i++) {
        this.mk(t + at[i], 0, SYN, c.isn, 0, synWin);
        this.mk(t + at[i] + p.srvUs, 1, RST | ACK, 0, (c.isn + 1) >>> 0, 0);
      }
      this.phase = PHASE_DONE;
      return;
    }
    this.mk(t, 0, SYN, c.isn, 0, synWin);
    if (p.synRetx) {
      t += 1_000_000;
      this.mk(t, 0, SYN, c.isn, 0, synWin);
    }
    t += p.srvUs;
    this.mk(t, 1, SYN | ACK, sv.isn, (c.isn + 1) >>> 0, synAckWin);
    t += p.rttUs;
    this.mk(t, 0, ACK, c.nxt(), this.ackOf(0), c.winRaw);
    this.lastDataT = t;
    this.lastDataDir = 0;
    this.phase = PHASE_STEPS;
  }

  // ---- data -----------------------------------------------------------------------------------

  private stepRound(): void {
    const p = this.plan;
    if (this.stepIdx >= p.steps.length) {
      this.phase = PHASE_CLOSE;
      return;
    }
    const st = p.steps[this.stepIdx];
    const d = st.dir;
    if (!this.stepStarted) {
      const gap = d === this.lastDataDir ? 0 : this.answerDelay(this.lastDataDir);
      this.roundT = Math.max(this.lastDataT + gap + st.thinkUs, this.tMax);
      this.rem = st.bytes;
      this.stepEnd = this.s[d].sent + st.bytes;
      this.stepStarted = true;
    }
    const aborted = this.xferRound(d, st.thinkUs);
    if (aborted) {
      this.phase = PHASE_DONE;
      return;
    }
    if (this.rem === 0) {
      this.stepIdx++;
      this.stepStarted = false;
      if (p.kind === K.halfClosed && d === 0 && !p.steps.slice(this.stepIdx).some((x) => x.dir === 0)) {
        // The client shuts down its sending side right after its last request.
        const t = this.lastDataT + 100;
        this.fin(t, 0);
        this.s[1].gotFin = true;
        this.ctl(t + p.srvUs, 1, ACK);
      }
    }
  }

  /** One congestion-window round of the current step from side d. Returns true when an RST ended the connection. */
  private xferRound(d: number, _think: number): boolean {
    const p = this.plan;
    const o = 1 - d;
    const S = this.s[d];
    const R = this.s[o];
    const ackDelay = this.answerDelay(d);
    const react = this.answerDelay(o);
    const ser = Math.max(1, (S.mss + 80) * p.usPerByte);
    const n = Math.min(S.cwnd, Math.ceil(this.rem / S.mss));
    const t0 = this.roundT;
    const abortOff = this.stepIdx === p.abortStep ? this.stepEnd - p.steps[this.stepIdx].bytes + p.abortAt : -1;
    const dataT: number[] = [];
    const offs: number[] = [];
    const ends: number[] = [];
    const pkts: Pkt[] = [];
    let abortIdx = -1;
    let rstT = Infinity;
    for (let i = 0; i < n; i++) {
      const t = t0 + i * ser;
      if (t >= rstT + react) break; // the sender got the receiver's RST
      const len = Math.min(S.mss, this.stepEnd - S.sent);
      if (len <= 0) break;
      const last = S.sent + len === this.stepEnd;
      pkts.push(this.mk(t, d, ACK | (last ? PSH : 0), S.seqAt(S.sent), this.ackOf(d), S.winRaw, S.sent, len));
      dataT.push(t);
      offs.push(S.sent);
      ends.push(S.sent + len);
      S.sent += len;
      this.rem = this.stepEnd - S.sent;
      if (abortOff >= 0 && abortIdx < 0 && S.sent > abortOff) {
        abortIdx = i;
        if (p.abortBy === d) break;
        rstT = t + ackDelay;
      }
    }
    const m = dataT.length;
    this.rounds++;

    if (abortIdx >= 0) {
      // Normal ACKs for what arrived before the abort, then the RST (and RSTs answering late data).
      for (let i = 0; i < Math.min(m, abortIdx + 1); i++) {
        if (i % 2 === 1 && dataT[i] + ackDelay < rstT) {
          R.rcvd = ends[i];
          this.ctl(dataT[i] + ackDelay, o, ACK);
        }
      }
      if (p.abortBy === d) {
        this.ctl(dataT[m - 1] + ser, d, RST | ACK);
      } else {
        R.rcvd = ends[abortIdx];
        this.ctl(rstT, o, RST | ACK);
        for (let i = abortIdx + 1, k = 0; i < m && k < 3; i++, k++) {
          // A closed socket answers each late segment with a bare RST at the ACK it carried.
          this.mk(dataT[i] + ackDelay, o, RST, pkts[i].ack, 0, 0);
        }
      }
      return true;
    }

    const stepDone = this.rem === 0;
    const next = p.steps[this.stepIdx + 1];
    const piggyback = stepDone && next !== undefined && next.dir === o && next.thinkUs < 40_000;
    let endT = dataT[m - 1];
    const lossy = m >= 4 && p.lossPerRound > 0 && this.r.chance(p.lossPerRound);

    if (!lossy) {
      for (let i = 0; i < m; i++) {
        if (i % 2 === 1 || i === m - 1) {
          R.rcvd = ends[i];
          if (i === m - 1 && piggyback) continue;
          const delayed = m === 1 && stepDone ? 40_000 : 0;
          const a = this.ctl(dataT[i] + ackDelay + delayed + this.r.int(0, 30), o, ACK);
          endT = Math.max(endT, a.t);
          if (i === m - 1 && p.zeroWindow && !this.zwDone && d === 1 && this.rem > 0 && this.rounds >= 2) {
            endT = this.zeroWindow(a, d, ackDelay, react);
          }
        }
      }
    } else if (this.r.chance(0.3)) {
      // Tail loss: the last segment is retransmitted after a timeout.
      for (let i = 0; i < m - 1; i++) {
        if (i % 2 === 1 || i === m - 2) {
          R.rcvd = ends[i];
          this.ctl(dataT[i] + ackDelay, o, ACK);
        }
      }
      const rto = Math.max(200_000, 2 * (p.rttUs + p.srvUs));
      const rt = dataT[m - 1] + rto;
      this.mk(rt, d, ACK | PSH, S.seqAt(offs[m - 1]), this.ackOf(d), S.winRaw, offs[m - 1], ends[m - 1] - offs[m - 1]);
      R.rcvd = ends[m - 1];
      endT = this.ctl(rt + ackDelay, o, ACK).t;
      S.cwnd = Math.max(2, S.cwnd >> 1);
    } else {
      // Fast retransmit: one segment lost after the capture point, dup ACKs (with SACK), resend.
      const L = this.r.int(0, m - 4);
      for (let i = 0; i < L; i++) {
        if (i % 2 === 1 || i === L - 1) {
          R.rcvd = ends[i];
          this.ctl(dataT[i] + ackDelay, o, ACK);
        }
      }
      R.rcvd = offs[L];
      let third = 0;
      for (let j = L + 1, k = 0; j < m; j++, k++) {
        const a = this.ctl(dataT[j] + ackDelay, o, ACK);
        if (this.sackOn) {
          a.sackL = S.seqAt(offs[L + 1]);
          a.sackR = S.seqAt(ends[j]);
        }
        if (k === 2) third = a.t;
      }
      const rt = third + react;
      this.mk(rt, d, ACK, S.seqAt(offs[L]), this.ackOf(d), S.winRaw, offs[L], ends[L] - offs[L]);
      R.rcvd = ends[m - 1];
      endT = this.ctl(rt + ackDelay, o, ACK).t;
      S.cwnd = Math.max(2, S.cwnd >> 1);
    }
    if (!lossy) S.cwnd = Math.min(S.cwnd * 2, 128, Math.max(2, Math.floor(p.rcvBuf[o] / S.mss)));
    this.roundT = endT + react;
    if (stepDone) {
      this.lastDataT = dataT[m - 1];
      this.lastDataDir = d;
    }
    return false;
  }

  /** The receiver's window closes: zero-window ACK, two 1-byte probes, then a window update. Returns the last time. */
  private zeroWindow(a: Pkt, d: number, ackDelay: number, react: number): number {
    this.zwDone = true;
    const o = 1 - d;
    const S = this.s[d];
    a.win = 0;
    let t = a.t + react + 200_000;
    for (let k = 0; k < 2; k++) {
      this.mk(t, d, ACK, S.seqAt(S.sent), this.ackOf(d), S.winRaw, S.sent, 1);
      this.ctl(t + ackDelay, o, ACK, 0);
      t += 200_000 << (k + 1);
    }
    return this.ctl(t + this.r.int(0, 300_000), o, ACK).t;
  }

  // ---- close ----------------------------------------------------------------------------------

  private sendAlert(t: number, d: number): number {
    const me = this.s[d];
    this.plan.content[d].alertAt = me.sent;
    this.mk(t, d, ACK | PSH, me.seqAt(me.sent), this.ackOf(d), me.winRaw, me.sent, TLS_ALERT_LEN);
    me.sent += TLS_ALERT_LEN;
    return t + 30;
  }

  /** A -> FIN, B answers (ACK then FIN, or FIN/ACK at once), A ACKs. Returns the time of the last packet. */
  private cleanClose(t: number, a: number): number {
    const p = this.plan;
    const b = 1 - a;
    if (p.alert[a]) t = this.sendAlert(t, a);
    this.s[b].rcvd = this.s[a].sent;
    this.fin(t, a);
    this.s[b].gotFin = true;
    let tb = t + this.answerDelay(a);
    if (this.r.chance(0.5)) {
      this.ctl(tb, b, ACK);
      tb += this.r.int(100, 80_000);
    }
    if (p.alert[b]) tb = this.sendAlert(tb, b);
    this.s[a].rcvd = this.s[b].sent;
    this.fin(tb, b);
    this.s[a].gotFin = true;
    return this.ctl(tb + this.answerDelay(b), a, ACK).t;
  }

  private close(): void {
    const p = this.plan;
    this.phase = PHASE_DONE;
    const a = p.initiator;
    const b = 1 - a;
    const t = Math.max(this.lastDataT + this.answerDelay(this.lastDataDir) + this.r.int(1_000, 200_000), this.tMax);
    switch (p.kind) {
      case K.cleanClient:
      case K.cleanServer:
        this.cleanClose(t, a);
        break;
      case K.lateRst: {
        const end = this.cleanClose(t, a);
        const by = p.lateRstBy;
        this.ctl(end + p.lateRstUs, by, this.r.chance(0.5) ? RST : RST | ACK);
        break;
      }
      case K.simultaneous: {
        // Both FINs cross: neither FIN acknowledges the other.
        const c = this.s[0];
        const sv = this.s[1];
        const x = this.r.int(0, Math.max(1, p.rttUs - 1));
        this.fin(t, 1);
        this.fin(t + x, 0);
        sv.gotFin = true;
        this.ctl(t + x + p.srvUs, 1, ACK);
        c.gotFin = true;
        this.ctl(Math.max(t + p.rttUs, t + x + 1), 0, ACK);
        break;
      }
      case K.finThenRst:
      case K.finRstTogether: {
        // The seed case: A closes; B ACKs, then sends FIN and RST (two segments or one), A answers RST.
        this.fin(t, a);
        this.s[b].gotFin = true;
        let tb = t + this.answerDelay(a);
        this.ctl(tb, b, ACK);
        tb += this.r.int(1_000, 3_000_000);
        if (p.kind === K.finThenRst) {
          this.fin(tb, b);
          this.ctl(tb + this.r.int(0, 60), b, RST | ACK);
        } else {
          this.fin(tb, b, RST);
        }
        if (this.r.chance(0.7)) {
          this.mk(tb + this.answerDelay(b), a, RST, this.s[a].nxt(), 0, 0);
        }
        break;
      }
      default:
        // open, half-closed: nothing more before the capture ends.
        break;
    }
  }
}
