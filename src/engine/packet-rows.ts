/**
 * A connection's packets as the ladder and the packet list show them (relative seq/ack, the window scaled as
 * Wireshark does, the anomalies of the table and of the close), for any range of the connection: the packet list
 * asks for the rows in view only, so a connection of millions of packets costs the objects of one screen. The
 * bytes of one packet are read again from its input on demand, as packet details are (engine/packet-detail.ts).
 */
import type { ByteSource } from '../lib/byte-source';
import type { ConnectionReport } from '../model/report';
import type { LadderPacket } from '../model/ladder-packet';
import { SYN } from '../model/segment';
import { connectionPacketRange, type AnalysisSession, type ConnectionPacket } from './analyze-sources';
import { rereadFrame } from './reread-frame';
import { pointViews } from './vantage-points';

/** At most this many packets per request (a screen of rows is a few dozen). */
export const MAX_PAGE = 2000;

/** Per session, per connection: the index of each side's first SYN (client, server), -1 when it sent none. */
const firstSyns = new WeakMap<AnalysisSession, Map<number, [number, number]>>();

function firstSynOf(s: AnalysisSession, i: number): [number, number] {
  let bySession = firstSyns.get(s);
  if (!bySession) firstSyns.set(s, (bySession = new Map()));
  const known = bySession.get(i);
  if (known) return known;
  const t = s.connections;
  const found: [number, number] = [-1, -1];
  // Stops at the second side's SYN: the handshake opens nearly every connection that has one.
  for (let k = 0, n = t.rowCount(i); k < n && (found[0] < 0 || found[1] < 0); k++) {
    const row = t.row(i, k);
    if (!(s.table.flags.get(row) & SYN)) continue;
    const side = s.table.fromClient.get(row) === 1 ? 0 : 1;
    if (found[side] < 0) found[side] = k;
  }
  bySession.set(i, found);
  return found;
}

/**
 * `packets` (a range of connection `conn`, from analyze-sources.ts) as LadderPackets: the close's anomalies merged
 * into each packet's, and the window shift in effect (absent while unknown).
 */
export function toLadderPackets(s: AnalysisSession, conn: ConnectionReport, packets: readonly ConnectionPacket[]): LadderPacket[] {
  const byPacket = new Map<number, string[]>();
  for (const a of conn.close?.anomalies ?? []) byPacket.set(a.packet, [...(byPacket.get(a.packet) ?? []), a.kind]);
  // The shift of each side's windows (client, server), when the handshake was captured (analysis/window-scale.ts).
  const i = Number(conn.id);
  const t = s.connections;
  const shift = t.has(i) ? [t.windowShift(i, 'client'), t.windowShift(i, 'server')] : [-1, -1];
  const syn = t.has(i) ? firstSynOf(s, i) : [-1, -1];
  return packets.map((p) => {
    const extra = byPacket.get(p.index)?.filter((k) => !p.anomalies.includes(k)) ?? [];
    return {
      index: p.index, timeUs: p.timeUs, fromClient: p.fromClient, flags: p.flags,
      relSeq: p.relSeq, relAck: p.relAck, payloadLength: p.payloadLength, window: p.window,
      anomalies: extra.length ? [...p.anomalies, ...extra] : p.anomalies,
      frame: p.frame, file: p.file,
      ...windowOf(p, shift, syn),
    };
  });
}

/**
 * `packets` with what the ladder of a connection seen at two capture points needs: which points saw each, and how
 * (time on each point's clock, raw seq/ack). `rows` are their PacketTable rows.
 */
export function ladderPackets(s: AnalysisSession, conn: ConnectionReport, packets: readonly ConnectionPacket[], rows: ArrayLike<number>): LadderPacket[] {
  const points = pointViews(s.table, rows, conn.vantage);
  return toLadderPackets(s, conn, packets).map((p, k) => {
    const seenAt = s.table.seenAt.get(rows[k]);
    const pts = points[k];
    return seenAt || pts ? { ...p, ...(seenAt ? { seenAt } : {}), ...(pts ? { points: pts } : {}) } : p;
  });
}

/**
 * A packet's window shift (LadderPacket.windowShift): 0 for a SYN (its window is never scaled); as Wireshark does,
 * a side's shift once that side's SYN went by; a SYN without the option turned scaling off for both (shift 0),
 * seen or not from this side.
 */
function windowOf(p: { index: number; flags: number; fromClient: boolean }, shift: number[], firstSyn: number[]): { windowShift?: number } {
  if (p.flags & SYN) return { windowShift: 0 };
  const side = p.fromClient ? 0 : 1;
  const synSeen = firstSyn[side] >= 0 && firstSyn[side] < p.index;
  return shift[side] >= 0 && (synSeen || (shift[side] === 0 && shift[side ^ 1] === 0)) ? { windowShift: shift[side] } : {};
}

export interface PacketPageRequest {
  /** Flow-table row of the connection. */
  row: number;
  /** First packet (index within the connection) and how many (at most MAX_PAGE). */
  from: number;
  count: number;
  /**
   * Times (µs) to place in the connection: for each, the index of the last packet captured at or before it (-1:
   * before the first). The packet list puts firewall events that match no packet there.
   */
  times?: number[];
}

export interface PacketPage {
  /** Packets of the whole connection. */
  total: number;
  from: number;
  packets: LadderPacket[];
  /** Answers to `times`, in its order. */
  before: number[];
}

/** Packets [from, from + count) of flow-table entry `row`'s connection; null for a log-only or unknown row. */
export function packetPage(s: AnalysisSession, conn: ConnectionReport, req: PacketPageRequest): PacketPage | null {
  const list = s.reports;
  if (!Number.isInteger(req.row) || req.row < 0 || req.row >= list.packetCount) return null;
  const i = list.connIndex(req.row);
  const t = s.connections;
  if (!t.has(i)) return null;
  const total = t.rowCount(i);
  const from = Math.max(0, Math.min(total, Math.floor(req.from) || 0));
  const end = Math.min(total, from + Math.max(0, Math.min(MAX_PAGE, Math.floor(req.count) || 0)));
  const packets = ladderPackets(s, conn, connectionPacketRange(s, i, from, end), t.rows(i, from, end));
  const before = (req.times ?? []).slice(0, 1000).map((us) => lastAtOrBefore(s, i, total, us));
  return { total, from, packets, before };
}

/** Index of the last packet of connection i captured at or before `us` (binary search; capture order). */
function lastAtOrBefore(s: AnalysisSession, i: number, total: number, us: number): number {
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.table.timeUs.get(s.connections.row(i, mid)) <= us) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export interface PacketBytes {
  file: string;
  /** Frame number in its input (1-based, as Wireshark's No.). */
  frame: number;
  linkType: number;
  /** The frame as captured (link-layer header first, without an FCS). */
  bytes: Uint8Array;
  /** Its length on the wire (more than bytes.length when the capture cut it). */
  originalLength: number;
}

/** The bytes of packet `packetIndex` of flow-table entry `entry`, read again from its input; null for text inputs. */
export async function readPacketBytes(s: AnalysisSession, sources: readonly ByteSource[], entry: number, packetIndex: number): Promise<PacketBytes | null> {
  const r = await rereadFrame(s, sources, entry, packetIndex);
  if (!r) return null;
  return { file: r.file, frame: s.table.frame.get(r.row), linkType: r.frame.linkType, bytes: r.frame.data, originalLength: r.frame.originalLength };
}
