/**
 * The flow table's columns (model/flow-table.ts FlowColumns) straight from a ConnectionList: packet connections
 * are read from the store (no ConnectionReport per row), log-only connections from the firewall columns when
 * `logOnly` is given (firewall-records.ts; a big log has millions), kept reports (firewall, vantage) as
 * buildFlowColumns reads them. Same values and string-pool order as buildFlowColumns(list.toArray()).
 */
import type { ConnectionReport } from '../model/report';
import type { ConnectionList } from '../analysis/connection-list';
import { anomalyCount, closeInitiator } from '../analysis/connection-report';
import { closeKind } from '../analysis/close';
import {
  createFlowColumns, setRowFromReport, type FlowColumns,
} from '../model/flow-table';
import { kindCode } from '../model/close-kinds';

/** The log-only connections, the list's last entries: how many, and a filler of row `row` from connection k. */
export interface LogOnlyFlowRows {
  length: number;
  fill(c: FlowColumns, intern: (s: string) => number, row: number, k: number): void;
}

export function flowColumnsOf(list: ConnectionList, logOnly?: LogOnlyFlowRows | null): FlowColumns {
  const n = list.length;
  const { c, intern } = createFlowColumns(n);
  const logFrom = logOnly ? n - logOnly.length : n;
  const setTimes = (i: number, firstUs: number, lastUs: number) => {
    const start = reportedUs(firstUs);
    const end = reportedUs(lastUs);
    c.startUs[i] = Number.isFinite(start) ? start : 0;
    c.durationUs[i] = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
  };
  const fromReport = (i: number, r: ConnectionReport) => setRowFromReport(c, intern, i, r);
  const t = list.tracked;
  const st = t.store;
  for (let k = 0; k < n; k++) {
    if (k >= logFrom) {
      logOnly!.fill(c, intern, k, k - logFrom);
      continue;
    }
    const kept = list.keptAt(k);
    if (kept) {
      fromReport(k, kept);
      continue;
    }
    const i = list.connIndex(k);
    const client = t.facts(i, 'client');
    const server = t.facts(i, 'server');
    c.clientIp[k] = intern(t.address(i, 'client'));
    c.clientPort[k] = t.port(i, 'client');
    c.serverIp[k] = intern(t.address(i, 'server'));
    c.serverPort[k] = t.port(i, 'server');
    setTimes(k, st.firstTimeUs[i], st.lastTimeUs[i]);
    c.packets[k] = client.packets + server.packets;
    c.bytes[k] = client.payloadBytes + server.payloadBytes;
    c.kind[k] = kindCode(closeKind(client, server));
    const ini = closeInitiator(client, server);
    c.initiator[k] = ini === 'client' ? 1 : ini === 'server' ? 2 : 0;
    c.anomalies[k] = anomalyCount(t, list.table, i);
    if (t.tcpStream) c.tcpStream[k] = t.tcpStream[i];
    // reason 0 and marks 0: no firewall, vantage or log-only facts (those reports are kept).
  }
  return c;
}

/**
 * A capture time as a report states it: what parseIsoUs(safeIsoTime(us)) gives (whole microseconds, rounded down;
 * NaN where the report prints "invalid time"), without making and parsing the text per row.
 */
export function reportedUs(us: number): number {
  if (!Number.isFinite(us) || Math.abs(us) >= 8.64e18) return NaN;
  return Math.floor(us); // isoTime prints the whole microseconds
}

