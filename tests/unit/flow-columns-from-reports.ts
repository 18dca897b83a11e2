/**
 * Flow-table columns filled from connection reports, for tests that need a table of made-up connections (queries,
 * sorting, the clean-close search). The product never does this: the worker fills the columns from the store and
 * the firewall columns (src/engine/flow-columns.ts), with the values each connection's report states.
 */
import { parseIsoUs, type ConnectionReport } from '../../src/model/report';
import { kindCode } from '../../src/model/close-kinds';
import { PROTO_TCP, protoCode } from '../../src/model/firewall-store';
import {
  createFlowColumns, MARK_DENIED, MARK_DROPPED, MARK_FIREWALL, MARK_SYSLOG_ONLY, MARK_TWO_POINTS, type FlowColumns,
} from '../../src/model/flow-table';

/** Fills row i of the columns from a connection report. */
function setRowFromReport(c: FlowColumns, intern: (s: string) => number, i: number, r: ConnectionReport): void {
  c.clientIp[i] = intern(r.client.ip);
  c.clientPort[i] = r.client.port;
  c.serverIp[i] = intern(r.server.ip);
  c.serverPort[i] = r.server.port;
  const start = parseIsoUs(r.start).us;
  const end = parseIsoUs(r.end).us;
  c.startUs[i] = Number.isFinite(start) ? start : 0;
  c.durationUs[i] = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
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
  c.tcpStream[i] = r.tcpStream ?? -1;
  c.proto[i] = r.protocol ? protoCode(r.protocol) : PROTO_TCP;
  c.message[i] = Number(r.firewall?.messageIds?.[0] ?? 0) || 0;
}

export function buildFlowColumns(conns: readonly ConnectionReport[]): FlowColumns {
  const n = conns.length;
  const { c, intern } = createFlowColumns(n);
  for (let i = 0; i < n; i++) setRowFromReport(c, intern, i, conns[i]);
  return c;
}
