/**
 * Two capture points, one connection: finds connections captured at two points (two inputs) that are the same
 * TCP connection (match.ts), and merges each pair into the primary one (the lower input index):
 *  - every packet row of the merged timeline gets PacketTable.seenAt = SEEN_PRIMARY and/or SEEN_SECONDARY;
 *  - packets seen only at the secondary point join the primary timeline, their seq/ack moved into the primary's
 *    numbering, their time onto the primary's clock (minus the estimated offset);
 *  - packets seen at both points keep the primary's row (the secondary's copy leaves every timeline, and
 *    PacketTable.twin points to it: the second point's own time, seq and ack);
 *  - the primary connection gets a VantageRecord (TrackedConnections.vantage: VantageFacts with the points, clock
 *    offset and packets seen at one point only, the added packets, what the explanation says of the two points)
 *    and the secondary is listed no more (TrackedConnections.mergedAway). Close facts stay those of the primary
 *    point's packets; the report renumbers their packet indexes for the merged timeline (`renumber`).
 * Candidates: connections of different inputs with the same port pair, or with the same firewall connection
 * (when 302013 messages give the real/NAT-mapped pairs, which covers port translation), overlapping in time.
 * This includes the same 4-tuple at both points (a routed firewall without NAT): the tracker keeps each input's
 * packets of a 4-tuple as a piece of their own unless they continue an earlier file in time (connections.ts), so
 * such a pair arrives here as two connections of disjoint inputs.
 */
import type { VantageFacts } from '../../model/report';
import { PacketTable, SEEN_PRIMARY, SEEN_SECONDARY } from '../../model/packet-table';
import { ACK } from '../../model/segment';
import type { TrackedConnections } from '../tracked';
import { matchVantage, type VantageMatch } from './match';
import { vantageSentences } from './explain';
import { closeFromPoints } from './close';

export interface VantageMerge {
  primary: number;
  secondary: number;
  match: VantageMatch;
}

/** Optional extra candidate pairs: keys naming the same connection at two points (e.g. from firewall NAT logs). */
export type SameConnectionKeys = (ends: Ends) => string[];

type Endpoint = { ip: string; port: number };
type Ends = { client: Endpoint; server: Endpoint };

const CANDIDATE_SLACK_US = 60e6;

function rowsOf(t: TrackedConnections, i: number): number[] {
  return Array.from(t.rows(i));
}

/** The inputs a connection's rows came from (one, or several files of one capture point: connections.ts). */
function inputsOf(table: PacketTable, rows: number[]): Set<number> {
  const out = new Set<number>();
  for (const r of rows) out.add(table.input.get(r));
  return out;
}

/** Whether connection `later` was split off (directly or through other splits) from `earlier`. */
function splitFrom(reuseOf: Int32Array, later: number, earlier: number): boolean {
  for (let c = reuseOf[later], n = 0; c >= 0 && n < 64; c = reuseOf[c], n++) if (c === earlier) return true;
  return false;
}

function disjoint(a: Set<number>, b: Set<number>): boolean {
  for (const x of a) if (b.has(x)) return false;
  return true;
}

export function mergeVantagePoints(
  table: PacketTable,
  t: TrackedConnections,
  files: readonly string[],
  sameConnection?: SameConnectionKeys,
): VantageMerge[] {
  const ends = (i: number): Ends => ({ client: t.endpoint(i, 'client'), server: t.endpoint(i, 'server') });
  const n = t.count;
  // Cheap first look: the input of each connection's first packet; nothing to do with fewer than two inputs.
  const input: number[] = new Array(n);
  const seenInputs = new Set<number>();
  for (let i = 0; i < n; i++) {
    input[i] = t.rowCount(i) > 0 ? table.input.get(t.row(i, 0)) : -1;
    if (input[i] >= 0) seenInputs.add(input[i]);
  }
  if (seenInputs.size < 2) return [];
  const rowCache = new Map<number, number[]>();
  const rowsFor = (i: number): number[] => {
    let r = rowCache.get(i);
    if (!r) rowCache.set(i, (r = rowsOf(t, i)));
    return r;
  };
  // First and last packet times (rows are in capture order within a connection of one input).
  const spanOf = (i: number): [number, number] => [table.timeUs.get(t.row(i, 0)), table.timeUs.get(t.row(i, t.rowCount(i) - 1))];

  // Candidate groups.
  const groups = new Map<string, number[]>();
  const add = (k: string, i: number) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  };
  for (let i = 0; i < n; i++) {
    if (input[i] < 0) continue;
    const r = ends(i);
    const p = [r.client.port, r.server.port].sort((x, y) => x - y);
    add(`ports ${p[0]} ${p[1]}`, i);
    if (sameConnection) for (const k of sameConnection(r)) add(`fw ${k}`, i);
  }
  const tried = new Set<string>();
  const candidates: { a: number; b: number; m: VantageMatch; score: number }[] = [];
  for (const g of groups.values()) {
    if (g.length < 2 || g.length > 64) continue; // a port pair seen in many connections: too ambiguous to guess
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        let a = g[x];
        let b = g[y];
        if (input[a] === input[b] || input[a] < 0 || input[b] < 0) continue;
        if (input[a] > input[b]) [a, b] = [b, a];
        const key = `${a} ${b}`;
        if (tried.has(key)) continue;
        tried.add(key);
        const sa = spanOf(a);
        const sb = spanOf(b);
        if (sa[0] > sb[1] + CANDIDATE_SLACK_US || sb[0] > sa[1] + CANDIDATE_SLACK_US) continue;
        // Two points are two disjoint sets of files (the tracker keeps each input's piece of a 4-tuple apart unless
        // it continues an earlier file in time, connections.ts).
        if (!disjoint(inputsOf(table, rowsFor(a)), inputsOf(table, rowsFor(b)))) continue;
        // Nor is a connection the tracker split off from the other by the reuse rule (a later connection of
        // the 4-tuple at the same point, e.g. in the next ring-buffer file, even when its packets look alike).
        if (t.reuseOf && (splitFrom(t.reuseOf, a, b) || splitFrom(t.reuseOf, b, a))) continue;
        const ra = ends(a);
        const rb = ends(b);
        const hint = ra.client.port === rb.client.port || ra.server.port === rb.server.port ? false
          : ra.client.port === rb.server.port || ra.server.port === rb.client.port ? true : null;
        const m = matchVantage(table, rowsFor(a), rowsFor(b), hint);
        const need = Math.max(2, Math.ceil(Math.min(rowsFor(a).length, rowsFor(b).length) / 2));
        if (m.pairs.size >= need) candidates.push({ a, b, m, score: m.pairs.size });
      }
    }
  }
  candidates.sort((x, y) => y.score - x.score);
  const taken = new Set<number>();
  const merges: VantageMerge[] = [];
  for (const c of candidates) {
    if (taken.has(c.a) || taken.has(c.b)) continue;
    taken.add(c.a);
    taken.add(c.b);
    merges.push({ primary: c.a, secondary: c.b, match: c.m });
  }
  if (!merges.length) return merges;

  const merged = new Map<number, number[]>();
  for (const mg of merges) merged.set(mg.primary, applyMerge(table, t, rowsFor(mg.primary), rowsFor(mg.secondary), mg, files));
  const gone = new Set(merges.map((m) => m.secondary));
  // Rebuild the per-connection row ranges (unchanged connections copy their old range).
  const len = (i: number) => (gone.has(i) ? 0 : merged.get(i)?.length ?? t.rowCount(i));
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) starts[i + 1] = starts[i] + len(i);
  const order = new Uint32Array(starts[n]);
  for (let i = 0; i < n; i++) {
    if (gone.has(i)) continue;
    const m = merged.get(i);
    if (m) order.set(m, starts[i]);
    else order.set(t.rows(i), starts[i]);
  }
  t.setRows(order, starts);
  for (const i of gone) t.mergedAway.add(i);
  // The close from what both points saw (close.ts), kept in the record when it differs from the primary point's own.
  for (const mg of merges) {
    const close = closeFromPoints(t, table, mg.primary, merged.get(mg.primary)!);
    if (close) t.vantage.get(mg.primary)!.close = close;
  }
  return merges;
}

/** Marks, translates and interleaves the rows of one merge; returns the primary's new timeline. */
function applyMerge(
  table: PacketTable, t: TrackedConnections, rowsA: number[], rowsB: number[], mg: VantageMerge, files: readonly string[],
): number[] {
  const { primary, secondary, match } = mg;
  const rows: Record<number, number[]> = { [primary]: rowsA, [secondary]: rowsB };
  const matchedB = new Set(match.pairs.values());
  for (const r of rows[primary]) {
    const twin = match.pairs.get(r);
    table.seenAt.set(r, SEEN_PRIMARY | (twin !== undefined ? SEEN_SECONDARY : 0));
    table.twin.set(r, twin !== undefined ? twin + 1 : 0);
  }
  const extra: number[] = [];
  for (const r of rows[secondary]) {
    if (matchedB.has(r)) {
      table.seenAt.set(r, SEEN_PRIMARY | SEEN_SECONDARY);
      continue;
    }
    // Seen only at the secondary point: into the primary's numbering, orientation and clock.
    const fromBClient = table.fromClient.get(r);
    const d = match.swapped ? 1 - fromBClient : fromBClient; // direction in primary terms
    const delta = match.delta[d];
    const ackDelta = match.delta[1 - d];
    if (delta !== null) table.seq.set(r, (table.seq.get(r) - delta) >>> 0);
    if (ackDelta !== null && table.flags.get(r) & ACK) table.ack.set(r, (table.ack.get(r) - ackDelta) >>> 0);
    table.fromClient.set(r, d);
    table.timeUs.set(r, table.timeUs.get(r) - match.offsetUs);
    table.seenAt.set(r, SEEN_SECONDARY);
    extra.push(r);
  }
  const oldIndex = new Map<number, number>();
  rows[primary].forEach((r, k) => oldIndex.set(r, k));
  const timeline = [...rows[primary], ...extra].sort((x, y) => table.timeUs.get(x) - table.timeUs.get(y) || (oldIndex.has(x) ? 0 : 1) - (oldIndex.has(y) ? 0 : 1));
  const renumber = new Map<number, number>();
  timeline.forEach((r, k) => {
    const o = oldIndex.get(r);
    if (o !== undefined) renumber.set(o, k);
  });

  const fileA = files[table.input.get(rows[primary][0])] ?? '';
  const fileB = files[table.input.get(rows[secondary][0])] ?? '';
  const dropped: VantageFacts['dropped'] = [];
  timeline.forEach((r, k) => {
    const s = table.seenAt.get(r);
    if (s === SEEN_PRIMARY) dropped.push({ packet: k, seenAt: fileA, missingAt: fileB });
    else if (s === SEEN_SECONDARY) dropped.push({ packet: k, seenAt: fileB, missingAt: fileA });
  });
  const ends = (i: number, swap: boolean) => {
    const client = t.endpoint(i, 'client');
    const server = t.endpoint(i, 'server');
    return swap ? { client: server, server: client } : { client, server };
  };
  const facts: VantageFacts = {
    points: [fileA, fileB], dropped, clockOffsetMs: match.offsetUs / 1000,
    ...(match.offsetRangeUs ? { clockOffsetRangeMs: [match.offsetRangeUs[0] / 1000, match.offsetRangeUs[1] / 1000] as [number, number] } : {}),
    clientSide: match.bClientSide ? 1 : 0,
    endpoints: [ends(primary, false), ends(secondary, match.swapped)],
    seqShift: { client: match.delta[1], server: match.delta[0] },
  };
  const fileList = (i: number) => t.store.inputList(i).map((k) => files[k] ?? `input ${k}`);
  const own = fileList(primary);
  if (fileB && !own.includes(fileB)) own.push(...fileList(secondary).filter((f) => !own.includes(f)));
  const added = { client: 0, server: 0 };
  for (const r of extra) {
    if (table.fromClient.get(r)) added.client++;
    else added.server++;
  }
  t.vantage.set(primary, {
    facts, secondary, files: own, added, before: Uint32Array.from(rows[primary]),
    renumber: extra.length ? renumber : null, sentences: vantageSentences(table, timeline, facts),
  });
  return timeline;
}
