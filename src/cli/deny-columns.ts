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
import type { AnalysisSession } from '../engine/analyze-sources';
import { reportIdTable } from '../engine/firewall-records';
import { ID_PREFIX } from '../analysis/firewall/log-only';
import { connectionId } from '../analysis/connection-report';
import type { Cells, TableRows } from './table-blocks';
import { addressCells, type AddressCells, AsciiCache } from './cell-text';

/** The deny columns the table reads (the log's own, or the same shared columns on the table thread: cli/table-thread.ts). */
export type DenyCols = Pick<
  FirewallLog['denies'],
  'count' | 'timeUs' | 'device' | 'messageId' | 'cause' | 'proto' | 'srcAddr' | 'srcPort' | 'dstAddr' | 'dstPort' | 'flags' | 'icmpType' | 'icmpCode' | 'iface' | 'acl' | 'repeat' | 'input' | 'line'
>;

/** What the deny table reads: the columns, name id -> text, the addresses, the log's files, each deny's connection. */
export interface DenyParts {
  d: DenyCols;
  nameText: (id: number) => string;
  addresses: AddressCells;
  files: readonly string[];
  /** The join's connection row of each deny (-1: none: analysis/firewall/join.ts), and each row's report id. */
  denyConn: Int32Array;
  idOf: Float64Array;
}

/** What the columns read: the parts, and the bytes of texts of few values made once each (names, causes, flags). */
class Denies {
  readonly d: DenyCols;
  readonly names: AsciiCache;
  readonly files: AsciiCache;
  readonly causes = new AsciiCache((k) => DENY_CAUSES[k].name);
  readonly protos = new AsciiCache(protoName);
  readonly flags = new AsciiCache(flagNames);
  constructor(readonly p: DenyParts) {
    this.d = p.d;
    this.names = new AsciiCache(p.nameText);
    this.files = new AsciiCache((k) => p.files[k] ?? '');
  }
  /** Name id `id`'s text; '-' for none or an empty one. */
  name(c: Cells, id: number): void {
    if (id === NONE || !this.names.cell(c, id)) c.byte(DASH);
  }
  /** As model/endpoint-text.ts denyEndpointText: the address alone for a protocol without ports. */
  endpoint(c: Cells, addr: number, port: number): void {
    if (addr === NONE) c.byte(DASH);
    else if (port < 0) this.p.addresses.address(c, addr);
    else this.p.addresses.endpoint(c, addr, port);
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
  { head: 'cause', cell: (c, r, j) => r.causes.cell(c, r.d.cause[j]) },
  { head: 'proto', cell: (c, r, j) => r.protos.cell(c, r.d.proto[j]) },
  { head: 'src', cell: (c, r, j) => r.endpoint(c, r.d.srcAddr[j], r.d.srcPort[j]) },
  { head: 'dst', cell: (c, r, j) => r.endpoint(c, r.d.dstAddr[j], r.d.dstPort[j]) },
  {
    head: 'flags/icmp',
    cell: (c, r, j) => {
      const f = r.d.flags[j];
      if (f >= 0 && r.flags.cell(c, f)) return;
      const type = r.d.icmpType[j];
      const code = r.d.icmpCode[j];
      if (type < 0) c.byte(DASH);
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
  { head: 'rule', cell: (c, r, j) => void (r.d.acl[j] === NONE ? c.byte(DASH) : r.names.cell(c, r.d.acl[j])) },
  { head: 'repeat', cell: (c, r, j) => c.num(r.d.repeat[j]) },
  {
    head: 'connection',
    // engine/firewall-records.ts reportIdText's id, with no string for a log-only one (most of a big log's).
    cell: (c, r, j) => {
      const conn = r.p.denyConn[j];
      const v = conn >= 0 ? r.p.idOf[conn] : -1;
      if (v <= -2) {
        c.ascii(ID_PREFIX);
        c.num(-v - 2);
      } else if (v >= 0) c.ascii(connectionId(v));
      else c.byte(DASH);
    },
  },
  {
    head: 'line',
    cell: (c, r, j) => {
      r.files.cell(c, r.d.input[j]);
      c.byte(58);
      c.num(r.d.line[j]);
    },
  },
];

const HEAD = COLUMNS.map((c) => c.head);

/**
 * The table of the session's denies in log order (`idOf`: its report id table, engine/firewall-records.ts
 * reportIdTable, when made already); null when it has no firewall log.
 */
export function denyTable(session: AnalysisSession, idOf = session.firewall && reportIdTable(session)): TableRows | null {
  const fw = session.firewall;
  if (!fw) return null;
  const { log } = fw;
  const names = log.names.list;
  return denyRows({
    d: log.denies, nameText: (id) => names[id], addresses: addressCells(log), files: log.files, denyConn: fw.join.denyConn, idOf: idOf!,
  });
}

/** The table of the denies of `p` in log order. */
export function denyRows(p: DenyParts): TableRows {
  const r = new Denies(p);
  return {
    head: HEAD,
    count: p.d.count,
    write(j, c) {
      for (let m = 0; m < COLUMNS.length; m++) {
        COLUMNS[m].cell(c, r, j);
        c.end();
      }
    },
  };
}
