/**
 * RFC 793 / 9293 endpoint states as implied by what the capture point saw. The capture point is not
 * the endpoint: a state is entered at the packet that would cause it (the receiver's transition is
 * placed at the packet the receiver is about to get), assuming the capture point sits close to both.
 * A connection picked up mid-stream starts ESTABLISHED on both sides.
 */
import { ACK, FIN, RST, SYN, type TcpSegment } from '../model/segment';
import type { EndpointState } from '../model/report';
import { type Dir, type SideFacts, seqDelta } from './conn-state';

const NONE = 0;
const LISTEN = 1;
const SYN_SENT = 2;
const SYN_RECEIVED = 3;
const ESTABLISHED = 4;
const FIN_WAIT_1 = 5;
const FIN_WAIT_2 = 6;
const CLOSING = 7;
const TIME_WAIT = 8;
const CLOSE_WAIT = 9;
const LAST_ACK = 10;
const CLOSED = 11;

const NAMES = [
  '', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING',
  'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED',
];

function go(e: Dir, state: number, packet: number): void {
  if (e.rfc === state) return;
  e.rfc = state;
  e.states.push(state, packet);
}

/** The name of a state code recorded in SideFacts.states. */
export function stateName(code: number): string {
  return NAMES[code];
}

/** The recorded states as report entries. */
export function stateList(e: SideFacts): EndpointState[] {
  const out: EndpointState[] = [];
  for (let i = 0; i < e.states.length; i += 2) out.push({ state: NAMES[e.states[i]], packet: e.states[i + 1] });
  return out;
}

/** Update both sides' states for one packet sent by `me`; `index` is the packet's index in the connection. */
export function rfcStates(me: Dir, peer: Dir, s: TcpSegment, index: number): void {
  // The usual packet: both sides ESTABLISHED, no SYN/FIN/RST and no FIN from the peer to acknowledge: no change.
  // (Kept small so that the compiler inlines it into the replay loop.)
  if ((s.flags & (SYN | FIN | RST)) !== 0 || me.rfc !== ESTABLISHED || peer.rfc !== ESTABLISHED || peer.finIndex >= 0) anyPacket(me, peer, s, index);
}

/** rfcStates for any packet. */
function anyPacket(me: Dir, peer: Dir, s: TcpSegment, index: number): void {
  const f = s.flags;
  if (me.rfc === NONE) {
    if ((f & (SYN | ACK)) === SYN) {
      // The receiver's state is not known until it answers: a server that never does is shown in no state.
      go(me, SYN_SENT, index);
    } else if ((f & (SYN | ACK)) === (SYN | ACK)) {
      // Answering the peer's SYN shows this side was listening when that SYN arrived.
      if (peer.rfc === SYN_SENT && peer.states[0] === SYN_SENT) go(me, LISTEN, peer.states[1]);
      go(me, SYN_RECEIVED, index);
      if (peer.rfc === NONE) go(peer, SYN_SENT, index);
    } else if (f & RST) {
      // A reset as this side's first word (a refused SYN): it is CLOSED below, never ESTABLISHED.
    } else {
      go(me, ESTABLISHED, index);
      if (peer.rfc === NONE) go(peer, ESTABLISHED, index);
    }
  }
  if ((f & (SYN | ACK)) === SYN && me.rfc === CLOSED) {
    // A new attempt on the same stream after it was reset (a client retrying a refused connection with the
    // same initial sequence number): it opens again, as the first attempt did; the peer stays as it was until it answers.
    go(me, SYN_SENT, index);
  }
  if (f & RST) {
    go(me, CLOSED, index);
    // The receiver drops the connection too (unless it had none: a LISTEN stays LISTEN, an unknown state unknown).
    if (peer.rfc !== LISTEN && peer.rfc !== NONE) go(peer, CLOSED, index);
    return;
  }
  if (f & SYN) {
    if (f & ACK) {
      if (me.rfc === LISTEN || me.rfc === NONE || me.rfc === SYN_SENT) go(me, SYN_RECEIVED, index);
      // The SYN+ACK completes the active opener's side.
      if (peer.rfc === SYN_SENT) go(peer, ESTABLISHED, index);
    }
    return;
  }
  // An ACK that covers the peer's SYN or FIN moves the peer on.
  const acksPeerFin = (f & ACK) !== 0 && peer.finIndex >= 0 && seqDelta(s.ack >>> 0, peer.finEnd) >= 0;
  if (f & ACK) {
    if (peer.rfc === SYN_RECEIVED) go(peer, ESTABLISHED, index);
    if (me.rfc === SYN_RECEIVED) go(me, ESTABLISHED, index);
    if (acksPeerFin) {
      if (peer.rfc === FIN_WAIT_1) go(peer, FIN_WAIT_2, index);
      else if (peer.rfc === CLOSING) go(peer, TIME_WAIT, index);
      else if (peer.rfc === LAST_ACK) go(peer, CLOSED, index);
      if (me.rfcPendingFin) {
        // Our FIN crossed the peer's: this ACK shows we have now received theirs.
        me.rfcPendingFin = false;
        if (me.rfc === FIN_WAIT_1) go(me, CLOSING, index);
        else if (me.rfc === FIN_WAIT_2) go(me, TIME_WAIT, index);
      }
    }
  }
  if (f & FIN) {
    if (me.rfc === CLOSE_WAIT && peer.finIndex >= 0 && !acksPeerFin && me.states.length && me.states[me.states.length - 2] === CLOSE_WAIT) {
      // Our FIN does not acknowledge the peer's: we sent it before the peer's FIN reached us
      // (simultaneous close), so we were never in CLOSE_WAIT.
      me.states.length -= 2;
      me.rfc = me.states.length ? me.states[me.states.length - 2] : ESTABLISHED;
      me.rfcPendingFin = true;
    }
    if (me.rfc === ESTABLISHED || me.rfc === SYN_RECEIVED || me.rfc === SYN_SENT) go(me, FIN_WAIT_1, index);
    else if (me.rfc === CLOSE_WAIT) go(me, LAST_ACK, index);
    // The receiver learns the peer is done sending.
    if (peer.rfc === ESTABLISHED || peer.rfc === SYN_RECEIVED) go(peer, CLOSE_WAIT, index);
    else if (peer.rfc === FIN_WAIT_1) go(peer, CLOSING, index);
    else if (peer.rfc === FIN_WAIT_2) go(peer, TIME_WAIT, index);
  }
}
