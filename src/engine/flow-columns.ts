/**
 * The flow table's columns (render/flow-table.ts FlowColumns) straight from a ConnectionList: packet connections
 * are read from the store (no ConnectionReport per row), kept reports (firewall, vantage, log-only) as
 * buildFlowColumns reads them. Same values and string-pool order as buildFlowColumns(list.toArray()).
 */
import type { ConnectionReport } from '../model/report';
import type { ConnectionList } from '../analysis/connection-list';
import { anomalyCount, closeInitiator, safeIsoTime } from '../analysis/connection-report';
import { closeKind } from '../analysis/close';
import {
  createFlowColumns, MARK_DENIED, MARK_DROPPED, MARK_FIREWALL, MARK_SYSLOG_ONLY, MARK_TWO_POINTS, type FlowColumns,
} from '../render/flow-table';
import { kindCode } from '../render/close-kinds';
import { parseIsoUs } from '../render/format';

export function flowColumnsOf(list: ConnectionList): FlowColumns {
  const n = list.length;
  const { c, intern } = createFlowColumns(n);
  const setTimes = (i: number, startText: string, endText: string) => {
    const start = parseIsoUs(startText).us;
    const end = parseIsoUs(endText).us;
    c.startUs[i] = Number.isFinite(start) ? start : 0;
    c.durationUs[i] = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
  };
  const fromReport = (i: number, r: ConnectionReport) => {
    c.clientIp[i] = intern(r.client.ip);
    c.clientPort[i] = r.client.port;
    c.serverIp[i] = intern(r.server.ip);
    c.serverPort[i] = r.server.port;
    setTimes(i, r.start, r.end);
    c.packets[i] = r.packets.client + r.packets.server;
    c.bytes[i] = r.payloadBytes.client + r.payloadBytes.server;
    c.kind[i] = kindCode(r.close?.kind);
    const ini = r.close?.initiator;
    c.initiator[i] = ini === 'client' ? 1 : ini === 'server' ? 2 : 0;
    c.anomalies[i] = r.close?.anomalies.length ?? 0;
    c.reason[i] = r.firewall?.teardown ? intern(r.firewall.teardown.reason) : 0;
    let m = 0;
    if (r.firewall) m |= MARK_FIREWALL;
    if (r.firewall?.denies.length) m |= MARK_DENIED;
    if (r.vantage?.dropped.length) m |= MARK_DROPPED;
    if ((r.vantage?.points.length ?? 0) >= 2) m |= MARK_TWO_POINTS;
    if (r.source === 'syslog') m |= MARK_SYSLOG_ONLY;
    c.marks[i] = m;
  };
  const t = list.tracked;
  const st = t.store;
  for (let k = 0; k < n; k++) {
    const kept = list.keptAt(k);
    if (kept) {
      fromReport(k, kept);
      continue;
    }
    const i = list.connIndex(k);
    const cs = t.clientSide[i];
    const client = st.loadSide(i, cs);
    const server = st.loadSide(i, cs ^ 1);
    c.clientIp[k] = intern(t.keys.addressText(i, cs));
    c.clientPort[k] = t.keys.port(i, cs);
    c.serverIp[k] = intern(t.keys.addressText(i, cs ^ 1));
    c.serverPort[k] = t.keys.port(i, cs ^ 1);
    // Through the report's text, so rounding is the same as for a report.
    setTimes(k, safeIsoTime(st.firstTimeUs[i]), safeIsoTime(st.lastTimeUs[i]));
    c.packets[k] = client.packets + server.packets;
    c.bytes[k] = client.payloadBytes + server.payloadBytes;
    c.kind[k] = kindCode(closeKind(client, server));
    const ini = closeInitiator(client, server);
    c.initiator[k] = ini === 'client' ? 1 : ini === 'server' ? 2 : 0;
    c.anomalies[k] = anomalyCount(t, list.table, i);
    // reason 0 and marks 0: no firewall, vantage or log-only facts (those reports are kept).
  }
  return c;
}
