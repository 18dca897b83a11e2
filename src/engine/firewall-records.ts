/**
 * The 106015 denies of a session's firewall log as plain records, one at a time (for `analyze --ndjson`): time,
 * device, where it was logged, the flow, flags, repeat count, its class (model/firewall-triage.ts) and the id of
 * the connection report it joined (null for the no-connection class). Made from the columns as they are written.
 */
import { DENY_CLASSES } from '../model/firewall-triage';
import { isoTime } from '../model/report';
import { flagNames } from '../model/segment';
import { normalIp } from '../analysis/firewall/keys';
import type { AnalysisSession } from './analyze-sources';

export interface DenyRecord {
  record: 'deny';
  time: string | null;
  device: string;
  file: string;
  line: number;
  messageId: string;
  class: string;
  src: { ip: string; port: number };
  dst: { ip: string; port: number };
  flags: string;
  interface: string;
  repeat: number;
  connection: string | null;
}

export function* denyRecords(session: AnalysisSession): Generator<DenyRecord> {
  const fw = session.firewall;
  if (!fw) return;
  const { log, join, correlation } = fw;
  // Report id of each firewall connection row: the packet report it matched, or its log-only id.
  const idOf = new Map<number, string>();
  if (correlation) {
    correlation.syslogConnections.rows.forEach((row, k) => idOf.set(row, `syslog-${k}`));
    correlation.matchedReport.forEach((id, row) => {
      if (id >= 0) idOf.set(row, String(id));
    });
  }
  const d = log.denies;
  const n = log.names;
  for (let j = 0; j < d.count; j++) {
    if (d.messageId[j] !== 106015) continue;
    const t = d.timeUs[j];
    const conn = join.denyConn[j];
    yield {
      record: 'deny',
      time: Number.isFinite(t) ? isoTime(t) : null,
      device: n.at(d.device[j]) ?? '',
      file: log.files[d.input[j]] ?? '',
      line: d.line[j],
      messageId: '106015',
      class: DENY_CLASSES[join.denyClass[j]].name,
      src: { ip: normalIp(n.at(d.srcAddr[j]) ?? ''), port: d.srcPort[j] },
      dst: { ip: normalIp(n.at(d.dstAddr[j]) ?? ''), port: d.dstPort[j] },
      flags: d.flags[j] >= 0 ? flagNames(d.flags[j]) : '',
      interface: n.at(d.iface[j]) ?? '',
      repeat: d.repeat[j],
      connection: conn >= 0 ? (idOf.get(conn) ?? null) : null,
    };
  }
}
