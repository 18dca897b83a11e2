/**
 * Firewall events of one connection (built, teardown, denies) as marks for the firewall lane,
 * and which packets the firewall dropped (two capture points, or a matching deny).
 *
 * Syslog stamps have one-second resolution while packets have microseconds. An event stamped
 * 12:00:50 happened somewhere in [12:00:50, 12:00:51), so it is placed after the packet that
 * caused it within that second when there is one (teardown: the first RST when its normalised reason implies
 * an RST, else the last FIN; deny: the matching packet, one that did not cross first), else at the stamp moved by the
 * firewall clock's estimated offset (firewall-clock.ts). With two capture points, "after" is after the packet
 * reached the firewall lane (its sender's side saw it). The tooltip says which.
 */
import type { ConnectionReport, FirewallDeny } from '../model/report';
import { FIN, RST, SYN, ACK, flagNames } from '../model/segment';
import type { LadderPacket } from './ladder-types';
import { formatClock } from './format';
import { parseIsoUs } from '../model/report';
import { teardownReasonEntry } from '../model/teardown-reasons';
import { isolateName } from '../lib/bidi';
import { atFirewall, estimateFirewallClock, type FirewallClock, type MarkClock } from './firewall-clock';

export type EventKind = 'built' | 'teardown' | 'deny';

export interface FirewallMark {
  kind: EventKind;
  /** Placement time, µs since the epoch. */
  timeUs: number;
  /** The stamp as logged. */
  stampUs: number;
  wholeSecond: boolean;
  text: string;
  detail: string;
  /** Array index (in the ladder's packets) of the packet this event is placed after, or -1. */
  after: number;
  /** The log's deny, for a deny mark. */
  deny?: FirewallDeny;
}

export interface DropMark {
  /** Array index in the ladder's packets. */
  at: number;
  note: string;
}

const flagBits: Record<string, number> = { F: FIN, S: SYN, R: RST, A: ACK, FIN, SYN, RST, ACK };

function denyFlags(flags: string): number {
  let bits = 0;
  for (const w of flags.toUpperCase().split(/[^A-Z]+/)) if (flagBits[w]) bits |= flagBits[w];
  return bits;
}

function sameEndpoint(a: { ip: string; port: number }, b: { ip: string; port: number } | undefined): boolean {
  return !!b && a.ip === b.ip && a.port === b.port;
}

/**
 * Does the deny come from the connection's client (true), server (false) or unknown (null)? The deny names the
 * addresses as the interface it arrived on saw them: the capture's, the other side's of the NAT (the log's mapped
 * ones, or each capture point's view), else the interface itself says the side.
 */
function denyFromClient(c: ConnectionReport, d: FirewallDeny): boolean | null {
  const views = [{ client: c.client, server: c.server }, c.firewall?.mapped, ...(c.vantage?.endpoints ?? [])];
  for (const v of views) {
    if (!v) continue;
    if (sameEndpoint(d.src, v.client)) return true;
    if (sameEndpoint(d.src, v.server)) return false;
  }
  const ifs = c.firewall?.interfaces;
  if (ifs && ifs.client !== ifs.server && d.interface) {
    if (d.interface === ifs.client) return true;
    if (d.interface === ifs.server) return false;
  }
  return null;
}

/** One point (or none given): each packet reached and left the firewall when the capture saw it. */
function oneClock(packets: readonly LadderPacket[]): MarkClock {
  return { near: (i) => packets[i].timeUs, far: (i) => packets[i].timeUs };
}

interface Pending {
  kind: EventKind;
  stamp: { us: number; wholeSecond: boolean };
  /** The stamp times no packet (a Built taken from a duration): left out of the clock estimate. */
  noPacketTime?: boolean;
  at: number;
  text: string;
  detail: string;
  deny?: FirewallDeny;
}

/** The connection's firewall events placed on the ladder's axis, and the firewall clock they imply (null: no events). */
export function placeFirewallEvents(c: ConnectionReport, packets: readonly LadderPacket[], clock: MarkClock = oneClock(packets)): { marks: FirewallMark[]; clock: FirewallClock | null } {
  const fw = c.firewall;
  if (!fw) return { marks: [], clock: null };
  // The analysis's estimate of the log's clock against the capture's (first point's) clock.
  const priorUs = (fw.clockOffsetMs ?? 0) * 1000;
  const timeAt = (i: number) => atFirewall(clock, i) ?? packets[i].timeUs;
  // The packet of an event: handled by the firewall within the event's stamp (moved onto the axis), the first or
  // the last that fits; a packet that did not leave the firewall first (a deny's).
  // `before`: the event was logged some time after its packet (a teardown logged after the close), so the packet is
  // any one before the stamp's end.
  const match = (stampUs: number, wholeSecond: boolean, pred: (p: LadderPacket) => boolean, last: boolean, notLeft = false, before = false): number => {
    const lo = before ? -Infinity : stampUs - priorUs;
    const hi = stampUs - priorUs + (wholeSecond ? 1e6 : 1);
    let found = -1;
    for (const strict of notLeft ? [true, false] : [false]) {
      for (let i = 0; i < packets.length; i++) {
        const t = timeAt(i);
        if (t < lo || t >= hi || !pred(packets[i]) || (strict && clock.far(i) !== null && clock.near(i) !== null)) continue;
        found = i;
        if (!last) break;
      }
      if (found >= 0) break;
    }
    return found;
  };
  const pending: Pending[] = [];
  const add = (kind: EventKind, stampText: string, text: string, detail: string, find: (us: number, whole: boolean) => number, deny?: FirewallDeny, noPacketTime = false) => {
    const stamp = parseIsoUs(stampText);
    if (!Number.isFinite(stamp.us)) return;
    pending.push({ kind, stamp, at: find(stamp.us, stamp.wholeSecond), text, detail, ...(deny ? { deny } : {}), ...(noPacketTime ? { noPacketTime } : {}) });
  };
  // Names from the log (device, interfaces, reasons, object names) are isolated: the event texts are drawn in SVG.
  const n = isolateName;
  const dev = n(fw.device || 'firewall');
  if (fw.built) {
    const derived = fw.builtFrom === 'duration' ? ` (taken back from the teardown's duration)` : '';
    add('built', fw.built, 'Built', `${dev} built connection${fw.connId ? ` ${fw.connId}` : ''}${derived}`, (us, whole) =>
      match(us, whole, (p) => (p.flags & SYN) !== 0, false), undefined, !!derived);
  }
  if (fw.teardown) {
    const reason = n(fw.teardown.reason);
    const from = fw.teardown.from ? n(fw.teardown.from) : null;
    // The close packet the normalised reason implies: an RST (the first), else the last FIN (also when not said). A
    // teardown logged after the close (a FortiGate's) matches that packet anywhere before its stamp.
    const afterFin = (teardownReasonEntry(fw.teardown.reasonKind).closes & FIN) !== 0;
    const late = fw.teardownLogged === 'after-close';
    add('teardown', fw.teardown.time, `Teardown · ${reason}${from ? ` from ${from}` : ''}`,
      `${dev} tore down the connection: ${reason}${from ? ` from ${from}` : ''}${fw.duration ? `, duration ${fw.duration}` : ''}${fw.bytes != null ? `, ${fw.bytes} bytes` : ''}${late ? '; written when the session left the table, after the close' : ''}`,
      (us, whole) => afterFin ? match(us, whole, (p) => (p.flags & FIN) !== 0, true, false, late) : match(us, whole, (p) => (p.flags & RST) !== 0, false, false, late));
  }
  for (const d of fw.denies) {
    const bits = denyFlags(d.flags);
    const fromClient = denyFromClient(c, d);
    const noConn = d.cause === 'no-connection' ? ' (no connection)' : '';
    add('deny', d.time, `${n(d.messageId)} Deny ${n(d.flags.trim())}${noConn}`,
      `${dev} denied ${n(d.flags.trim())} from ${n(d.src.ip)}/${d.src.port} to ${n(d.dst.ip)}/${d.dst.port} on ${n(d.interface)}${noConn}`,
      (us, whole) => match(us, whole, (p) => (fromClient === null || p.fromClient === fromClient) && (bits === 0 || (p.flags & bits) === bits), false, true), d);
  }
  if (!pending.length) return { marks: [], clock: null };
  const est = estimateFirewallClock(
    pending.map((e) => ({ stampUs: e.stamp.us, resUs: e.stamp.wholeSecond ? 1e6 : 1, at: e.noPacketTime ? -1 : e.at, beforeLeaving: e.kind === 'built' })), clock, priorUs);
  const marks: FirewallMark[] = pending.map((e) => {
    const when = `logged ${formatClock(e.stamp.us, e.stamp.wholeSecond ? 0 : 6)}${e.stamp.wholeSecond ? ' (syslog: one-second resolution)' : ''}`;
    const placed = e.at >= 0 ? 'drawn after the packet it matches' : 'drawn at its stamp on the capture\'s clock';
    return {
      kind: e.kind, timeUs: e.at >= 0 ? timeAt(e.at) : e.stamp.us - est.offsetUs, stampUs: e.stamp.us, wholeSecond: e.stamp.wholeSecond,
      text: e.text, detail: `${e.detail}; ${when}, ${placed}`, after: e.at, ...(e.deny ? { deny: e.deny } : {}),
    };
  });
  marks.sort((a, b) => a.timeUs - b.timeUs || a.after - b.after);
  const matched = marks.filter((m) => m.after >= 0).length;
  return { marks, clock: { wholeSecond: marks.every((m) => m.wholeSecond), ...est, matched, unmatched: marks.length - matched } };
}

export function firewallMarks(c: ConnectionReport, packets: readonly LadderPacket[], clock?: MarkClock): FirewallMark[] {
  return placeFirewallEvents(c, packets, clock).marks;
}

/** Packets that did not cross the firewall: seen at one capture point only, or denied per syslog. */
export function droppedPackets(c: ConnectionReport, packets: readonly LadderPacket[], marks: readonly FirewallMark[]): DropMark[] {
  const out = new Map<number, string>();
  const byIndex = new Map<number, number>();
  packets.forEach((p, i) => byIndex.set(p.index, i));
  for (const d of c.vantage?.dropped ?? []) {
    const at = byIndex.get(d.packet);
    if (at !== undefined) out.set(at, `seen at ${d.seenAt} only, missing at ${d.missingAt}: dropped at the firewall`);
  }
  for (const m of marks) {
    if (m.kind !== 'deny' || m.after < 0 || out.has(m.after)) continue;
    // Only when a single capture point: with two, the vantage facts above are the evidence.
    if ((c.vantage?.points.length ?? 0) >= 2) continue;
    out.set(m.after, `${flagNames(packets[m.after].flags)} denied by the firewall (${m.text})`);
  }
  return [...out].map(([at, note]) => ({ at, note })).sort((a, b) => a.at - b.at);
}
