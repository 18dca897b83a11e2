/**
 * Two capture points on one ladder (issue #19): a packet seen at both is drawn as two halves that meet the
 * firewall lane, the sender's half at the time the point on its side saw it, the receiver's half at the time the
 * other point saw it, so the time it spent between the points is the drop along the lane. Times are on the first
 * point's clock: the second point's minus the clock offset (estimated by the analysis, or set by the user).
 * Each half is numbered as its point saw it: relative (same at both points) or raw (NAT devices randomise them).
 */
import type { LadderData, LadderPacket } from './ladder-types';
import type { PointSeen } from '../model/ladder-packet';
import type { Endpoint } from '../model/report';
import type { MarkClock } from './firewall-clock';
import { ipPort } from '../model/endpoint-text';

export type NumberMode = 'relative' | 'raw';

export interface TwoPointOptions {
  /** The user's clock offset (ms, second point minus first) per connection id; the estimate when absent. */
  clockOffsetMs?: Readonly<Record<string, number>>;
  /** Numbers on the half drawn at the client's side / the server's side. */
  numbers?: { client: NumberMode; server: NumberMode };
}

export interface PointSide {
  /** Index in VantageFacts.points. */
  point: number;
  name: string;
  /** Client and server as this point saw them. */
  client: Endpoint | null;
  server: Endpoint | null;
  numbers: NumberMode;
}

export interface TwoPointPlan {
  /** The point nearer the client, and the one nearer the server. */
  clientSide: PointSide;
  serverSide: PointSide;
  /** Second point's clock minus the first's, µs, as used; and whether the user set it. */
  offsetUs: number;
  adjusted: boolean;
}

export function twoPointPlan(data: LadderData, o: TwoPointOptions | undefined): TwoPointPlan | null {
  const v = data.connection.vantage;
  if (!v || v.points.length < 2 || v.clientSide === undefined || !data.packets.some((p) => p.points)) return null;
  const user = o?.clockOffsetMs?.[data.connection.id];
  const cs = v.clientSide === 1 ? 1 : 0;
  const side = (point: number, numbers: NumberMode): PointSide => ({
    point, name: v.points[point], client: v.endpoints?.[point]?.client ?? null, server: v.endpoints?.[point]?.server ?? null, numbers,
  });
  return {
    clientSide: side(cs, o?.numbers?.client ?? 'relative'),
    serverSide: side(1 - cs, o?.numbers?.server ?? 'relative'),
    offsetUs: (user ?? v.clockOffsetMs) * 1000,
    adjusted: user !== undefined,
  };
}

/** How a point saw a packet, its time on the first point's clock; null when that point did not see it. */
export function seenAt(plan: TwoPointPlan, p: LadderPacket, side: PointSide): PointSeen | null {
  const s = p.points?.[side.point];
  if (!s) return null;
  return side.point === 0 ? s : { ...s, timeUs: s.timeUs - plan.offsetUs };
}

/** The sender's and the receiver's side of a packet. */
export function sidesOf(plan: TwoPointPlan, p: LadderPacket): [PointSide, PointSide] {
  return p.fromClient ? [plan.clientSide, plan.serverSide] : [plan.serverSide, plan.clientSide];
}

/** Where the packet sits on the time axis: when the point on its sender's side saw it, else the other point. */
export function itemTime(plan: TwoPointPlan, p: LadderPacket): number {
  const [near, far] = sidesOf(plan, p);
  return (seenAt(plan, p, near) ?? seenAt(plan, p, far))?.timeUs ?? p.timeUs;
}

/** When each packet reached the firewall (its sender's side saw it) and left it (its receiver's side), on the axis. */
export function twoPointClock(plan: TwoPointPlan, packets: readonly LadderPacket[]): MarkClock {
  const at = (i: number, k: 0 | 1) => {
    const p = packets[i];
    return p.points ? seenAt(plan, p, sidesOf(plan, p)[k])?.timeUs ?? null : p.timeUs;
  };
  return { near: (i) => at(i, 0), far: (i) => at(i, 1) };
}

/** The packet's numbers as `side` saw them, in that side's mode (relative numbers are alike at both points). */
export function numbersAt(p: LadderPacket, seen: PointSeen | null, side: PointSide): LadderPacket {
  return side.numbers === 'raw' && seen ? { ...p, relSeq: seen.seq, relAck: seen.ack } : p;
}

/** y of time `t` on a ladder whose items at `times` (ascending) sit at `ys`: between the items around it. */
export function yAtTime(times: readonly number[], ys: readonly number[], t: number, pad: number): number {
  if (!times.length) return 0;
  if (t <= times[0]) return t === times[0] ? ys[0] : ys[0] - pad;
  const n = times.length;
  if (t >= times[n - 1]) return t === times[n - 1] ? ys[n - 1] : ys[n - 1] + pad;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  const span = times[hi] - times[lo];
  return span > 0 ? ys[lo] + ((t - times[lo]) / span) * (ys[hi] - ys[lo]) : ys[lo];
}

export function endpointText(e: Endpoint | null): string {
  if (!e) return '';
  return ipPort(e.ip, e.port);
}

const same = (a: Endpoint | null, b: Endpoint | null) => !!a && !!b && a.ip === b.ip && a.port === b.port;

/** A capture point's short name: its file name without folders and extension. */
export function pointName(name: string): string {
  return name.replace(/^.*[\\/]/, '').replace(/\.(pcapng|pcap|cap|txt|log)(\.gz)?$/i, '');
}

/** The address translation between the points, as the firewall lane says it ("client as 198.51.100.1:40000 at outside"). */
export function natText(plan: TwoPointPlan): string {
  const out: string[] = [];
  const { clientSide: c, serverSide: s } = plan;
  if (c.client && s.client && !same(c.client, s.client)) out.push(`client as ${endpointText(s.client)} at ${pointName(s.name)}`);
  if (c.server && s.server && !same(c.server, s.server)) out.push(`server as ${endpointText(c.server)} at ${pointName(c.name)}`);
  return out.join(' · ');
}
