/**
 * Firewall events of one connection (built, teardown, denies) as marks for the firewall lane,
 * and which packets the firewall dropped (two capture points, or a matching deny).
 *
 * Syslog stamps have one-second resolution while packets have microseconds. An event stamped
 * 12:00:50 happened somewhere in [12:00:50, 12:00:51), so it is placed after the packet that
 * caused it within that second when there is one (teardown: the last FIN, or the first RST for
 * reset reasons; deny: the matching packet), else at the stamp. The tooltip says so.
 */
import type { ConnectionReport, FirewallDeny } from '../model/report';
import { FIN, RST, SYN, ACK, flagNames } from '../model/segment';
import type { LadderPacket } from './ladder-types';
import { formatClock } from './format';
import { parseIsoUs } from '../model/report';
import { isolateName } from '../lib/bidi';

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

/** Does the deny come from the connection's client (true), server (false) or unknown (null)? */
function denyFromClient(c: ConnectionReport, d: FirewallDeny): boolean | null {
  const m = c.firewall?.mapped;
  if (sameEndpoint(d.src, c.client) || sameEndpoint(d.src, m?.client)) return true;
  if (sameEndpoint(d.src, c.server) || sameEndpoint(d.src, m?.server)) return false;
  return null;
}

function window(stamp: { us: number; wholeSecond: boolean }): [number, number] {
  return [stamp.us, stamp.us + (stamp.wholeSecond ? 1e6 : 1)];
}

export function firewallMarks(c: ConnectionReport, packets: readonly LadderPacket[]): FirewallMark[] {
  const fw = c.firewall;
  if (!fw) return [];
  const marks: FirewallMark[] = [];
  const inWindow = (w: [number, number], pred: (p: LadderPacket) => boolean, last: boolean) => {
    let found = -1;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      if (p.timeUs >= w[0] && p.timeUs < w[1] && pred(p)) {
        found = i;
        if (!last) break;
      }
    }
    return found;
  };
  const place = (kind: EventKind, stampText: string, text: string, detail: string, after: (w: [number, number]) => number, deny?: FirewallDeny) => {
    const stamp = parseIsoUs(stampText);
    if (!Number.isFinite(stamp.us)) return;
    const i = after(window(stamp));
    const timeUs = i >= 0 ? packets[i].timeUs : stamp.us;
    const when = `logged ${formatClock(stamp.us, stamp.wholeSecond ? 0 : 6)}${stamp.wholeSecond ? ' (syslog: one-second resolution)' : ''}`;
    marks.push({ kind, timeUs, stampUs: stamp.us, wholeSecond: stamp.wholeSecond, text, detail: `${detail}; ${when}`, after: i, ...(deny ? { deny } : {}) });
  };
  // Names from the log (device, interfaces, reasons, object names) are isolated: the event texts are drawn in SVG.
  const n = isolateName;
  const dev = n(fw.device || 'firewall');
  if (fw.built) {
    place('built', fw.built, 'Built', `${dev} built connection${fw.connId ? ` ${fw.connId}` : ''}`, (w) =>
      inWindow(w, (p) => (p.flags & SYN) !== 0, false));
  }
  if (fw.teardown) {
    const reason = n(fw.teardown.reason);
    const from = fw.teardown.from ? n(fw.teardown.from) : null;
    const resetReason = /reset|rst/i.test(reason);
    place('teardown', fw.teardown.time, `Teardown · ${reason}${from ? ` from ${from}` : ''}`,
      `${dev} tore down the connection: ${reason}${from ? ` from ${from}` : ''}${fw.duration ? `, duration ${fw.duration}` : ''}${fw.bytes != null ? `, ${fw.bytes} bytes` : ''}`,
      (w) => resetReason ? inWindow(w, (p) => (p.flags & RST) !== 0, false) : inWindow(w, (p) => (p.flags & FIN) !== 0, true));
  }
  for (const d of fw.denies) {
    const bits = denyFlags(d.flags);
    const fromClient = denyFromClient(c, d);
    const noConn = d.messageId === '106015' ? ' (no connection)' : '';
    place('deny', d.time, `${n(d.messageId)} Deny ${n(d.flags.trim())}${noConn}`,
      `${dev} denied ${n(d.flags.trim())} from ${n(d.src.ip)}/${d.src.port} to ${n(d.dst.ip)}/${d.dst.port} on ${n(d.interface)}${noConn}`,
      (w) => inWindow(w, (p) => (fromClient === null || p.fromClient === fromClient) && (bits === 0 || (p.flags & bits) === bits), false), d);
  }
  marks.sort((a, b) => a.timeUs - b.timeUs || a.after - b.after);
  return marks;
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
