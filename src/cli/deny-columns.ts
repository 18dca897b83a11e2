/**
 * The readable table of a firewall log's denies, drops and ICMP errors (`analyze` without --json), declared once:
 * each column's head and its cell of deny j, read from the firewall columns, written by cli/table-blocks.ts as bytes
 * (or as strings for a row with names that are not ASCII). No record, endpoint object or cell string is made per
 * deny (a 5 M-line log has millions). Adding a column is one entry.
 */
import { DENY_CAUSES } from '../model/deny-causes';
import { NONE, protoName } from '../model/firewall-store';
import { flagNames } from '../model/segment';
import type { FirewallLog } from '../analysis/firewall/log';
import type { FirewallJoin } from '../analysis/firewall/join';
import type { AnalysisSession } from '../engine/analyze-sources';
import { reportIds } from '../engine/firewall-records';
import type { Cells, TableRows } from './table-blocks';
import { addressCells, type AddressCells, AsciiCache } from './cell-text';

/** What the columns read: the log, its joins, and texts of few values made once each (flags, names as bytes). */
class Denies {
  readonly d: FirewallLog['denies'];
  readonly flagTexts = new Map<number, string>();
  readonly names = new AsciiCache();
  readonly files = new AsciiCache();
  readonly addresses: AddressCells;
  constructor(readonly log: FirewallLog, readonly join: FirewallJoin, readonly connId: (row: number) => string | null) {
    this.d = log.denies;
    this.addresses = addressCells(log);
  }
  /** Name id `id`'s text; '-' for none or an empty one. */
  name(c: Cells, id: number): void {
    const s = id === NONE ? '' : this.log.names.list[id];
    if (s) this.names.cell(c, id, s);
    else c.byte(DASH);
  }
  /** As model/endpoint-text.ts denyEndpointText: the address alone for a protocol without ports. */
  endpoint(c: Cells, addr: number, port: number): void {
    if (addr === NONE) c.byte(DASH);
    else if (port < 0) this.addresses.address(c, addr);
    else this.addresses.endpoint(c, addr, port);
  }
}

type Column = { head: string; cell: (c: Cells, r: Denies, j: number) => void };

const DASH = 45;

const COLUMNS: readonly Column[] = [
  {
    head: 'time',
    cell: (c, r, j) => {
      const t = r.d.timeUs[j];
      if (Number.isFinite(t)) c.time(t);
      else c.byte(DASH);
    },
  },
  { head: 'device', cell: (c, r, j) => r.name(c, r.d.device[j]) },
  // The vendor's message id as printed (a names id, like the device's).
  { head: 'message', cell: (c, r, j) => r.name(c, r.d.messageId[j]) },
  { head: 'cause', cell: (c, r, j) => c.ascii(DENY_CAUSES[r.d.cause[j]].name) },
  { head: 'proto', cell: (c, r, j) => c.ascii(protoName(r.d.proto[j])) },
  { head: 'src', cell: (c, r, j) => r.endpoint(c, r.d.srcAddr[j], r.d.srcPort[j]) },
  { head: 'dst', cell: (c, r, j) => r.endpoint(c, r.d.dstAddr[j], r.d.dstPort[j]) },
  {
    head: 'flags/icmp',
    cell: (c, r, j) => {
      const f = r.d.flags[j];
      let flags = f >= 0 ? r.flagTexts.get(f) : '';
      if (flags === undefined) r.flagTexts.set(f, (flags = flagNames(f)));
      const type = r.d.icmpType[j];
      const code = r.d.icmpCode[j];
      if (flags) c.ascii(flags);
      else if (type < 0) c.byte(DASH);
      else {
        c.ascii('type ');
        c.num(type);
        if (code >= 0) {
          c.ascii(' code ');
          c.num(code);
        }
      }
    },
  },
  { head: 'interface', cell: (c, r, j) => r.name(c, r.d.iface[j]) },
  { head: 'rule', cell: (c, r, j) => (r.d.acl[j] === NONE ? c.byte(DASH) : r.names.cell(c, r.d.acl[j], r.log.names.list[r.d.acl[j]])) },
  { head: 'repeat', cell: (c, r, j) => c.num(r.d.repeat[j]) },
  {
    head: 'connection',
    cell: (c, r, j) => {
      const conn = r.join.denyConn[j];
      c.ascii((conn >= 0 ? r.connId(conn) : null) ?? '-');
    },
  },
  {
    head: 'line',
    cell: (c, r, j) => {
      r.files.cell(c, r.d.input[j], r.log.files[r.d.input[j]] ?? '');
      c.byte(58);
      c.num(r.d.line[j]);
    },
  },
];

const HEAD = COLUMNS.map((c) => c.head);

/** The table of the session's denies in log order; null when it has no firewall log. */
export function denyTable(session: AnalysisSession): TableRows | null {
  const fw = session.firewall;
  if (!fw) return null;
  const r = new Denies(fw.log, fw.join, reportIds(session));
  return {
    head: HEAD,
    count: fw.log.denies.count,
    write(j, c) {
      for (let m = 0; m < COLUMNS.length; m++) {
        COLUMNS[m].cell(c, r, j);
        c.end();
      }
    },
  };
}
