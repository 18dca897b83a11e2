/**
 * What an arrow and a state say, and in which colour, for every ladder (explorer, shared page, lessons, exports):
 * one tone rule (a SYN+FIN is a FIN, anything with RST is a RST), state names as RFC 9293 writes them
 * ("FIN-WAIT-1"), arrow labels as a bold flags part and a grey numbers part, shortened to fit.
 */
import { FIN, RST, SYN, ACK, PSH, flagNames } from '../model/segment';
import type { LadderPacket, LabelToggles } from './ladder-types';
import { formatDuration, formatOffset } from './format';
import { CHAR_W, labelWidth } from './label-layout';

/**
 * Every arrow tone, declared once (the ladders draw an arrow head per tone, in this order; styles.css colours each
 * as `.arrow.TONE`): `labelFirst` for the tones of the close's own packets, whose labels are placed first when
 * the ladder is short of room (render/ladder-labels.ts).
 */
const TONES = {
  ack: { labelFirst: false },
  data: { labelFirst: false },
  syn: { labelFirst: true },
  fin: { labelFirst: true },
  rst: { labelFirst: true },
} as const satisfies Record<string, { labelFirst: boolean }>;

export type ArrowTone = keyof typeof TONES;

/** Every tone, in declaration order. */
export const ARROW_TONES = Object.keys(TONES) as readonly ArrowTone[];

/** Labels of arrows of this tone are placed before the others' (TONES). */
export const toneLabelFirst = (tone: ArrowTone): boolean => TONES[tone].labelFirst;

/** The colour class of an arrow: RST over FIN over SYN, then data, then a bare ACK. */
export function arrowTone(flags: number, len: number): ArrowTone {
  if (flags & RST) return 'rst';
  if (flags & FIN) return 'fin';
  if (flags & SYN) return 'syn';
  if (len > 0 || flags & PSH) return 'data';
  return 'ack';
}

/** A TCP state as RFC 9293 writes it: "FIN_WAIT_1" -> "FIN-WAIT-1". */
export function stateName(state: string): string {
  return state.replace(/_/g, '-');
}

/** An arrow's label in two parts: the flags (drawn bold) and the numbers (drawn grey). */
export interface LabelParts {
  flags: string;
  rest: string;
}

export function labelParts(p: LadderPacket, delta: number | null, t: LabelToggles): LabelParts {
  const rest: string[] = [];
  if (t.seq) {
    rest.push(`seq ${p.relSeq}`);
    if (p.flags & ACK) rest.push(`ack ${p.relAck}`);
  }
  if (t.length && p.payloadLength > 0) rest.push(`len ${p.payloadLength}`);
  if (t.window) rest.push(windowLabel(p));
  if (t.delta && delta !== null) rest.push(delta === 0 ? '+0 µs' : formatOffset(delta));
  return { flags: t.flags ? flagNames(p.flags) : '', rest: rest.join('  ') };
}

/**
 * The window as Wireshark shows it: the field shifted by the sender's window scale when the handshake was captured
 * ("win 65536"); without it only the raw field is known, and the label says so ("win 64 raw").
 */
export function windowLabel(p: Pick<LadderPacket, 'window' | 'windowShift'>): string {
  return p.windowShift === undefined ? `win ${p.window} raw` : `win ${p.window * 2 ** p.windowShift}`;
}

/** The window in words (accessible names, the details line): the scaled value and how it was made. */
export function windowSpoken(p: Pick<LadderPacket, 'window' | 'windowShift'>): string {
  if (p.windowShift === undefined) return `window field ${p.window}, scale unknown`;
  const scaled = p.window * 2 ** p.windowShift;
  return p.windowShift > 0 ? `window ${scaled} (field ${p.window} × ${2 ** p.windowShift})` : `window ${scaled}`;
}

/** Both parts as one string (the flags first, two spaces between parts). */
export function labelText(l: LabelParts): string {
  return l.flags && l.rest ? `${l.flags}  ${l.rest}` : l.flags || l.rest;
}

/**
 * The arrow label, shortened until it fits `room` px between the lanes (narrow ladders: three or four side by
 * side, large type): first without the time since the previous packet, then without sequence numbers, then the
 * flags alone. The details line and the accessible name always carry everything.
 */
export function fittedLabel(p: LadderPacket, delta: number | null, t: LabelToggles, room: number): LabelParts {
  const fits = (l: LabelParts) => labelWidth(l.flags, l.rest) <= room;
  let label = labelParts(p, delta, t);
  if (fits(label)) return label;
  const fewer: LabelToggles[] = [{ ...t, delta: false }, { ...t, delta: false, seq: false, window: false }, { ...t, delta: false, seq: false, window: false, length: false }];
  for (const f of fewer) {
    label = labelParts(p, delta, f);
    if (fits(label)) return label;
  }
  return label;
}

/** The TLS record names, cut with an ellipsis where the arrow is too short (the accessible name keeps them whole). */
export function fittedTls(tls: string | undefined, room: number): string {
  if (!tls) return '';
  const max = Math.max(8, Math.floor(room / CHAR_W.label));
  return tls.length <= max ? tls : `${tls.slice(0, max - 1)}…`;
}

export function ariaLabel(p: LadderPacket, delta: number | null, dropped: string | null): string {
  const parts = [p.fromClient ? 'client to server' : 'server to client', flagNames(p.flags), `seq ${p.relSeq}`];
  if (p.flags & ACK) parts.push(`ack ${p.relAck}`);
  if (p.payloadLength > 0) parts.push(`${p.payloadLength} bytes of data`);
  parts.push(windowSpoken(p));
  parts.push(delta === null ? 'first packet shown' : delta === 0 ? 'same microsecond as the previous packet' : `${formatDuration(delta)} after the previous packet`);
  if (p.anomalies.length) parts.push(p.anomalies.join(', ').replace(/-/g, ' '));
  if (p.tls) parts.push(`TLS: ${p.tls}`);
  if (dropped) parts.push(dropped);
  return parts.join(', ');
}
