/** A ladder laid out: plain data the SVG component draws (render/ladder-geometry.ts makes it). */
import type { CloseKind, Side } from '../model/report';
import type { LadderPacket } from './ladder-types';
import type { AxisBreak, AxisTick } from './time-axis';
import type { EventKind } from './ladder-events';
import type { ArrowTone } from './arrow-text';
import type { Box } from './label-layout';
import type { FirewallClock } from './firewall-clock';
import type { OffsetUnit } from './format';

export type LaneRole = 'client' | 'firewall' | 'server';
export interface LaneGeo {
  role: LaneRole;
  x: number;
  label: string;
  sublabel: string;
  /** Centre of the sublabel when it had to move off the lane to stay inside the ladder (long IPv6 addresses). */
  subX?: number;
  /** Set when the sublabel had no room and was left out. */
  title?: string;
}

/** The receiver's half of an arrow drawn across two capture points: from the firewall lane to the receiver. */
export interface HalfGeo {
  x1: number; y1: number; x2: number; y2: number;
  label: string;
  labelFlags: string;
  labelRest: string;
  labelX: number; labelY: number; angle: number;
}

export type { ArrowTone };

export interface ArrowGeo {
  /** Index into LadderData.packets. */
  at: number;
  packet: LadderPacket;
  x1: number; y1: number; x2: number; y2: number;
  /** Capture time's y (where the arrow crosses the middle). */
  y: number;
  tone: ArrowTone;
  dropped: string | null;
  anomalies: string[];
  /** The "dropped" words beside a dropped packet's end are drawn (left out where they would overprint). */
  dropNote?: boolean;
  /** The label as one string ('' when left out for lack of room), and its bold flags part and grey rest. */
  label: string;
  labelFlags: string;
  labelRest: string;
  /** The anomaly note under the label is drawn (left out where it would overprint; the halo stays). */
  noteShown: boolean;
  /** TLS records the packet completes ("Client Hello", "Alert close_notify"), fitted to the arrow; '' for none. */
  tls: string;
  /** A lesson's own words for this packet (LadderLayoutOptions.notes), a line under the label; '' for none. */
  note: string;
  labelX: number; labelY: number; angle: number;
  timeLabel: string;
  deltaUs: number | null;
  ariaLabel: string;
  /**
   * Two capture points: x1..x2 is the sender's half, ending at the firewall lane when the point on the sender's
   * side saw the packet; `half` continues from the lane at the time the other point saw it (null when it did not:
   * dropped between them). `fromLane`: the point on the sender's side did not see it, so x1 is the lane.
   */
  half?: HalfGeo | null;
  fromLane?: boolean;
  /** Two capture points: when and how each saw the packet, and the time between them (the arrow's description). */
  pointNote?: string;
}

/** An endpoint state in a pill beside its lane: text baseline at y, the pill from x0 to x1. */
/** `packet`: index of the packet the state began with (-1: already in force where the drawing starts). */
export interface StateGeo { side: Side; x: number; y: number; text: string; anchor: 'start' | 'end'; x0: number; x1: number; packet: number }
/** `after`: index of the packet the event is drawn after (-1: before the first). */
export interface EventGeo {
  kind: EventKind;
  /** Centre of the box: on the firewall lane (laneX), or beside it where the lane had no room (ladder-labels.ts). */
  x: number;
  y: number;
  text: string;
  /** What a narrow ladder shows where the whole text has no room ("Teardown", "Deny RST"). */
  short?: string;
  /** The text drawn in the box, set by the label layout: the whole, cut, or the short form. */
  drawn?: string;
  detail: string;
  after: number;
  /** The box's left and right edges and the firewall lane's x, set by the label layout. */
  x0?: number;
  x1?: number;
  laneX?: number;
}

export interface LadderGeometry {
  width: number;
  height: number;
  lanes: LaneGeo[];
  arrows: ArrowGeo[];
  states: StateGeo[];
  events: EventGeo[];
  breaks: AxisBreak[];
  ticks: (AxisTick & { label: string })[];
  /** y of the alignment line (first FIN/RST), null when none. */
  alignY: number | null;
  alignLabel: string;
  /** The time column's zero (the first FIN/RST's time, µs) and its one unit: the packet list writes times alike. */
  alignUs: number;
  timeUnit: OffsetUnit;
  /** `at` of the arrow where the close starts (first FIN/RST), null when not drawn: where keyboard focus lands. */
  closeAt: number | null;
  /** Packets of the connection not drawn before / after the drawn ones. */
  hiddenBefore: number;
  hiddenAfter: number;
  /** Why they are not drawn: "not drawn" (the close view, or the engine's window), or "not in the link" (a shared link holds only part of the connection). */
  foldNotes?: { before: string; after: string };
  kind: CloseKind | null;
  hasFirewallLane: boolean;
  /** The firewall log's clock against the axis, and how its events were placed (render/firewall-clock.ts); null: no log events. */
  firewallClock: FirewallClock | null;
  /** That in words for the ladder's head ('' when no log event is drawn). */
  firewallNote: string;
  /** Every text's box as placed (render/ladder-labels.ts), for tests that check nothing overprints. */
  textBoxes?: { box: Box; what: string }[];
}

