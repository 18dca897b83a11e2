/**
 * When Zeek ends one connection and starts another within what tshark (and we) call one TCP stream. Zeek's
 * conn.log has one row per Zeek connection, and Zeek removes a connection on timers and on reuse
 * (zeek/zeek src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc: AttemptTimer, ExpireTimer,
 * ConnectionClosed + ConnDeleteTimer, IsReuse; session inactivity timer; default intervals from
 * scripts/base/init-bare.zeek). Reimplemented from the described behaviour, not copied.
 *
 *  - attempt: an originator SYN (from an inactive endpoint) arms a timer at +5 s; if it fires while the
 *    originator is still SYN_SENT/SYN_ACK_SENT and the responder inactive, the connection is removed (an
 *    unanswered SYN retried after 5 s, or a one-sided capture, becomes a new row);
 *  - close: when a close completes (an endpoint closes or resets and its peer has closed too or was never
 *    seen), every timer is cancelled and the connection is removed 5 s after its last activity;
 *  - expire: a timer armed 5 s after the connection starts, and 6 s after a close that did not complete,
 *    fires every 6 s and removes the connection when it has been quiet for more than 5 s and one side closed
 *    (both closed, or one reset, or one never seen);
 *  - inactivity: 5 minutes without a packet;
 *  - reuse: a SYN arriving after either side closed, or a SYN whose sequence number is not the one the
 *    originator started with, starts a new connection (a SYN+ACK only when the originator was never seen).
 * A timer fires when Zeek's clock (the time of the newest packet of the whole trace) reaches it, so the
 * fire times come from the PacketTable (NetworkClock). Connection "last time" stops moving once both sides
 * closed, as in Zeek. Not modelled: the reset and partial-close timers (they need script handlers that the
 * default scripts do not define), delivery deferred by the reassembler, timeouts changed by scripts.
 */
import { ACK, FIN, RST, SYN, type TcpSegment } from '../model/segment';
import type { PacketTable } from '../model/packet-table';
import type { ZeekEndReason } from '../model/report';
import { type Conn, type Dir, Z_CLOSED, Z_INACTIVE, Z_RESET, Z_SYN_ACK_SENT, Z_SYN_SENT, resetZeek } from './conn-state';
import { zeekConnState, zeekInit, zeekPacket } from './zeek';

const S = 1_000_000;
const SYN_TIMEOUT_US = 5 * S;
const SESSION_TIMER_US = 6 * S;
const CONNECTION_LINGER_US = 5 * S;
const ATTEMPT_DELAY_US = 5 * S;
const CLOSE_DELAY_US = 5 * S;
const INACTIVITY_US = 300 * S;
/** Expire-timer rounds followed one by one before jumping ahead (a long quiet spell that removes nothing). */
const MAX_ROUNDS = 64;

const CHUNK_BITS = 16;
const MASK = (1 << CHUNK_BITS) - 1;

/** Zeek's network time: the time of the first packet of the trace at or after a given time. */
export class NetworkClock {
  constructor(private readonly table: PacketTable) {}

  /** First packet time >= t (binary search: the trace's times are taken as non-decreasing), Infinity if none. */
  firstAtOrAfter(t: number): number {
    const chunks = this.table.timeUs.chunks;
    let lo = 0;
    let hi = this.table.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chunks[mid >>> CHUNK_BITS][mid & MASK] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.table.length ? chunks[lo >>> CHUNK_BITS][lo & MASK] : Infinity;
  }
}

/**
 * Zeek's handling of one packet of the connection (`index` within it), with the connection-lifetime rules above:
 * ends the current Zeek connection first when a timer removed it or the packet reuses it, then runs zeekPacket.
 */
export function zeekStep(c: Conn, d: number, s: TcpSegment, index: number, clock: NetworkClock): void {
  const t = s.timeUs;
  // Most packets: not the first, no SYN (no reuse), no timer due yet: straight to the packet itself.
  if (index === 0 || s.flags & SYN || t >= c.zDueUs || t >= c.zLastUs + INACTIVITY_US) startOrEnd(c, s, index, clock);
  zeekStepRest(c, d, s);
}

/** Starts the first Zeek connection, or ends the current one (and starts the next) when a timer or reuse ended it. */
function startOrEnd(c: Conn, s: TcpSegment, index: number, clock: NetworkClock): void {
  if (index === 0) {
    startZeekConnection(c, s, index);
    return;
  }
  const endedBy = removedBefore(c, s, clock) ?? (isReuse(c, s) ? 'reuse' : null);
  if (endedBy) endZeekConnection(c, s, index, endedBy);
}

/** Logs the current Zeek connection as ended (why: `endedBy`) and starts the next one at packet `index`. */
function endZeekConnection(c: Conn, s: TcpSegment, index: number, endedBy: ZeekEndReason): void {
  (c.zLog ??= []).push({ zeekState: zeekConnState(c), history: c.zHistory, firstPacket: c.zFirstPacket, endedBy });
  resetZeek(c);
  startZeekConnection(c, s, index);
}

/** The packet itself, after any change of Zeek connection: Zeek's "last time", zeekPacket, the timers it arms. */
function zeekStepRest(c: Conn, d: number, s: TcpSegment): void {
  const e = d === 0 ? c.a : c.b;
  const peer = d === 0 ? c.b : c.a;
  const wasOrig = d === c.zOrig;
  const before = e.zState;
  if (!(c.a.zDidClose && c.b.zDidClose)) c.zLastUs = s.timeUs;
  zeekPacket(c, d, s);
  const f = s.flags;
  if (before === Z_INACTIVE && f & SYN && wasOrig && c.zAttemptUs === 0) arm(c, 'attempt', s.timeUs + ATTEMPT_DELAY_US);
  // UpdateStateMachine's do_close: a FIN or RST from an endpoint that had not closed or reset yet (a RST after the
  // endpoint's own FIN turns it to RESET, but its close was reported at the FIN already).
  const doClose = (f & (FIN | RST)) !== 0 && before !== Z_CLOSED && before !== Z_RESET;
  if (doClose) connectionClosed(c, e, peer, before);
}

function startZeekConnection(c: Conn, s: TcpSegment, index: number): void {
  c.zFirstPacket = index;
  zeekInit(c, s.flags, s.srcPort, s.dstPort);
  clear(c.zExpireUs);
  c.zExpireUs.push(s.timeUs + SYN_TIMEOUT_US);
  c.zDueUs = s.timeUs + SYN_TIMEOUT_US;
}

/** ConnectionClosed: the endpoint's close is recorded; a complete close schedules the removal. */
function connectionClosed(c: Conn, e: Dir, peer: Dir, before: number): void {
  if (e.zDidClose) return;
  e.zDidClose = true;
  const complete = e.zState === Z_RESET || peer.zDidClose || peer.zState === Z_INACTIVE;
  if (complete) {
    // CancelTimers(): only the delete timer is left.
    c.zAttemptUs = 0;
    clear(c.zExpireUs);
    c.zDeleteUs = c.zLastUs + CLOSE_DELAY_US;
    c.zDueUs = c.zDeleteUs;
  } else if (before !== Z_INACTIVE) {
    arm(c, 'expire', c.zLastUs + SESSION_TIMER_US);
  }
}

function arm(c: Conn, timer: 'attempt' | 'expire', at: number): void {
  if (c.zDeleteUs) return; // cancelled: a complete close already scheduled the removal
  if (timer === 'attempt') c.zAttemptUs = at;
  else c.zExpireUs.push(at);
  if (at < c.zDueUs) c.zDueUs = at;
}

/** The timer that removed Zeek's connection before this packet (at s.timeUs), null when none did. */
function removedBefore(c: Conn, s: TcpSegment, clock: NetworkClock): ZeekEndReason | null {
  const t = s.timeUs;
  if (t >= c.zLastUs + INACTIVITY_US) return 'inactivity';
  if (t < c.zDueUs) return null;
  if (c.zDeleteUs) return 'closed'; // t >= zDueUs = zDeleteUs
  const o = c.zOrig === 0 ? c.a : c.b;
  const r = c.zOrig === 0 ? c.b : c.a;
  let due = Infinity;
  if (c.zAttemptUs) {
    if (c.zAttemptUs <= t) {
      if ((o.zState === Z_SYN_SENT || o.zState === Z_SYN_ACK_SENT) && r.zState === Z_INACTIVE) return 'attempt-timer';
      c.zAttemptUs = 0; // one-shot
    } else {
      due = c.zAttemptUs;
    }
  }
  const closable = (o.zDidClose || r.zDidClose) &&
    ((o.zDidClose && r.zDidClose) || o.zState === Z_RESET || r.zState === Z_RESET || o.zState === Z_INACTIVE || r.zState === Z_INACTIVE);
  const never = o.zState === Z_INACTIVE && r.zState === Z_INACTIVE;
  const chains = c.zExpireUs;
  for (let k = 0; k < chains.length; k++) {
    let next = chains[k];
    for (let round = 0; next <= t; round++) {
      if (round === MAX_ROUNDS) {
        next += Math.ceil((t - next + 1) / SESSION_TIMER_US) * SESSION_TIMER_US; // nothing changes in between
        break;
      }
      // This packet (at t >= next) is in the trace, so the first packet at or after `next` is at t at the latest
      // (the min guards against times that go back, e.g. several inputs one after the other in the table).
      const fired = Math.min(clock.firstAtOrAfter(next), t);
      if (c.zLastUs + CONNECTION_LINGER_US < fired && (closable || never)) return 'expire-timer';
      next = fired + SESSION_TIMER_US;
    }
    chains[k] = next;
    if (next < due) due = next;
  }
  c.zDueUs = due;
  return null;
}

/** Zeek's IsReuse, for a packet of an existing Zeek connection. */
function isReuse(c: Conn, s: TcpSegment): boolean {
  const f = s.flags;
  if (!(f & SYN)) return false;
  const o = c.zOrig === 0 ? c.a : c.b;
  const r = c.zOrig === 0 ? c.b : c.a;
  let connOrig = o;
  if (f & ACK) {
    if (o.zState !== Z_INACTIVE) return false; // not a half connection
    connOrig = r;
  }
  if (o.zDidClose || r.zDidClose) return true;
  const seq = s.seq >>> 0;
  if (seq === connOrig.zStart) return false;
  // A SYN with the responder's start after its SYN+ACK: the two arrived in reverse order, not a reuse.
  if (!(f & ACK) && connOrig.zState === Z_SYN_ACK_SENT && r.zState === Z_INACTIVE && seq === r.zStart) return false;
  return true;
}

/** Empties a small array without `length = 0`, which would make V8 drop its storage (reallocated per connection). */
function clear(a: number[]): void {
  while (a.length) a.pop();
}
