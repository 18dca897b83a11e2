/**
 * How each of two capture points saw the packets of a ladder (issue #19): the time on that point's own clock and
 * the raw sequence numbers there, read from the PacketTable. A packet seen at both points has its second point's
 * row in PacketTable.twin (untouched by the merge); a packet seen at the second point only was moved into the
 * first point's clock and numbering by the merge (analysis/vantage/merge.ts), which VantageFacts undoes here.
 */
import type { PointSeen } from '../model/ladder-packet';
import { SEEN_PRIMARY, SEEN_SECONDARY, type PacketTable } from '../model/packet-table';
import type { VantageFacts } from '../model/report';
import { ACK } from '../model/segment';

function own(table: PacketTable, row: number): PointSeen {
  return { timeUs: table.timeUs.get(row), seq: table.seq.get(row), ack: table.flags.get(row) & ACK ? table.ack.get(row) : 0 };
}

/** Per row: [first point's view, second point's view]; undefined for rows of a connection seen at one point. */
export function pointViews(table: PacketTable, rows: ArrayLike<number>, v: VantageFacts | undefined): ([PointSeen | null, PointSeen | null] | undefined)[] {
  const out: ([PointSeen | null, PointSeen | null] | undefined)[] = new Array(rows.length);
  if (!v || v.points.length < 2 || !v.seqShift) return out.fill(undefined);
  const offsetUs = v.clockOffsetMs * 1000;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const seen = table.seenAt.get(row);
    if (seen === (SEEN_PRIMARY | SEEN_SECONDARY)) {
      const twin = table.twin.get(row);
      out[k] = [own(table, row), twin ? own(table, twin - 1) : null];
    } else if (seen === SEEN_PRIMARY) {
      out[k] = [own(table, row), null];
    } else if (seen === SEEN_SECONDARY) {
      const fromClient = table.fromClient.get(row) === 1;
      const seqShift = (fromClient ? v.seqShift.client : v.seqShift.server) ?? 0;
      const ackShift = (fromClient ? v.seqShift.server : v.seqShift.client) ?? 0;
      const p = own(table, row);
      out[k] = [null, { timeUs: p.timeUs + offsetUs, seq: (p.seq + seqShift) >>> 0, ack: p.ack ? (p.ack + ackShift) >>> 0 : 0 }];
    } else out[k] = undefined;
  }
  return out;
}
