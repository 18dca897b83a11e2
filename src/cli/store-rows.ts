/**
 * The readable table's rows of packet connections written as bytes straight from the store into the table's block
 * (cli/table-blocks.ts DirectRows): the same cells as cli/output.ts row() of the connection's report, without the
 * report, the cell strings and the joined row (a row whose text is not ASCII takes `cells`, the report's way).
 * Those were ~125 MB of the ~200 MB `analyze` allocated on the 1 GB bench capture (100,000 rows), and most of its
 * young-generation collections.
 */
import { ConnectionList } from '../analysis/connection-list';
import { closeInitiatorOf, closeKindOf, connectionId, packetCounts, safeIsoTime } from '../analysis/connection-report';
import { handshakeOf } from '../analysis/close';
import { SideFacts } from '../analysis/conn-state';
import type { JsonBytes } from '../lib/json-bytes';
import type { DirectRows, RowCells } from './table-blocks';

/** A duration in milliseconds as the table prints it. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
}

/** Whole microseconds as isoTime prints them; NaN where safeIsoTime prints "invalid time". */
function printedUs(us: number): number {
  return Number.isFinite(us) && Math.abs(us) < 8.64e18 ? Math.floor(us) : NaN;
}

/** Printable ASCII only (what the block keeps as bytes). */
function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/** A number as a template string prints it. */
function num(w: JsonBytes, v: number): void {
  if (v >= 0 && v <= 0xffffffff && v === Math.floor(v)) w.num(v);
  else w.ascii(String(v));
}

const CLIENT = new SideFacts();
const SERVER = new SideFacts();

/** Packet connection rows (k < list.packetCount) of `list`, written as bytes; `cells` gives a row as strings. */
export function storeRows(list: ConnectionList, cells: (k: number) => string[]): DirectRows {
  const t = list.tracked;
  const st = t.store;
  const keys = t.keys;
  const endpoint = (w: JsonBytes, i: number, side: number) => {
    const ip = keys.addressText(i, side);
    const v6 = ip.includes(':');
    if (v6) w.byte(91);
    w.ascii(ip);
    if (v6) w.byte(93);
    w.byte(58);
    w.num(keys.port(i, side));
  };
  return {
    cells,
    write(k: number, row: RowCells): boolean {
      const i = list.connIndex(k);
      const start = safeIsoTime(st.firstTimeUs[i]);
      const history = st.history[i];
      if (!ascii(start) || !ascii(history)) return false;
      const w = row.w;
      const client = t.facts(i, 'client', false, CLIENT);
      const server = t.facts(i, 'server', false, SERVER);
      const ca = t.side(i, 'client');
      w.ascii(connectionId(i));
      row.cell();
      const stream = t.tcpStream?.[i];
      if (stream === undefined) w.byte(45);
      else w.num(stream);
      row.cell();
      endpoint(w, i, ca);
      row.cell();
      endpoint(w, i, ca ^ 1);
      row.cell();
      w.ascii(start);
      row.cell();
      w.ascii(durationText((printedUs(st.lastTimeUs[i]) - printedUs(st.firstTimeUs[i])) / 1000));
      row.cell();
      const packets = packetCounts(t, i, client, server);
      num(w, packets.client);
      w.byte(47);
      num(w, packets.server);
      row.cell();
      num(w, client.payloadBytes);
      w.byte(47);
      num(w, server.payloadBytes);
      row.cell();
      w.ascii(handshakeOf(client, server));
      row.cell();
      w.ascii(closeKindOf(t, i, client, server));
      row.cell();
      w.ascii(closeInitiatorOf(t, i, client, server) ?? '-');
      row.cell();
      w.ascii(st.zeekStateName(i));
      w.byte(32);
      w.ascii(history);
      row.cell();
      w.ascii('tcp');
      row.cell();
      return true;
    },
  };
}
