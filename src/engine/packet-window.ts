/**
 * A bounded window of one connection's packets, for a ladder: at most `limit` packets, kept around the close
 * (from a little before the first FIN or RST). The connection may hold tens of millions of packets (one long
 * transfer in a capture), so the window is chosen from the PacketTable columns and objects are built only for
 * the packets in it: the cost in memory is the window's, never the connection's.
 */
import { CLOSE_LEAD, CLOSE_SPAN, closeStart } from '../model/close-window';
import { connectionPacketRange, type AnalysisSession, type ConnectionPacket } from './analyze-sources';

/**
 * Packets kept before the first FIN/RST when the window has to start inside the connection: more than the close
 * view's CLOSE_LEAD, so "whole connection" shows some of what led up to the close; the close view of the window is
 * then the close view of the whole connection (for any limit of at least LEAD + CLOSE_SPAN).
 */
const LEAD = 5 * CLOSE_LEAD;
/** The smallest limit for which the window holds the whole close view. */
export const MIN_LIMIT = LEAD + CLOSE_SPAN;

export interface PacketWindow {
  /** The packets in the window, oldest first (`index` is the index within the whole connection). */
  packets: ConnectionPacket[];
  /** Packets of the whole connection. */
  total: number;
  /** Index (within the connection) of the window's first packet. */
  from: number;
  /** Per packet of the window: capture points that saw it (PacketTable.seenAt: 0 one point, 1 first, 2 second, 3 both). */
  seen: Uint8Array;
  /** Per packet of the window: its PacketTable row. */
  rows: Uint32Array;
}

/** Index of the window's first packet: the whole connection when it fits, else from LEAD before the first FIN/RST. */
export function windowStart(flags: (k: number) => number, total: number, limit: number): number {
  if (total <= limit) return 0;
  const first = closeStart(flags, total);
  return first < 0 ? total - limit : Math.max(0, Math.min(first - LEAD, total - limit));
}

/** The window of connection `connectionId` (index or its decimal id); empty for an unknown id. */
export function connectionPacketWindow(session: AnalysisSession, connectionId: string | number, limit: number): PacketWindow {
  const i = typeof connectionId === 'number' ? connectionId : Number(connectionId);
  const t = session.connections;
  if (!t.has(i)) return { packets: [], total: 0, from: 0, seen: new Uint8Array(0), rows: new Uint32Array(0) };
  const table = session.table;
  const total = t.rowCount(i);
  const cap = Math.max(0, Math.floor(limit));
  const from = windowStart((k) => table.flags.get(t.row(i, k)), total, cap);
  const end = Math.min(total, from + cap);
  const packets = connectionPacketRange(session, i, from, end);
  const seen = new Uint8Array(Math.max(0, end - from));
  const rows = t.rows(i, from, Math.max(from, end)).slice();
  for (let k = from; k < end; k++) seen[k - from] = table.seenAt.get(rows[k - from]);
  return { packets, total, from, seen, rows };
}
