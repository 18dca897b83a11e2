/**
 * What a packet means, in Teardown's own words, for lesson steps the trainer left without text.
 * Built from the flags, the direction, the packets before it and the endpoint states the analysis
 * found; the RFC 9293 sections named are where a reader can check the rule.
 */
import { ACK, FIN, RST, SYN } from '../model/segment';
import type { LessonSide } from './types';
import type { LadderPacket } from '../model/ladder-packet';

/** The packet facts a lesson needs: the ladder's packet. */
export type PacketLike = LadderPacket;

export interface StateChange {
  before: Record<LessonSide, string>;
  after: Record<LessonSide, string>;
}

const ANOMALY_WORDS: Record<string, string> = {
  retransmission: 'It is a retransmission: these bytes were sent before and not acknowledged in time.',
  'fast-retransmission': 'It is a fast retransmission, sent after duplicate acknowledgements said a segment was missing.',
  'spurious-retransmission': 'It repeats bytes the receiver had already acknowledged (a spurious retransmission).',
  'out-of-order': 'It arrived out of order.',
  'duplicate-ack': 'It repeats the previous acknowledgement (a duplicate ACK): the receiver is still waiting for the same byte.',
  'zero-window': 'Its window is zero: the receiver asks the sender to stop until it has read what it has.',
  'keep-alive': 'It is a keep-alive probe.',
  'previous-segment-not-captured': 'Something before it was not captured.',
  'ports-reused': 'The same address and port pair was used before: this is a new connection on reused ports.',
  'rst-after-close': 'This RST comes after both FINs: the connection was already closing or closed.',
  'fin-rst-together': 'The sender closed and reset at almost the same moment (FIN then RST).',
  'data-after-fin': 'It carries data after its sender\'s own FIN, which TCP does not allow.',
  'rst-out-of-window': 'Its sequence number is outside what the receiver accepts, so a receiver following RFC 9293 §3.5.3 ignores it.',
};

function stateText(s: string): string {
  return s.replace(/_/g, '-');
}

/** One or more sentences about packet `p`. */
export function describePacket(
  p: PacketLike,
  packets: readonly PacketLike[],
  names: Record<LessonSide, string>,
  change: StateChange,
): string {
  const from: LessonSide = p.fromClient ? 'client' : 'server';
  const to: LessonSide = p.fromClient ? 'server' : 'client';
  const who = names[from];
  const peer = names[to];
  const earlier = packets.slice(0, packets.indexOf(p) >= 0 ? packets.indexOf(p) : p.index);
  const finFrom = (side: LessonSide) => earlier.some((q) => q.fromClient === (side === 'client') && (q.flags & FIN) !== 0);
  const f = p.flags;
  const parts: string[] = [];

  if (f & RST) {
    const synOnly = earlier.length > 0 && earlier.every((q) => (q.flags & SYN) !== 0 && (q.flags & ACK) === 0 && q.fromClient !== p.fromClient);
    if (synOnly) {
      parts.push(`${who} answers the SYN with RST: nothing listens on that port, so the connection is refused (RFC 9293 §3.5.2, a segment for a connection that does not exist).`);
    } else if (finFrom('client') && finFrom('server')) {
      parts.push(`${who} sends RST after both sides have sent FIN. The data had already been delivered; this RST says ${who} no longer had a connection to match what it received, or gave up on it.`);
    } else if (f & FIN) {
      parts.push(`${who} sends FIN and RST in one segment: it closes and aborts at once.`);
    } else {
      parts.push(`${who} aborts the connection with RST. Unlike FIN, nothing waits for an acknowledgement: ${who} forgets the connection at once (no TIME-WAIT), and anything still unsent or unread is thrown away (RFC 9293 §3.6, "abort").`);
    }
  } else if (f & SYN) {
    if (f & ACK) parts.push(`${who} accepts: its SYN-ACK acknowledges ${peer}'s SYN and brings ${who}'s own initial sequence number.`);
    else if (earlier.some((q) => (q.flags & SYN) !== 0 && q.fromClient === p.fromClient && (q.flags & ACK) === 0)) {
      parts.push(`${who} sends its SYN again: no answer came, so it retransmits, waiting longer each time.`);
    } else parts.push(`${who} opens the connection with SYN, choosing its initial sequence number.`);
  } else if (f & FIN) {
    const data = p.payloadLength > 0 ? ` together with its last ${p.payloadLength} bytes` : '';
    if (finFrom(to)) {
      parts.push(`${who} closes its side too: FIN${data}. Both directions are now finished; one last ACK is due from ${peer}.`);
    } else {
      parts.push(`${who} has nothing more to send and says so with FIN${data}. That closes only ${who}'s direction: ${peer} may still send, and ${who} still receives (RFC 9293 §3.6).`);
    }
  } else if (p.payloadLength > 0) {
    const afterFin = finFrom(to) ? ` although ${peer} has already sent its FIN: a half-closed connection still carries data the other way` : '';
    parts.push(`${who} sends ${p.payloadLength} bytes of data${afterFin}.`);
  } else if (f & ACK) {
    const peerFin = [...earlier].reverse().find((q) => q.fromClient !== p.fromClient && (q.flags & FIN) !== 0);
    const acksFin = peerFin && p.relAck >= peerFin.relSeq + peerFin.payloadLength + 1;
    const handshake = earlier.length === 2 && (earlier[1].flags & (SYN | ACK)) === (SYN | ACK);
    if (handshake) parts.push(`${who} acknowledges the SYN-ACK: the three-way handshake is complete.`);
    else if (acksFin && !earlier.some((q) => q.fromClient === p.fromClient && q.relAck === p.relAck && (q.flags & ACK) !== 0 && q !== p && q.index > (peerFin?.index ?? 0))) {
      parts.push(`${who} acknowledges ${peer}'s FIN.`);
    } else parts.push(`${who} acknowledges what it has received (up to relative byte ${p.relAck}).`);
  } else {
    parts.push(`${who} sends a segment with no flags set.`);
  }

  const mine = change.after[from];
  const theirs = change.after[to];
  if (mine && mine !== change.before[from]) parts.push(`${who} is now in ${stateText(mine)}.`);
  if (theirs && theirs !== change.before[to]) parts.push(`${peer} moves to ${stateText(theirs)}.`);
  for (const a of p.anomalies) if (ANOMALY_WORDS[a]) parts.push(ANOMALY_WORDS[a]);
  return parts.join(' ');
}
