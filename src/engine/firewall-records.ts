/**
 * Denies of a session's firewall log as plain records (model/deny-record.ts), one at a time: for `analyze
 * --ndjson`/`--json` and the page's deny table. Made from the columns as they are written: time, device, where it
 * was logged, cause and vendor message id, protocol, the flow, flags, rule, ICMP type, repeat count, the 106015
 * class and the id of the connection report it joined (null when none).
 */
import { DENY_CAUSES } from '../model/deny-causes';
import type { DenyRecord } from '../model/deny-record';
import { DENY_CLASSES } from '../model/firewall-triage';
import { NONE, protoName, shareable } from '../model/firewall-store';
import { isoTime } from '../model/report';
import { IsoBytes } from '../model/iso-bytes';
import { flagNames } from '../model/segment';
import type { AnalysisSession } from './analyze-sources';
import { MARK_DENIED, MARK_FIREWALL, MARK_SYSLOG_ONLY, type FlowColumns } from '../model/flow-table';
import type { FirewallLog } from '../analysis/firewall/log';
import type { FirewallJoin } from '../analysis/firewall/join';
import type { LogOnlyFlowRows } from './flow-columns';
import { reportedUs } from '../analysis/connection-report';
import { memberObject, type Member } from '../lib/members';
import { memberCode } from '../lib/member-code';
import { utf8, type JsonBytes } from '../lib/json-bytes';
import { logOnlyId, logOnlyIdBytes } from '../analysis/firewall/log-only';
import { ipv4Bytes } from '../analysis/firewall/facts';
import { connectionId } from '../analysis/connection-report';

export type { DenyRecord };

/** Id of the connection report each firewall connection row became: "0", "syslog-3", ... (null: none). */
export function reportIds(session: AnalysisSession): (row: number) => string | null {
  return reportIdText(reportIdTable(session));
}

/** Report of each firewall connection row: the packet report id it matched (>= 0), -(k + 2) for syslog-k, -1 none. */
export function reportIdTable(session: AnalysisSession): Float64Array {
  const { log, correlation } = session.firewall!;
  const idOf = shareable(Float64Array, log.conns.count).fill(-1);
  if (correlation) {
    // Plain loops: a typed array's forEach calls its callback per row (~20 ms for u5m's 934,094 rows, helper A).
    const { rows } = correlation.syslogConnections;
    for (let k = 0; k < rows.length; k++) idOf[rows[k]] = -(k + 2);
    const matched = correlation.matchedReport;
    for (let row = 0; row < matched.length; row++) if (matched[row] >= 0) idOf[row] = matched[row];
  }
  return idOf;
}

/** The report id of a row by reportIdTable. */
function reportIdText(idOf: Float64Array): (row: number) => string | null {
  return (row) => {
    const v = idOf[row];
    return v >= 0 ? connectionId(v) : v <= -2 ? logOnlyId(-v - 2) : null;
  };
}

/** The members of deny j's record, read from the columns (lib/members.ts): the one definition of its fields. */
function denyMembers(log: FirewallLog, join: FirewallJoin, idOf: Float64Array): Member<DenyRecord>[] {
  const idText = reportIdText(idOf);
  const d = log.denies;
  const n = log.names;
  const time = new IsoBytes();
  const endpoint = (src: boolean): Member[] => [
    { name: 'ip', read: (j) => n.list[log.normId(src ? d.srcAddr[j] : d.dstAddr[j])], bytes: (w, j) => ipv4Bytes(w, n, src ? d.srcAddr[j] : d.dstAddr[j]) },
    { name: 'port', read: (j) => (src ? d.srcPort[j] : d.dstPort[j]) },
  ];
  return [
    { name: 'record', read: () => 'deny', fixed: true },
    { name: 'time', read: (j) => (Number.isFinite(d.timeUs[j]) ? isoTime(d.timeUs[j]) : null), bytes: (w, j) => time.write(w, d.timeUs[j]) },
    { name: 'device', read: (j) => n.at(d.device[j]) ?? '', id: (j) => d.device[j] },
    { name: 'file', read: (j) => log.files[d.input[j]] ?? '', id: (j) => d.input[j] },
    { name: 'line', read: (j) => d.line[j] },
    { name: 'messageId', read: (j) => n.list[d.messageId[j]], id: (j) => d.messageId[j] },
    { name: 'cause', read: (j) => DENY_CAUSES[d.cause[j]].name, id: (j) => d.cause[j] },
    { name: 'protocol', read: (j) => protoName(d.proto[j]), id: (j) => d.proto[j] },
    { name: 'class', read: (j) => (join.denyClass[j] < DENY_CLASSES.length ? DENY_CLASSES[join.denyClass[j]].name : null), id: (j) => join.denyClass[j] },
    { name: 'src', present: (j) => d.srcAddr[j] !== NONE, members: endpoint(true) },
    { name: 'dst', present: (j) => d.dstAddr[j] !== NONE, members: endpoint(false) },
    { name: 'flags', read: (j) => (d.flags[j] >= 0 ? flagNames(d.flags[j]) : ''), id: (j) => d.flags[j] },
    { name: 'interface', read: (j) => n.at(d.iface[j]) ?? '', id: (j) => d.iface[j] },
    { name: 'acl', read: (j) => n.at(d.acl[j]), id: (j) => d.acl[j] },
    { name: 'icmp', present: (j) => d.icmpType[j] >= 0, members: [{ name: 'type', read: (j) => d.icmpType[j] }, { name: 'code', read: (j) => d.icmpCode[j] }] },
    { name: 'repeat', read: (j) => d.repeat[j] },
    {
      name: 'connection',
      read: (j) => (join.denyConn[j] >= 0 ? idText(join.denyConn[j]) : null),
      // A log-only connection's id from its number (no text made per deny).
      bytes: (w, j) => join.denyConn[j] >= 0 && idOf[join.denyConn[j]] <= -2 && logOnlyIdBytes(w, -idOf[join.denyConn[j]] - 2),
    },
  ];
}

/** A maker of deny j's record for a loaded session; null when it has no firewall log. */
export function denyRecordMaker(session: AnalysisSession): ((j: number) => DenyRecord) | null {
  if (!session.firewall) return null;
  const members = denyMembers(session.firewall.log, session.firewall.join, reportIdTable(session));
  return (j) => memberObject(members, j);
}

/** A firewall log's denies as JSON, for `analyze --json`/`--ndjson`: `count` of them, deny j written by `write`. */
export type DenyJson = { count: number; write(w: JsonBytes, j: number): void };

const OPEN = utf8('{');

/**
 * Every deny's record written as JSON bytes from the same members, without making the records (what JSON.stringify
 * gives for each), from a log, its join and its reportIdTable: what `analyze` has, and what the writer thread rebuilds
 * (cli/write-thread.ts).
 */
export function denyJsonOf(log: FirewallLog, join: FirewallJoin, reportIdOf: Float64Array): DenyJson {
  const write = memberCode(denyMembers(log, join, reportIdOf));
  return { count: log.denies.count, write: (w, j) => write(w, j, OPEN) };
}

/**
 * The flow table's rows of the log-only connections, straight from the firewall columns (the only way they are
 * made): the values each one's report states (endpoints, times, teardown reason, marks; no packets, no close),
 * without building a report per row. Null when the session has no log-only connections.
 */
export function logOnlyFlowRows(session: AnalysisSession): LogOnlyFlowRows | null {
  const fw = session.firewall;
  const rows = fw?.correlation?.syslogConnections.rows;
  if (!fw || !rows || rows.length === 0) return null;
  const denyStart = fw.join.connDenyStart;
  const fill = logConnRow(fw.log, (i) => denyStart[i + 1] > denyStart[i], (raw) => fw.log.normId(raw));
  return { length: rows.length, fill: (f, intern, row, k) => fill(f, intern, row, rows[k]) };
}

/**
 * A filler of flow-table row `row` from the log's connection i, as its log-only report states it. `denied(i)`: a
 * deny joined it; `norm`: the names id of an address id normalised (FirewallLog.normId, or one that never interns
 * while the log is still being read: engine/live-rows.ts). `few`: each pool (`intern`) fills a few rows (a window
 * of the table), not the whole table.
 */
export function logConnRow(
  log: FirewallLog, denied: (i: number) => boolean, norm: (rawId: number) => number, few = false,
): (f: FlowColumns, intern: (s: string) => number, row: number, i: number) => void {
  const c = log.conns;
  const names = log.names.list;
  // Pool index + 1 per name id (0: not yet): a string lookup per distinct name, not per row; for a window of rows a
  // map (an array per name would be megabytes per window on a big log).
  let pooled = new Uint32Array(0);
  let pooledMap = new Map<number, number>();
  let pooledFor: unknown = null;
  const pool = (intern: (s: string) => number, id: number): number => {
    if (pooledFor !== intern) {
      pooledFor = intern;
      if (few) pooledMap = new Map();
      else pooled = new Uint32Array(names.length);
    }
    if (few) {
      let v = pooledMap.get(id);
      if (v === undefined) pooledMap.set(id, (v = intern(names[id] ?? '')));
      return v;
    }
    if (id >= pooled.length) {
      // Names read since (a log's table while it is still read: engine/live-query.ts).
      if (id >= names.length) return intern(names[id] ?? '');
      const more = new Uint32Array(Math.max(names.length, pooled.length * 2));
      more.set(pooled);
      pooled = more;
    }
    return pooled[id] ? pooled[id] - 1 : (pooled[id] = intern(names[id]) + 1) - 1;
  };
  return (f, intern, row, i) => {
    // Reports write addresses normalised (normId) and times as whole microseconds.
    f.clientIp[row] = pool(intern, norm(c.cAddr[i]));
    f.clientPort[row] = c.cPort[i];
    f.serverIp[row] = pool(intern, norm(c.sAddr[i]));
    f.serverPort[row] = c.sPort[i];
    const start = reportedUs(c.startUs[i]);
    const end = reportedUs(c.endUs[i]);
    f.startUs[row] = Number.isFinite(start) ? start : 0;
    f.durationUs[row] = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
    f.kind[row] = 255; // no close facts
    f.reason[row] = c.seen[i] & 2 && c.tdReason[i] !== NONE ? pool(intern, c.tdReason[i]) : 0;
    if (c.seen[i] & 2) f.reasonKind[row] = c.tdReasonCode[i];
    f.marks[row] = MARK_FIREWALL | MARK_SYSLOG_ONLY | (denied(i) ? MARK_DENIED : 0);
    f.proto[row] = c.proto[i];
    f.message[row] = log.messageNumber(c.seen[i] & 1 ? c.builtMsg[i] : c.tdMsg[i]);
    // packets, bytes, initiator, anomalies 0 and tcpStream -1, as createFlowColumns left them.
  };
}
