/**
 * The flow table's columns (model/flow-table.ts FlowColumns) straight from a ConnectionList: packet connections
 * from the store and its side tables, log-only connections from the firewall columns (firewall-records.ts
 * logOnlyFlowRows; a big log has millions). No ConnectionReport is made for a row: each row holds the values its
 * report states.
 */
import type { ConnectionList } from '../analysis/connection-list';
import { anomalyCount, closeOf, packetCounts, reportedUs } from '../analysis/connection-report';
import {
  createFlowColumns, MARK_DENIED, MARK_DROPPED, MARK_FIREWALL, MARK_TWO_POINTS, type FlowColumns,
} from '../model/flow-table';
import { kindCode } from '../model/close-kinds';
import type { PacketTable } from '../model/packet-table';

/**
 * The log-only connections, the list's last entries: how many, and a filler of row `row` from connection k, which
 * pools each distinct string once (the log's names: firewall-records.ts logConnRow), so that a pool holding none of
 * them yet may be filled through createFlowColumns' internNew.
 */
export interface LogOnlyFlowRows {
  length: number;
  fill(c: FlowColumns, intern: (s: string) => number, row: number, k: number): void;
}

/**
 * `logOnly`: the rows of the list's log-only connections (logOnlyFlowRows), null when it has none. `room`: columns
 * whose memory a table with no packets may take (createFlowColumns).
 */
export function flowColumnsOf(list: ConnectionList, logOnly: LogOnlyFlowRows | null, room?: FlowColumns): FlowColumns {
  const n = list.length;
  if ((logOnly?.length ?? 0) !== n - list.packetCount) {
    throw new Error(`flowColumnsOf: ${n - list.packetCount} log-only connections but ${logOnly?.length ?? 0} log-only rows`);
  }
  // A log alone: no row has packets, and the columns only packets fill are one zeroed buffer.
  const { c, intern, internNew } = createFlowColumns(n, list.packetCount === 0, room);
  const t = list.tracked;
  const st = t.store;
  for (let k = 0; k < list.packetCount; k++) {
    const i = list.connIndex(k);
    const client = t.facts(i, 'client');
    const server = t.facts(i, 'server');
    c.clientIp[k] = intern(t.address(i, 'client'));
    c.clientPort[k] = t.port(i, 'client');
    c.serverIp[k] = intern(t.address(i, 'server'));
    c.serverPort[k] = t.port(i, 'server');
    const start = reportedUs(st.firstTimeUs[i]);
    const end = reportedUs(st.lastTimeUs[i]);
    c.startUs[k] = Number.isFinite(start) ? start : 0;
    c.durationUs[k] = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
    const packets = packetCounts(t, i, client, server);
    c.packets[k] = packets.client + packets.server;
    c.bytes[k] = client.payloadBytes + server.payloadBytes;
    const close = closeOf(t, i, client, server);
    c.kind[k] = kindCode(close.kind);
    const ini = close.initiator;
    c.initiator[k] = ini === 'client' ? 1 : ini === 'server' ? 2 : 0;
    c.anomalies[k] = anomalyCount(t, list.table, i);
    c.anomalyBits[k] = st.anomalyBits[i];
    c.tcpFlags[k] = flagsOf(list.table, t.rows(i));
    if (t.tcpStream) c.tcpStream[k] = t.tcpStream[i];
    let marks = 0;
    const fw = t.firewall?.has(i) ? t.firewall.flowFacts(i) : null;
    if (fw) {
      c.reason[k] = fw.reason !== null ? intern(fw.reason) : 0;
      if (fw.reasonCode !== null) c.reasonKind[k] = fw.reasonCode;
      c.message[k] = fw.messageId;
      marks |= MARK_FIREWALL | (fw.denied ? MARK_DENIED : 0);
    }
    const v = t.vantage.get(i)?.facts;
    if (v?.dropped.length) marks |= MARK_DROPPED;
    if (v && v.points.length >= 2) marks |= MARK_TWO_POINTS;
    c.marks[k] = marks;
  }
  // A log alone: no string is pooled but '' when its rows come, and they pool each distinct name once (no Map).
  const pool = list.packetCount === 0 ? (s: string) => (s === '' ? 0 : internNew(s)) : intern;
  for (let k = list.packetCount; k < n; k++) logOnly!.fill(c, pool, k, k - list.packetCount);
  return c;
}

/** The tcpFlags bytes (model/flow-table.ts) of a connection's packets: flags set and clear, per sending side. */
function flagsOf(table: PacketTable, rows: Uint32Array): number {
  const flags = table.flags.chunks;
  const fromClient = table.fromClient.chunks;
  let set = 0; // client byte 0, server byte 1
  let clear = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const f = flags[row >>> 16][row & 0xffff] & 0xff;
    const shift = fromClient[row >>> 16][row & 0xffff] === 1 ? 0 : 8;
    set |= f << shift;
    clear |= (~f & 0xff) << shift;
  }
  return (set | (clear << 16)) >>> 0;
}

