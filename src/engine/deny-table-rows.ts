/**
 * The readable table's cells of a session's denies, drops and ICMP errors (`analyze` without --json), straight from
 * the firewall columns: the same cells cli/output.ts denyRow makes of each deny's record (engine/firewall-records.ts
 * denyRecordMaker), without a record, its two endpoint objects and its texts per deny (a 5 M-line log has a
 * million denies). tests/unit/deny-table-rows.test.ts holds the cells equal to denyRow's.
 */
import { DENY_CAUSES } from '../model/deny-causes';
import { NONE, protoName } from '../model/firewall-store';
import { isoTime } from '../model/report';
import { flagNames } from '../model/segment';
import type { AnalysisSession } from './analyze-sources';
import { reportIds } from './firewall-records';

/** Every deny's table cells in log order; nothing when the session has no firewall log. */
export function* denyTableRows(session: AnalysisSession): Generator<string[]> {
  const fw = session.firewall;
  if (!fw) return;
  const { log, join } = fw;
  const idText = reportIds(session);
  const d = log.denies;
  const names = log.names;
  // Texts of few values (message ids, flags), made once each.
  const ids = new Map<number, string>();
  const flagTexts = new Map<number, string>();
  const text = (id: number) => (id === NONE ? '' : names.list[id]);
  const ep = (addr: number, port: number) => {
    if (addr === NONE) return '-';
    const ip = names.list[log.normId(addr)];
    return port < 0 ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  };
  for (let j = 0; j < d.count; j++) {
    const t = d.timeUs[j];
    const m = d.messageId[j];
    let id = ids.get(m);
    if (id === undefined) ids.set(m, (id = String(m).padStart(6, '0')));
    const f = d.flags[j];
    let flags = f >= 0 ? flagTexts.get(f) : '';
    if (flags === undefined) flagTexts.set(f, (flags = flagNames(f)));
    const type = d.icmpType[j];
    const code = d.icmpCode[j];
    const conn = join.denyConn[j];
    yield [
      Number.isFinite(t) ? isoTime(t) : '-', text(d.device[j]) || '-', id, DENY_CAUSES[d.cause[j]].name, protoName(d.proto[j]),
      ep(d.srcAddr[j], d.srcPort[j]), ep(d.dstAddr[j], d.dstPort[j]),
      flags || (type >= 0 ? `type ${type}${code >= 0 ? ` code ${code}` : ''}` : '-'), text(d.iface[j]) || '-',
      d.acl[j] === NONE ? '-' : names.list[d.acl[j]], String(d.repeat[j]), (conn >= 0 ? idText(conn) : null) ?? '-',
      `${log.files[d.input[j]] ?? ''}:${d.line[j]}`,
    ];
  }
}
