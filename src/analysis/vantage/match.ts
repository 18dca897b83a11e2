/**
 * Packet matching between two captures of one TCP connection taken at two points (e.g. a firewall's inside and
 * outside interfaces). Addresses may differ (NAT) and each direction's sequence numbers may be shifted by a
 * constant (ASA ISN randomisation, formats.md §2: "offset by a constant per-connection delta (mod 2^32)"), so
 * packets are matched by direction, flags, payload length and seq + the direction's delta; the ack of a packet
 * must agree with the other direction's delta. Deltas are voted for by pairs of look-alike packets.
 *
 * Clock offset and sides: a packet reaches the point nearer its sender first, so with b's clock minus a's clock
 * `off` and each matched packet's time difference d = tb - ta, a being on the client's side means off <= d for the
 * client's packets and off >= d for the server's (transit is never negative), and the other way round when b is.
 * The side whose range of offsets is not empty is the client's side. The offset is 0 when that range holds 0
 * (both captures agree with one clock, as two interfaces of one device or two NTP-synchronised hosts do), else the
 * mean of the two directions' median differences (transit time cancels out when it is alike both ways) kept
 * within the range. Neither range (clocks that jitter, packets reordered between the points): the mean, and the
 * client's side is where the client's packets were seen first by the medians.
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
  /** The offsets (µs) under which every matched packet reached the point nearer its sender first; null when none. */
  offsetRangeUs: [number, number] | null;
  /** b is the capture point nearer the client (it saw the client's packets first). */
  bClientSide: boolean;
}

const MAX_VOTERS = 24;

function median(xs: readonly number[]): number {
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
  const diffs: number[][] = [[], []];
  for (const d of [0, 1]) {
    const dd = delta[d];
    // The ack of a packet from direction d acknowledges the other direction's numbers.
    if (dd !== null) matchDirection(table, a[d], b[d], dd, delta[1 - d], pairs, diffs[d]);
  }
  return { swapped, delta, pairs, ...clockAndSides(diffs[1], diffs[0]) };
}

/** Offset, its consistent range and the client's side from the time differences (b - a) of the client's and the server's packets. */
export function clockAndSides(fromClient: readonly number[], fromServer: readonly number[]): Pick<VantageMatch, 'offsetUs' | 'offsetRangeUs' | 'bClientSide'> {
  const medians = [fromClient, fromServer].filter((x) => x.length).map(median);
  const mean = medians.length ? medians.reduce((x, y) => x + y, 0) / medians.length : 0;
  // Loops, not Math.min(...xs): a long connection has more matched packets than a call takes arguments.
  const min = (xs: readonly number[]) => xs.reduce((m, x) => (x < m ? x : m), Infinity);
  const max = (xs: readonly number[]) => xs.reduce((m, x) => (x > m ? x : m), -Infinity);
  // a on the client's side: max(server's d) <= off <= min(client's d); b on it: max(client's d) <= off <= min(server's d).
  const aRange: [number, number] = [max(fromServer), min(fromClient)];
  const bRange: [number, number] = [max(fromClient), min(fromServer)];
  const aOk = aRange[0] <= aRange[1];
  const bOk = bRange[0] <= bRange[1];
  let bClientSide: boolean;
  if (aOk !== bOk) bClientSide = bOk;
  else bClientSide = fromClient.length > 0 && fromServer.length > 0 && median(fromClient) < median(fromServer);
  const range = (bClientSide ? bOk : aOk) ? (bClientSide ? bRange : aRange) : null;
  const finite = range && Number.isFinite(range[0]) && Number.isFinite(range[1]) ? range : null;
  let offsetUs = mean;
  if (range) offsetUs = range[0] <= 0 && 0 <= range[1] ? 0 : Math.min(range[1], Math.max(range[0], mean));
  return { offsetUs, offsetRangeUs: finite, bClientSide };
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
