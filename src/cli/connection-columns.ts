/**
 * The readable table of connections (`analyze` without --json), declared once: each column's head and its cell of
 * a packet connection (read from the store, analysis/tracked.ts) and of a log-only connection (read from the
 * firewall columns), written by cli/table-blocks.ts as bytes, or as strings for a row that is not ASCII. No report
 * is made per row: on the 1 GB bench capture (100,000 rows) reports, cell strings and joined rows were ~125 MB of
 * the ~200 MB `analyze` allocated, and most of its young-generation collections. Adding a column is one entry.
 */
import type { ConnectionList } from '../analysis/connection-list';
import { closeInitiatorOf, closeKindOf, connectionId, packetCounts, reportedUs, safeIsoTime } from '../analysis/connection-report';
import { handshakeOf } from '../analysis/close';
import { SideFacts } from '../analysis/conn-state';
import type { TrackedConnections } from '../analysis/tracked';
import type { FirewallLog } from '../analysis/firewall/log';
import { NONE, protoName } from '../model/firewall-store';
import type { AnalysisSession } from '../engine/analyze-sources';
import type { Cells, TableRows } from './table-blocks';
import { addressCells, type AddressCells, durationCell, durationUsCell, endpointCell } from './cell-text';
import { utf8 } from '../lib/json-bytes';

/** Packet connection i as its columns read it: its two sides' facts loaded once per row. */
class PacketRow {
  i = 0;
  readonly client = new SideFacts();
  readonly server = new SideFacts();
  constructor(readonly t: TrackedConnections) {}
  load(i: number): void {
    this.i = i;
    this.t.facts(i, 'client', false, this.client);
    this.t.facts(i, 'server', false, this.server);
  }
}

/** The firewall log's connection columns a log-only row reads (the log's own, or copies: cli/table-thread.ts). */
export type LogOnlyConns = Pick<FirewallLog['conns'], 'cAddr' | 'cPort' | 'sAddr' | 'sPort' | 'startUs' | 'endUs' | 'proto'>;

/** Log-only connection k (`syslog-k`) as its columns read it: its row i of the firewall log's connections. */
class LogOnlyRow {
  k = 0;
  i = 0;
  /**
   * `addresses`: endpoints as the connection's report writes them (normalIp of the address, interned once by the
   * log); `rows`: row i of each k (null: k itself).
   */
  constructor(readonly conns: LogOnlyConns, readonly addresses: AddressCells, readonly rows: Int32Array | null) {}
  load(k: number): void {
    this.k = k;
    this.i = this.rows ? this.rows[k] : k;
  }
}

/** A packet connection's client or server cell: an IPv4 address from its number (no text, no lookup), else its text. */
function packetEndpoint(c: Cells, r: PacketRow, role: 'client' | 'server'): void {
  const a = r.t.ipv4(r.i, role);
  if (a < 0) {
    endpointCell(c, r.t.address(r.i, role), r.t.port(r.i, role));
    return;
  }
  c.ipv4(a);
  c.byte(58);
  c.num(r.t.port(r.i, role));
}

/** A column: its head, and its cell in a packet connection's row and in a log-only one's (a function, or fixed text). */
type Column = { head: string; packet: (c: Cells, r: PacketRow) => void; logOnly: ((c: Cells, r: LogOnlyRow) => void) | string };

const DASH = 45;
const SLASH = 47;

const COLUMNS: readonly Column[] = [
  // analysis/firewall/log-only.ts logOnlyId: syslog-k
  { head: 'id', packet: (c, r) => c.ascii(connectionId(r.i)), logOnly: (c, r) => (c.ascii('syslog-'), c.num(r.k)) },
  {
    head: 'stream',
    packet: (c, r) => {
      const stream = r.t.tcpStream?.[r.i];
      if (stream === undefined) c.byte(DASH);
      else c.num(stream);
    },
    logOnly: '-',
  },
  {
    head: 'client',
    packet: (c, r) => packetEndpoint(c, r, 'client'),
    logOnly: (c, r) => r.addresses.endpoint(c, r.conns.cAddr[r.i], r.conns.cPort[r.i]),
  },
  {
    head: 'server',
    packet: (c, r) => packetEndpoint(c, r, 'server'),
    logOnly: (c, r) => r.addresses.endpoint(c, r.conns.sAddr[r.i], r.conns.sPort[r.i]),
  },
  {
    head: 'start',
    packet: (c, r) => {
      // As bytes straight from the number (Cells.time), the text safeIsoTime makes otherwise ("invalid time").
      const us = reportedUs(r.t.store.firstTimeUs[r.i]);
      if (Number.isNaN(us)) c.text(safeIsoTime(r.t.store.firstTimeUs[r.i]));
      else c.time(us);
    },
    logOnly: (c, r) => {
      const s = r.conns.startUs[r.i];
      if (Number.isFinite(s)) c.time(s);
    },
  },
  {
    head: 'duration',
    packet: (c, r) => durationUsCell(c, reportedUs(r.t.store.lastTimeUs[r.i]) - reportedUs(r.t.store.firstTimeUs[r.i])),
    logOnly: (c, r) => {
      const s = r.conns.startUs[r.i];
      const e = r.conns.endUs[r.i];
      durationCell(c, Number.isFinite(s) && Number.isFinite(e) ? (Math.floor(e) - Math.floor(s)) / 1000 : NaN);
    },
  },
  {
    head: 'pkts c/s',
    packet: (c, r) => {
      const n = packetCounts(r.t, r.i, r.client, r.server);
      c.num(n.client);
      c.byte(SLASH);
      c.num(n.server);
    },
    logOnly: '0/0',
  },
  {
    head: 'bytes c/s',
    packet: (c, r) => {
      c.num(r.client.payloadBytes);
      c.byte(SLASH);
      c.num(r.server.payloadBytes);
    },
    logOnly: '0/0',
  },
  { head: 'handshake', packet: (c, r) => c.ascii(handshakeOf(r.client, r.server)), logOnly: 'none' },
  { head: 'kind', packet: (c, r) => c.ascii(closeKindOf(r.t, r.i, r.client, r.server)), logOnly: '-' },
  { head: 'initiator', packet: (c, r) => c.ascii(closeInitiatorOf(r.t, r.i, r.client, r.server) ?? '-'), logOnly: '-' },
  {
    head: 'zeek',
    packet: (c, r) => {
      c.ascii(r.t.store.zeekStateName(r.i));
      c.byte(32);
      c.text(r.t.store.history[r.i]);
    },
    logOnly: '-',
  },
  { head: 'proto', packet: (c) => c.ascii('tcp'), logOnly: (c, r) => c.ascii(protoName(r.conns.proto[r.i])) },
];

const HEAD = COLUMNS.map((c) => c.head);
/** The log-only cells of fixed text, as bytes (written without a call per cell); null for the others. */
const LOG_ONLY_FIXED = COLUMNS.map((c) => (typeof c.logOnly === 'string' ? utf8(c.logOnly) : null));

/** The table of `list`'s connections: packet connections first, then the log-only ones of `firewall`'s correlation. */
export function connectionTable(list: ConnectionList, firewall: AnalysisSession['firewall']): TableRows {
  const packets = list.packetCount;
  const p = new PacketRow(list.tracked);
  const rows = firewall?.correlation?.syslogConnections.rows;
  const l = firewall && rows ? new LogOnlyRow(firewall.log.conns, addressCells(firewall.log), rows) : null;
  return {
    head: HEAD,
    count: packets + (l ? rows!.length : 0),
    write(k, c) {
      if (k < packets) {
        p.load(list.connIndex(k));
        for (let m = 0; m < COLUMNS.length; m++) {
          COLUMNS[m].packet(c, p);
          c.end();
        }
        return;
      }
      writeLogOnly(c, l!, k - packets);
    },
  };
}

/**
 * The same table of a log alone (no captured connection: every firewall connection row is log-only connection k =
 * row k, the correlation's list): from the log's columns or copies of them, with no session (cli/table-thread.ts).
 */
export function logOnlyTable(conns: LogOnlyConns, addresses: AddressCells, count: number): TableRows {
  const l = new LogOnlyRow(conns, addresses, null);
  return { head: HEAD, count, write: (k, c) => writeLogOnly(c, l, k) };
}

function writeLogOnly(c: Cells, l: LogOnlyRow, k: number): void {
  l.load(k);
  for (let m = 0; m < COLUMNS.length; m++) {
    const fixed = LOG_ONLY_FIXED[m];
    if (fixed) c.bytes(fixed);
    else (COLUMNS[m].logOnly as (c: Cells, r: LogOnlyRow) => void)(c, l);
    c.end();
  }
}
