/**
 * Packet matching between two captures of one TCP connection taken at two points (e.g. a firewall's inside and
 * outside interfaces). Addresses may differ (NAT) and each direction's sequence numbers may be shifted by a
 * constant (ASA ISN randomisation, formats.md §2: "offset by a constant per-connection delta (mod 2^32)"), so
 * packets are matched by direction, flags, payload length and seq + the direction's delta; the ack of a packet
 * must agree with the other direction's delta. Deltas are voted for by pairs of look-alike packets. The clock
 * offset is the mean of the two directions' median time differences (transit time cancels out).
 */
import type { PacketTable } from '../../model/packet-table';
import { ACK } from '../../model/segment';

export interface VantageMatch {
  /** Side b's orientation relative to a: false = same client/server, true = swapped. */
  swapped: boolean;
  /** Per direction of a (index 1 = from a's client, 0 = from a's server): b's seq minus a's seq, mod 2^32; null when unknown. */
  delta: [number | null, number | null];
  /** Matched rows: a row -> b row. */
  pairs: Map<number, number>;
  /** b's clock minus a's clock, µs. */
  offsetUs: number;
}

const MAX_VOTERS = 24;

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

/** Rows of a direction: fromClient value `d`. */
function dirRows(table: PacketTable, rows: readonly number[], d: number): number[] {
  return rows.filter((r) => table.fromClient.get(r) === d);
}

function voteDelta(table: PacketTable, a: number[], b: number[]): number | null {
  const votes = new Map<number, number>();
  const na = Math.min(a.length, MAX_VOTERS);
  const nb = Math.min(b.length, MAX_VOTERS);
  for (let i = 0; i < na; i++) {
    const ra = a[i];
    const fa = table.flags.get(ra);
    const la = table.payloadLength.get(ra);
    for (let j = 0; j < nb; j++) {
      const rb = b[j];
      if (table.flags.get(rb) !== fa || table.payloadLength.get(rb) !== la) continue;
      const d = (table.seq.get(rb) - table.seq.get(ra)) >>> 0;
      votes.set(d, (votes.get(d) ?? 0) + 1);
    }
  }
  let best: number | null = null;
  let bestN = 0;
  for (const [d, n] of votes) if (n > bestN) { best = d; bestN = n; }
  return best;
}

function matchDirection(
  table: PacketTable, a: number[], b: number[], delta: number, ackDelta: number | null, pairs: Map<number, number>, diffs: number[],
): void {
  const byKey = new Map<string, number[]>();
  for (const rb of b) {
    const k = `${(table.seq.get(rb) - delta) >>> 0}/${table.flags.get(rb)}/${table.payloadLength.get(rb)}`;
    const l = byKey.get(k);
    if (l) l.push(rb);
    else byKey.set(k, [rb]);
  }
  const used = new Set<number>();
  for (const ra of a) {
    const list = byKey.get(`${table.seq.get(ra)}/${table.flags.get(ra)}/${table.payloadLength.get(ra)}`);
    if (!list) continue;
    const ta = table.timeUs.get(ra);
    let best = -1;
    let bestGap = Infinity;
    for (const rb of list) {
      if (used.has(rb)) continue;
      if (ackDelta !== null && table.flags.get(ra) & ACK && ((table.ack.get(rb) - table.ack.get(ra)) >>> 0) !== ackDelta) continue;
      const gap = Math.abs(table.timeUs.get(rb) - ta);
      if (gap < bestGap) { bestGap = gap; best = rb; }
    }
    if (best >= 0) {
      used.add(best);
      pairs.set(ra, best);
      diffs.push(table.timeUs.get(best) - ta);
    }
  }
}

function tryOrientation(table: PacketTable, rowsA: readonly number[], rowsB: readonly number[], swapped: boolean): VantageMatch {
  const a = [dirRows(table, rowsA, 0), dirRows(table, rowsA, 1)];
  const b = swapped ? [dirRows(table, rowsB, 1), dirRows(table, rowsB, 0)] : [dirRows(table, rowsB, 0), dirRows(table, rowsB, 1)];
  const delta: [number | null, number | null] = [voteDelta(table, a[0], b[0]), voteDelta(table, a[1], b[1])];
  const pairs = new Map<number, number>();
  const medians: number[] = [];
  for (const d of [0, 1]) {
    const dd = delta[d];
    if (dd === null) continue;
    const diffs: number[] = [];
    // The ack of a packet from direction d acknowledges the other direction's numbers.
    matchDirection(table, a[d], b[d], dd, delta[1 - d], pairs, diffs);
    if (diffs.length) medians.push(median(diffs));
  }
  const offsetUs = medians.length ? medians.reduce((x, y) => x + y, 0) / medians.length : 0;
  return { swapped, delta, pairs, offsetUs };
}

/** Best match of connection rows a and b (capture order); `swapHint` says which orientation to try first. */
export function matchVantage(table: PacketTable, rowsA: readonly number[], rowsB: readonly number[], swapHint: boolean | null): VantageMatch {
  if (swapHint !== null) {
    const m = tryOrientation(table, rowsA, rowsB, swapHint);
    if (m.pairs.size > 0) return m;
  }
  const same = tryOrientation(table, rowsA, rowsB, false);
  const swapped = tryOrientation(table, rowsA, rowsB, true);
  return swapped.pairs.size > same.pairs.size ? swapped : same;
}
