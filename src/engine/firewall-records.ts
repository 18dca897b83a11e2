/**
 * Denies of a session's firewall log as plain records (model/deny-record.ts), one at a time: for `analyze
 * --ndjson`/`--json` and the page's deny table. Made from the columns as they are written: time, device, where it
 * was logged, cause and vendor message id, protocol, the flow, flags, rule, ICMP type, repeat count, the 106015
 * class and the id of the connection report it joined (null when none).
 */
import { DENY_CAUSES } from '../model/deny-causes';
import type { DenyRecord } from '../model/deny-record';
import { DENY_CLASSES } from '../model/firewall-triage';
import { NONE, protoName } from '../model/firewall-store';
import { isoTime } from '../model/report';
import { flagNames } from '../model/segment';
import { normalIp } from '../analysis/firewall/keys';
import type { AnalysisSession } from './analyze-sources';
import { MARK_DENIED, MARK_FIREWALL, MARK_SYSLOG_ONLY } from '../model/flow-table';
import { reportedUs, type LogOnlyFlowRows } from './flow-columns';

export type { DenyRecord };

/** Id of the connection report each firewall connection row became: "0", "syslog-3", ... (null: none). */
export function reportIds(session: AnalysisSession): (row: number) => string | null {
  const { log, correlation } = session.firewall!;
  // Report of each firewall connection row: the packet report id it matched (>= 0), or -(k + 2) for syslog-k.
  const idOf = new Float64Array(log.conns.count).fill(-1);
  if (correlation) {
    correlation.syslogConnections.rows.forEach((row, k) => (idOf[row] = -(k + 2)));
    correlation.matchedReport.forEach((id, row) => {
      if (id >= 0) idOf[row] = id;
    });
  }
  return (row) => {
    const v = idOf[row];
    return v >= 0 ? String(v) : v <= -2 ? `syslog-${-v - 2}` : null;
  };
}

/** A maker of deny j's record for a loaded session; null when it has no firewall log. */
export function denyRecordMaker(session: AnalysisSession): ((j: number) => DenyRecord) | null {
  const fw = session.firewall;
  if (!fw) return null;
  const { log, join } = fw;
  const idText = reportIds(session);
  const d = log.denies;
  const n = log.names;
  const ep = (addr: number, port: number) => (addr === NONE ? null : { ip: normalIp(n.list[addr]), port });
  return (j) => {
    const t = d.timeUs[j];
    const conn = join.denyConn[j];
    const cls = join.denyClass[j];
    return {
      record: 'deny',
      time: Number.isFinite(t) ? isoTime(t) : null,
      device: n.at(d.device[j]) ?? '',
      file: log.files[d.input[j]] ?? '',
      line: d.line[j],
      messageId: String(d.messageId[j]).padStart(6, '0'),
      cause: DENY_CAUSES[d.cause[j]].name,
      protocol: protoName(d.proto[j]),
      class: cls < DENY_CLASSES.length ? DENY_CLASSES[cls].name : null,
      src: ep(d.srcAddr[j], d.srcPort[j]),
      dst: ep(d.dstAddr[j], d.dstPort[j]),
      flags: d.flags[j] >= 0 ? flagNames(d.flags[j]) : '',
      interface: n.at(d.iface[j]) ?? '',
      acl: n.at(d.acl[j]),
      icmp: d.icmpType[j] >= 0 ? { type: d.icmpType[j], code: d.icmpCode[j] } : null,
      repeat: d.repeat[j],
      connection: conn >= 0 ? idText(conn) : null,
    };
  };
}

/**
 * Deny j's record as JSON text, straight from the columns: the same text as JSON.stringify of denyRecordMaker's
 * record (tests/unit/log-only-json.test.ts), without the objects; null when the session has no firewall log.
 */
export function denyJsonMaker(session: AnalysisSession): ((j: number) => string) | null {
  const fw = session.firewall;
  if (!fw) return null;
  const { log, join } = fw;
  const idText = reportIds(session);
  const d = log.denies;
  const n = log.names;
  const q = JSON.stringify;
  // Few-valued texts (devices, interfaces, rules, files, causes, flags) quoted once each.
  const few = new Map<number, string>();
  const name = (id: number, none: string) => {
    if (id === NONE) return none;
    let t = few.get(id);
    if (t === undefined) few.set(id, (t = q(n.list[id])));
    return t;
  };
  const files = log.files.map((f) => q(f));
  const causes = DENY_CAUSES.map((c) => q(c.name));
  const classes = DENY_CLASSES.map((c) => q(c.name));
  const flagTexts = new Map<number, string>();
  const flags = (f: number) => {
    let t = flagTexts.get(f);
    if (t === undefined) flagTexts.set(f, (t = f >= 0 ? q(flagNames(f)) : '""'));
    return t;
  };
  const ep = (addr: number, port: number) => (addr === NONE ? 'null' : `{"ip":${q(n.list[log.normId(addr)])},"port":${port}}`);
  // Protocols and message ids, made once each.
  const protos = new Map<number, string>();
  const proto = (p: number) => {
    let t = protos.get(p);
    if (t === undefined) protos.set(p, (t = q(protoName(p))));
    return t;
  };
  const ids = new Map<number, string>();
  const messageId = (m: number) => {
    let t = ids.get(m);
    if (t === undefined) ids.set(m, (t = `"${String(m).padStart(6, '0')}"`));
    return t;
  };
  return (j) => {
    const t = d.timeUs[j];
    const conn = join.denyConn[j];
    const cls = join.denyClass[j];
    const id = conn >= 0 ? idText(conn) : null;
    return (
      `{"record":"deny","time":${Number.isFinite(t) ? `"${isoTime(t)}"` : 'null'},"device":${name(d.device[j], '""')},` +
      `"file":${files[d.input[j]] ?? '""'},"line":${d.line[j]},"messageId":${messageId(d.messageId[j])},` +
      `"cause":${causes[d.cause[j]]},"protocol":${proto(d.proto[j])},"class":${cls < classes.length ? classes[cls] : 'null'},` +
      `"src":${ep(d.srcAddr[j], d.srcPort[j])},"dst":${ep(d.dstAddr[j], d.dstPort[j])},"flags":${flags(d.flags[j])},` +
      `"interface":${name(d.iface[j], '""')},"acl":${name(d.acl[j], 'null')},` +
      `"icmp":${d.icmpType[j] >= 0 ? `{"type":${d.icmpType[j]},"code":${d.icmpCode[j]}}` : 'null'},"repeat":${d.repeat[j]},` +
      `"connection":${id === null ? 'null' : q(id)}}`
    );
  };
}

/** Every deny of a session's firewall log as JSON text (denyJsonMaker), in log order. */
export function* denyJsonTexts(session: AnalysisSession): Generator<string> {
  const make = denyJsonMaker(session);
  if (!make) return;
  const count = session.firewall!.log.denies.count;
  for (let j = 0; j < count; j++) yield make(j);
}

/**
 * The readable table's cells of log-only connection k (`syslog-k`), straight from the columns: the same text its
 * report would print, without building the report (its firewall facts and explanation are not in the table).
 */
export function logOnlyTableRow(session: AnalysisSession, k: number): string[] | null {
  const fw = session.firewall;
  const rows = fw?.correlation?.syslogConnections.rows;
  if (!fw || !rows || k < 0 || k >= rows.length) return null;
  const i = rows[k];
  const c = fw.log.conns;
  const n = fw.log.names;
  const ep = (addr: number, port: number) => {
    const ip = normalIp(n.at(addr) ?? '');
    return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  };
  const s = c.startUs[i];
  const e = c.endUs[i];
  const ms = Number.isFinite(s) && Number.isFinite(e) ? (Math.floor(e) - Math.floor(s)) / 1000 : NaN;
  return [
    `syslog-${k}`, '-', ep(c.cAddr[i], c.cPort[i]), ep(c.sAddr[i], c.sPort[i]), Number.isFinite(s) ? isoTime(s) : '',
    ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`, '0/0', '0/0', 'none', '-', '-', '-', protoName(c.proto[i]),
  ];
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
  const c = fw.log.conns;
  const names = fw.log.names.list;
  const denyStart = fw.join.connDenyStart;
  // Pool index + 1 per name id (0: not yet): a string lookup per distinct name, not per row.
  let pooled = new Uint32Array(0);
  let pooledFor: unknown = null;
  const pool = (intern: (s: string) => number, id: number): number => {
    if (pooledFor !== intern) [pooled, pooledFor] = [new Uint32Array(names.length), intern];
    if (id >= pooled.length) return intern(names[id] ?? '');
    return pooled[id] ? pooled[id] - 1 : (pooled[id] = intern(names[id]) + 1) - 1;
  };
  return {
    length: rows.length,
    fill(f, intern, row, k) {
      const i = rows[k];
      // Reports write addresses normalised (normId) and times as whole microseconds.
      f.clientIp[row] = pool(intern, fw.log.normId(c.cAddr[i]));
      f.clientPort[row] = c.cPort[i];
      f.serverIp[row] = pool(intern, fw.log.normId(c.sAddr[i]));
      f.serverPort[row] = c.sPort[i];
      const start = reportedUs(c.startUs[i]);
      const end = reportedUs(c.endUs[i]);
      f.startUs[row] = Number.isFinite(start) ? start : 0;
      f.durationUs[row] = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
      f.kind[row] = 255; // no close facts
      f.reason[row] = c.seen[i] & 2 && c.tdReason[i] !== NONE ? pool(intern, c.tdReason[i]) : 0;
      f.marks[row] = MARK_FIREWALL | MARK_SYSLOG_ONLY | (denyStart[i + 1] > denyStart[i] ? MARK_DENIED : 0);
      f.proto[row] = c.proto[i];
      f.message[row] = c.builtMsg[i] || c.tdMsg[i];
      // packets, bytes, initiator, anomalies 0 and tcpStream -1, as createFlowColumns left them.
    },
  };
}
