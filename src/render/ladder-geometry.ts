/**
 * Ladder diagrams as plain data: lanes, arrows, endpoint states, firewall events, folded gaps.
 * One to four ladders share one time axis, aligned on each connection's first FIN (or RST).
 * No DOM: React turns this into SVG, tests check the numbers.
 */
import { FIN } from '../model/segment';
import type { FocusMode, LabelToggles, LadderData, LadderPacket, TimeMode } from './ladder-types';
import { buildTimeAxis } from './time-axis';
import { placeFirewallEvents, droppedPackets, type FirewallMark } from './ladder-events';
import { firewallClockText, type FirewallClock } from './firewall-clock';
import { formatOffsetIn, formatOffsetPrecise, formatClock, offsetUnit } from './format';
import { ariaLabel, arrowTone, fittedLabel, fittedTls, labelText, stateName } from './arrow-text';
export type { ArrowTone } from './arrow-text';
import { placeLabels, stateColumn } from './ladder-labels';
import { CHAR_W } from './label-layout';
import { closeStartOf, closeViewOf } from '../model/close-window';
import { isolateName } from '../lib/bidi';
import { itemTime, natText, pointName, sidesOf, seenAt, twoPointClock, twoPointPlan, yAtTime, endpointText, type TwoPointOptions, type TwoPointPlan } from './two-points';
import { twoPointArrow } from './two-point-arrows';

export interface LadderLayoutOptions {
  /** Width of each ladder in px. */
  width: number;
  timeMode: TimeMode;
  focus: FocusMode;
  labels: LabelToggles;
  zoom: number;
  /** What a ladder brings of its own (a lesson's), by ladder. */
  own?: readonly (LadderOwn | undefined)[];
  /** Two capture points: the user's clock offsets and the numbers shown per side (render/two-points.ts). */
  points?: TwoPointOptions;
}

export interface LadderOwn {
  /** Lane names other than client/firewall/server (a lesson's "browser", "web server"); a firewall name draws its lane. */
  names?: { client?: string; server?: string; firewall?: string };
  /** Words of a lesson's own under some arrows, by packet index. */
  notes?: ReadonlyMap<number, string>;
}

export type { LaneRole, LaneGeo, ArrowGeo, StateGeo, EventGeo, LadderGeometry } from './geometry-types';
import type { ArrowGeo, EventGeo, LadderGeometry, LaneGeo, StateGeo } from './geometry-types';

export const SLOPE = 12;
const ANOMALY_NOTE = 13;
/** Room kept free at the ends of an arrow, beside the lanes. */
const LABEL_MARGIN = 14;
const TIME_COL = 78;
/** Width the leftmost ladder adds for the time column (ladder-panel.tsx sizes its grid column with it). */
export const TIME_COL_EXTRA = TIME_COL - 6;
/** Narrow ladders (three or four side by side) keep less room for the state names beside the lanes. */
const NARROW = 340;
/** Narrowest ladder laid out (four side by side on a 1280 px screen). */
export const MIN_WIDTH = 280;

/** [from, to) of the packets drawn for a focus mode ("the close": model/close-window.ts). */
export function visibleRange(packets: readonly LadderPacket[], focus: FocusMode): [number, number] {
  if (focus === 'whole') return [0, packets.length];
  const v = closeViewOf(packets);
  return [v.from, v.to];
}

interface Prepared {
  data: LadderData;
  own: LadderOwn;
  from: number;
  to: number;
  alignUs: number;
  marks: FirewallMark[];
  drops: Map<number, string>;
  /** Relative times of items: drawn packets then marks, each list sorted. */
  items: { t: number; type: 'packet' | 'event'; at: number }[];
  firewallLane: boolean;
  /** Two capture points drawn apart (null: one arrow per packet). */
  plan: TwoPointPlan | null;
  /** Time of each packet on the axis (µs, first point's clock). */
  timeOf: (i: number) => number;
  firewallClock: FirewallClock | null;
}

function prepare(data: LadderData, o: LadderLayoutOptions, own: LadderOwn): Prepared {
  const pk = data.packets;
  const [from, to] = visibleRange(pk, o.focus);
  const f = closeStartOf(pk);
  const plan = twoPointPlan(data, o.points);
  const placed = placeFirewallEvents(data.connection, pk, plan ? twoPointClock(plan, pk) : undefined);
  const allMarks = placed.marks;
  const timeOf = plan ? (i: number) => itemTime(plan, pk[i]) : (i: number) => pk[i].timeUs;
  // No packets (a connection known from the firewall log only): align on its teardown.
  const alignUs = f >= 0 ? timeOf(f) : pk.length ? timeOf(pk.length - 1)
    : (allMarks.find((m) => m.kind === 'teardown') ?? allMarks[allMarks.length - 1])?.timeUs ?? 0;
  const drops = new Map(droppedPackets(data.connection, pk, allMarks).map((d) => [d.at, d.note]));
  // Two points drawn apart: dropped is what the sender's side saw alone (two-point-arrows.ts says it).
  if (plan) for (const at of [...drops.keys()]) if (!seenAt(plan, pk[at], sidesOf(plan, pk[at])[0]) || seenAt(plan, pk[at], sidesOf(plan, pk[at])[1])) drops.delete(at);
  const lo = from < to ? pk[from].timeUs - 1e6 : -Infinity;
  const hi = from < to ? pk[to - 1].timeUs + 1e6 : Infinity;
  // Events near what is drawn (a built event two minutes earlier is in the header text instead).
  const marks = o.focus === 'whole' || !pk.length ? allMarks : allMarks.filter((m) => m.timeUs >= lo && m.timeUs <= hi);
  const items: Prepared['items'] = [];
  for (let i = from; i < to; i++) items.push({ t: timeOf(i) - alignUs, type: 'packet', at: i });
  marks.forEach((m, i) => items.push({ t: m.timeUs - alignUs, type: 'event', at: i }));
  // At one instant (packets a capture stamped alike), an event sorts right after the packet it matches, one that
  // matches none after them all.
  const rank = (i: Prepared['items'][number]) => (i.type === 'packet' ? i.at : marks[i.at].after >= 0 ? marks[i.at].after + 0.5 : Infinity);
  items.sort((a, b) => a.t - b.t || rank(a) - rank(b) || a.at - b.at);
  const c = data.connection;
  const firewallLane = !!c.firewall || !!own.names?.firewall || (c.vantage?.points.length ?? 0) >= 2 || drops.size > 0;
  return { data, own, from, to, alignUs, marks, drops, items, firewallLane, plan, timeOf, firewallClock: placed.clock };
}

/** Lays out 1-4 ladders on one shared time axis. */
export function layoutLadders(ladders: readonly LadderData[], o: LadderLayoutOptions): LadderGeometry[] {
  const prepared = ladders.map((d, l) => prepare(d, o, o.own?.[l] ?? {}));
  // Room under arrows that carry an anomaly note and/or a TLS record line (each is a line of its own under the
  // arrow's label; without the room, the next arrow's line would cross it and the label layout would drop it).
  const extra = prepared.map((p) =>
    p.items.map((i) => {
      if (i.type !== 'packet') return 0;
      const pkt = p.data.packets[i.at];
      return ((pkt.anomalies.length ? 1 : 0) + (pkt.tls ? 1 : 0) + (p.own.notes?.has(pkt.index) ? 1 : 0)) * ANOMALY_NOTE * o.zoom;
    }),
  );
  const axis = buildTimeAxis(prepared.map((p) => p.items.map((i) => i.t)), o.timeMode, o.zoom, extra);
  // Side by side the ladders share one time axis, so only the leftmost prints times.
  // One state column for all, wide enough for the longest state drawn, so lanes stay equally far apart.
  const stateCol = stateColumn(prepared.map((p) => p.data.connection), o.width < NARROW);
  return prepared.map((p, l) => placeLabels(geometry(p, axis.ys[l], axis, o, l === 0, stateCol)));
}

/** An endpoint as drawn under a lane: only the address is a name from the file, so only it is isolated. */
function endpointIsolated(e: { ip: string; port: number }): string {
  return endpointText({ ...e, ip: isolateName(e.ip) });
}

function geometry(p: Prepared, ys: number[], axis: ReturnType<typeof buildTimeAxis>, o: LadderLayoutOptions, showTimes: boolean, stateCol: number): LadderGeometry {
  // The ladder that prints the times is wider by the time column, so every ladder's lanes are as far apart.
  const W = Math.max(MIN_WIDTH, o.width) + (showTimes ? TIME_COL_EXTRA : 0);
  const c = p.data.connection;
  const clientX = (showTimes ? TIME_COL : 6) + stateCol;
  const serverX = W - stateCol;
  const fwX = (clientX + serverX) / 2;
  const fw = c.firewall;
  const points = c.vantage?.points ?? [];
  const plan = p.plan;
  // Names from files are isolated (lib/bidi.ts): SVG text has no <bdi>.
  const n = isolateName;
  const lanes: LaneGeo[] = [
    { role: 'client', x: clientX, label: n(p.own.names?.client || 'client'), sublabel: endpointIsolated(plan?.clientSide.client ?? c.client) },
  ];
  if (p.firewallLane) {
    // The capture points in lane order: the one nearer the client on the client's side.
    const byLane = (plan ? [plan.clientSide.name, plan.serverSide.name].map(pointName) : points).map(n);
    const iface = fw?.interfaces ? `${n(fw.interfaces.client)} | ${n(fw.interfaces.server)}` : byLane.length >= 2 ? `${byLane[0]} | ${byLane[1]}` : '';
    const name = n(p.own.names?.firewall || fw?.device || 'firewall');
    const nat = plan ? n(natText(plan)) : '';
    if (nat && fw) {
      // The firewall log names the interfaces; the translation waits in the lane's title.
      lanes.push({ role: 'firewall', x: fwX, label: name, sublabel: iface, title: nat });
    } else if (nat) {
      // Two points with NAT between them: the translation takes the address line, the points go up beside the
      // lane's name when that fits in its room (ladder-labels.ts), else into its title.
      const label = `${name}: ${iface}`;
      if (label.length * CHAR_W.lane <= (serverX - clientX) / 2 - 8) lanes.push({ role: 'firewall', x: fwX, label, sublabel: nat });
      else lanes.push({ role: 'firewall', x: fwX, label: name, sublabel: nat, title: iface });
    } else lanes.push({ role: 'firewall', x: fwX, label: name, sublabel: iface });
  }
  lanes.push({ role: 'server', x: serverX, label: n(p.own.names?.server || 'server'), sublabel: endpointIsolated(plan?.serverSide.server ?? c.server) });
  // Narrow ladders (three or four side by side, large type): the firewall's interface names would
  // run into the addresses beside them; they are dropped there (the lane's title still has them).
  const textW = (t: string) => t.length * CHAR_W.sub;
  for (let k = 1; k < lanes.length - 1; k++) {
    const m = lanes[k];
    const crowded = [lanes[k - 1], lanes[k + 1]].some((o) => Math.abs(m.x - o.x) < (textW(m.sublabel) + textW(o.sublabel)) / 2 + 8);
    if (crowded) {
      m.title = [m.title, m.sublabel].filter(Boolean).join(" · ");
      m.sublabel = '';
    }
  }

  const pk = p.data.packets;
  const itemTimes: number[] = [];
  const itemYs: number[] = [];
  p.items.forEach((item, k) => {
    itemTimes.push(item.t);
    itemYs.push(ys[k]);
  });
  const yOfPacket = new Map<number, number>();
  const arrows: ArrowGeo[] = [];
  const events: EventGeo[] = [];
  p.items.forEach((item, k) => {
    const y = ys[k];
    if (item.type === 'event') {
      const m = p.marks[item.at];
      const short = m.kind === 'built' ? 'Built' : m.kind === 'teardown' ? 'Teardown' : `Deny ${isolateName(m.deny?.flags.trim() ?? '')}`.trim();
      events.push({ kind: m.kind, x: fwX, y, text: m.text, short, detail: m.detail, after: m.after >= 0 ? pk[m.after].index : -1 });
      return;
    }
    yOfPacket.set(item.at, y);
  });
  // One unit for the whole time column (Wireshark's column never mixes ms and s either).
  let maxOffset = 0;
  for (let i = p.from; i < p.to; i++) maxOffset = Math.max(maxOffset, Math.abs(pk[i].timeUs - p.alignUs));
  const unit = offsetUnit(maxOffset);
  for (let i = p.from; i < p.to; i++) {
    const pkt = pk[i];
    const y = yOfPacket.get(i)!;
    // Δt on the merged timeline (first point's clock), as a share link of this ladder says it.
    const delta = i > 0 ? pkt.timeUs - pk[i - 1].timeUs : null;
    if (plan) {
      arrows.push(twoPointArrow(i, pkt, y, delta, p.drops.get(i) ?? null, {
        plan, clientX, serverX, fwX, slope: SLOPE, margin: LABEL_MARGIN, labels: o.labels, alignUs: p.alignUs, showTimes, unit,
        yAt: (t) => yAtTime(itemTimes, itemYs, t, SLOPE),
      }));
      continue;
    }
    const dropped = p.drops.get(i) ?? null;
    const sx = pkt.fromClient ? clientX : serverX;
    const rx = pkt.fromClient ? serverX : clientX;
    const y1 = y - SLOPE / 2;
    let x2 = rx;
    let y2 = y + SLOPE / 2;
    if (dropped) {
      x2 = fwX;
      y2 = y;
    }
    const angle = (Math.atan((y2 - y1) / (x2 - sx)) * 180) / Math.PI;
    const label = fittedLabel(pkt, delta, o.labels, Math.abs(x2 - sx) - LABEL_MARGIN);
    arrows.push({
      at: i, packet: pkt, x1: sx, y1, x2, y2, y, dropped,
      tone: arrowTone(pkt.flags, pkt.payloadLength),
      anomalies: pkt.anomalies,
      label: labelText(label), labelFlags: label.flags, labelRest: label.rest, noteShown: pkt.anomalies.length > 0,
      tls: fittedTls(pkt.tls && isolateName(pkt.tls), Math.abs(x2 - sx) - LABEL_MARGIN),
      note: isolateName(p.own.notes?.get(pkt.index) ?? ''),
      labelX: (sx + x2) / 2, labelY: (y1 + y2) / 2 - 4, angle,
      timeLabel: showTimes ? formatOffsetPrecise(pkt.timeUs - p.alignUs, unit) : '',
      deltaUs: delta,
      ariaLabel: ariaLabel(pkt, delta, dropped),
    });
  }

  // Endpoint states: each label where it began, beside its lane; the state already in force
  // when the drawn window starts goes at the top.
  const states: StateGeo[] = [];
  const byIndex = new Map<number, ArrowGeo>();
  for (const a of arrows) byIndex.set(a.packet.index, a);
  for (const side of ['client', 'server'] as const) {
    const list = c.close?.states[side] ?? [];
    const x = side === 'client' ? clientX - 6 : serverX + 6;
    const anchor = side === 'client' ? 'end' : 'start';
    const firstIdx = arrows.length ? arrows[0].packet.index : 0;
    let prior: string | null = null;
    for (let k = 0; k < list.length; k++) {
      const s = list[k];
      const a = byIndex.get(s.packet);
      // Several states beginning at one packet: the earlier ones were in force before it.
      if (a && list[k + 1]?.packet === s.packet) {
        if (a === arrows[0]) prior = s.state;
        continue;
      }
      if (a) {
        const atSender = (side === 'client') === a.packet.fromClient;
        // Dropped packets never reach the receiver: its state does not change there.
        const y = atSender ? a.y1 : a.dropped ? a.y : a.half ? a.half.y2 : a.y2;
        states.push({ side, x, y: y + 4, text: stateName(s.state), anchor, x0: x, x1: x, packet: s.packet });
      } else if (s.packet < firstIdx) prior = s.state;
    }
    if (prior && arrows.length) states.push({ side, x, y: arrows[0].y1 - 14, text: stateName(prior), anchor, x0: x, x1: x, packet: -1 });
  }
  states.sort((a, b) => (a.side === b.side ? a.y - b.y : a.side < b.side ? -1 : 1));

  // The axis ticks in the column's unit too (round values: no trailing zeros).
  const ticks = axis.ticks.map((t) => ({ ...t, label: showTimes ? formatOffsetIn(t.us, unit) : '' }));
  const f = closeStartOf(pk);
  const alignLabel = f >= 0
    ? `first ${pk[f].flags & FIN ? 'FIN' : 'RST'} · ${formatClock(p.timeOf(f))}`
    : '';
  const alignY = f >= p.from && f < p.to ? yOfPacket.get(f)! : null;
  return {
    width: W,
    height: axis.height,
    lanes, arrows, states, events,
    breaks: axis.breaks,
    ticks,
    alignY,
    alignLabel: showTimes ? alignLabel : '',
    alignUs: p.alignUs,
    timeUnit: unit,
    closeAt: alignY === null ? null : f,
    hiddenBefore: p.from + (pk.length ? pk[0].index : 0),
    hiddenAfter: p.data.totalPackets - (pk.length ? pk[0].index : 0) - p.to,
    // A link's ladder drawn as far as the link goes: what is missing is not in it (the sender chose the close).
    foldNotes: {
      before: p.data.origin === 'shared link' && p.from === 0 ? 'not in the link' : 'not drawn',
      after: p.data.origin === 'shared link' && p.to === pk.length ? 'not in the link' : 'not drawn',
    },
    kind: c.close?.kind ?? null,
    hasFirewallLane: p.firewallLane,
    firewallClock: p.firewallClock,
    firewallNote: p.firewallClock && p.marks.length
      ? firewallClockText(p.firewallClock, plan ? [plan.clientSide, plan.serverSide].sort((a, b) => a.point - b.point).map((s) => ({ name: pointName(s.name), shiftUs: s.point ? plan.offsetUs : 0 })) : [])
      : '',
  };
}
