/**
 * One arrow of a ladder drawn across two capture points (two-points.ts has the plan): the sender's half ends at
 * the firewall lane at the time the point on the sender's side saw the packet; the receiver's half leaves the lane
 * at the time the other point saw it. A packet the sender's side saw alone stops at the lane (dropped between the
 * points); one the receiver's side saw alone starts at the lane. Each half is labelled with its point's numbers.
 */
import type { LabelToggles, LadderPacket } from './ladder-types';
import type { ArrowGeo, HalfGeo } from './geometry-types';
import { ariaLabel, arrowTone, fittedLabel, fittedTls, labelText } from './arrow-text';
import { formatDuration, formatOffsetPrecise, type OffsetUnit } from './format';
import { endpointText, numbersAt, pointName, seenAt, sidesOf, type TwoPointPlan } from './two-points';

export interface TwoPointContext {
  plan: TwoPointPlan;
  clientX: number;
  serverX: number;
  fwX: number;
  slope: number;
  /** Room kept free at the ends of a half, beside the lanes. */
  margin: number;
  labels: LabelToggles;
  /** y of a time (µs, first point's clock, relative to the alignment) on this ladder. */
  yAt: (relUs: number) => number;
  alignUs: number;
  showTimes: boolean;
  /** The time column's one unit (format.ts offsetUnit). */
  unit?: OffsetUnit;
}

const angleOf = (x1: number, y1: number, x2: number, y2: number) => (Math.atan((y2 - y1) / (x2 - x1)) * 180) / Math.PI;

function half(p: LadderPacket, x1: number, y1: number, x2: number, y2: number, labels: LabelToggles, delta: number | null, margin: number): HalfGeo {
  const l = fittedLabel(p, delta, labels, Math.abs(x2 - x1) - margin);
  return {
    x1, y1, x2, y2, label: labelText(l), labelFlags: l.flags, labelRest: l.rest,
    // The label sits and tilts as a whole arrow's would (the half drops as much over half the width).
    labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 - 4 + Math.abs(y2 - y1) / 2, angle: angleOf(x1, y1, x1 + 2 * (x2 - x1), y2),
  };
}

/** `dropNote`: what the ladder's dropped marks say of this packet (ladder-events.ts), the same words one-point ladders use. */
export function twoPointArrow(at: number, pkt: LadderPacket, y: number, delta: number | null, dropNote: string | null, ctx: TwoPointContext): ArrowGeo {
  const { plan, fwX, slope } = ctx;
  const [near, far] = sidesOf(plan, pkt);
  const nearSeen = seenAt(plan, pkt, near);
  const farSeen = seenAt(plan, pkt, far);
  const sx = pkt.fromClient ? ctx.clientX : ctx.serverX;
  const rx = pkt.fromClient ? ctx.serverX : ctx.clientX;
  const yFar = farSeen ? ctx.yAt(farSeen.timeUs - ctx.alignUs) : y;
  const dropped = nearSeen && !farSeen ? dropNote ?? `seen at ${near.name} only, missing at ${far.name}: dropped at the firewall` : null;
  const fromLane = !nearSeen;
  // The first half: the sender's, or (seen on the receiver's side only) the receiver's, from the lane.
  const first = fromLane
    ? half(numbersAt(pkt, farSeen, far), fwX, y, rx, y + slope / 2, ctx.labels, delta, ctx.margin)
    : half(numbersAt(pkt, nearSeen, near), sx, y - slope / 2, fwX, y, ctx.labels, delta, ctx.margin);
  // The receiver's half: flags and numbers as the far point saw them (length and Δt are on the first half).
  const second = !fromLane && farSeen
    ? half(numbersAt(pkt, farSeen, far), fwX, yFar, rx, yFar + slope / 2, { ...ctx.labels, length: false, delta: false, window: false }, null, ctx.margin)
    : null;
  const transit = nearSeen && farSeen ? farSeen.timeUs - nearSeen.timeUs : null;
  const where = (side: typeof near, s: typeof nearSeen) => s
    ? `at ${pointName(side.name)} ${formatOffsetPrecise(s.timeUs - ctx.alignUs, ctx.unit)}, ${endpointText(pkt.fromClient ? side.client : side.server)} to ${endpointText(pkt.fromClient ? side.server : side.client)}, seq ${s.seq}${s.ack ? ` ack ${s.ack}` : ''}`
    : `not seen at ${pointName(side.name)}`;
  const notes = [where(near, nearSeen), where(far, farSeen)];
  if (transit !== null) notes.push(`${formatDuration(Math.abs(transit))} between the points${transit < 0 ? ' (negative: adjust the clock offset)' : ''}`);
  if (fromLane) notes.push('the capture on the sender\'s side missed it, or the firewall sent it');
  return {
    at, packet: pkt, x1: first.x1, y1: first.y1, x2: first.x2, y2: first.y2, y, dropped,
    tone: arrowTone(pkt.flags, pkt.payloadLength),
    anomalies: pkt.anomalies,
    label: first.label, labelFlags: first.labelFlags, labelRest: first.labelRest, noteShown: pkt.anomalies.length > 0,
    tls: fittedTls(pkt.tls, Math.abs(first.x2 - first.x1) - ctx.margin),
    note: '',
    labelX: first.labelX, labelY: first.labelY, angle: first.angle,
    timeLabel: ctx.showTimes ? formatOffsetPrecise(((nearSeen ?? farSeen)?.timeUs ?? pkt.timeUs) - ctx.alignUs, ctx.unit) : '',
    deltaUs: delta,
    // The accessible name stays what a one-point ladder (and a share link of this one) says; the points' view is
    // the arrow's description.
    ariaLabel: ariaLabel(pkt, delta, dropped),
    pointNote: notes.join('; '),
    half: second,
    ...(fromLane ? { fromLane: true } : {}),
  };
}
