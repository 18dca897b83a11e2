/**
 * The address-pair index of a firewall log's TCP connections (pair-index.ts), filled while the log is read, so that
 * the join after the last line (join.ts) finds it made: each connection row's distinct pair slots (real or
 * NAT-mapped client x server, connPairs) are added once the row's endpoints and protocol can no longer change. On
 * the command line the main thread waits for the decoder thread for part of the reading; the lookups (a cache miss
 * or two each) are made in that wait instead of after it.
 *
 * When a row is final: a row made by a Built at once (the Built sets its endpoints and protocol; its Teardown
 * changes neither); a row made by a Teardown alone (an orphan: a Built that comes later may still fit it and set
 * both again) at finish. So is a row with an address that is not dotted IPv4: normalising it (FirewallLog.normId)
 * may intern a name, and names are interned at the same points of the stream as ever (the decoder thread's ids are
 * mapped to the store's in stream order, engine/record-batch.ts). Which slot number a pair gets does not matter:
 * the join's lists are in row order and its answers per deny, whatever the slots' order.
 *
 * Each deny row's pair is looked up as the row comes too (found), in the same wait: a pair found then keeps its
 * slot (slots never change), and the join looks up only the rest, whose connection may come later in the log (or
 * not be final yet). Most denies that join a connection come after its Built (late packets after its Teardown).
 * Rows with an address that is not dotted IPv4 are left to the join, as above.
 */
import { type FirewallConnColumns, type FirewallDenyColumns, type Names, NONE, PROTO_TCP, grow, growable, shrinkTo } from '../../model/firewall-store';
import { PairIndex, WARM, endpointCode, pairAdd, pairFind, pairMayHave } from './pair-index';

/** Connections whose pairs are read together (PairIndex.warm) before they are added: up to 4 pairs each. */
const CONN_BATCH = WARM / 4;

/** What the index reads of the log (analysis/firewall/log.ts FirewallLog): its connections and names. */
interface PairedLog {
  readonly conns: FirewallConnColumns;
  readonly denies: FirewallDenyColumns;
  readonly names: Names;
  /** The normalised-address id of a printed address id. */
  normId(rawId: number): number;
}

export class ConnPairs {
  /**
   * Pairs to make room for at once (expect()): growing the index rehashes every pair so far at each doubling, a
   * cache miss each (~0.35 CPU-s of a 5 M-line log's read at load ~10).
   */
  private expected = 1024;
  private made: PairIndex | null = null;
  /** The index, made at its first pair (a run of captures alone makes none). */
  get index(): PairIndex {
    // Filtered: the join asks for the pair of every deny, most of which no connection has (pair-index.ts).
    return (this.made ??= new PairIndex(this.expected, true));
  }
  /**
   * Row i's distinct slots (slotN[i] of them, at most 4; rowSlot reads them): its first at 2i; its second at 2i + 1
   * when it has two at most, else 2i + 1 holds -(p + 1) and its second to fourth are in `more` from p (three places).
   * Most rows have one or two (a NAT-mapped side adds the second): two places a row instead of four, ~7.5 MB less for
   * u5m.log's 934,000 connections at the end of its read, where a big log's peak memory is.
   */
  slots = growable(Int32Array);
  slotN = growable(Uint8Array);
  more = growable(Int32Array);
  private moreN = 0;
  /** 1: row i's slots are in (slotN[i] of them; 0 for a connection that is not TCP). */
  private added = growable(Uint8Array);
  /** Rows final and not added yet (added a batch at a time). */
  private readonly pending = new Int32Array(CONN_BATCH);
  private pendingN = 0;
  private readonly ends = new Float64Array(4 * CONN_BATCH);
  private readonly xs = new Float64Array(WARM);
  private readonly ys = new Float64Array(WARM);
  private readonly tmp = new Int32Array(4);
  /**
   * The deny rows whose pair was found while the log was read, in row order, and its slot (final): at 2k the row,
   * at 2k + 1 the slot, foundN of them. Only those (~a fifth of a big log's denies): the join looks up the others.
   */
  found = growable(Int32Array);
  foundN = 0;
  /** Joinable deny rows not looked up yet (a batch at a time). */
  private readonly denyPending = new Int32Array(WARM);
  private denyPendingN = 0;
  private readonly denyRows = new Int32Array(WARM);

  /** Room for about `pairs` pairs once the first is added (most connections have one or two: NAT adds the second). */
  expect(pairs: number): void {
    this.expected = Math.max(1024, Math.floor(pairs));
  }

  /** Row i (made by a Built) is final: added now, or at finish when an address is not dotted IPv4. */
  built(log: PairedLog, i: number): void {
    const c = log.conns;
    if (c.proto[i] !== PROTO_TCP) {
      this.room(i);
      this.added[i] = 1;
      return;
    }
    const v4 = (id: number) => id === NONE || log.names.isIpv4(id);
    if (!(v4(c.cAddr[i]) && v4(c.sAddr[i]) && v4(c.cMapped[i]) && v4(c.sMapped[i]))) return;
    this.pending[this.pendingN++] = i;
    if (this.pendingN === CONN_BATCH) this.flush(log);
  }

  /** Every row not added yet (the join, once the log is read): the index is then complete. */
  finish(log: PairedLog): void {
    this.flush(log);
    const n = log.conns.count;
    this.room(n - 1);
    for (let i = 0; i < n; i++) {
      if (this.added[i]) continue;
      if (log.conns.proto[i] !== PROTO_TCP) this.added[i] = 1;
      else {
        this.pending[this.pendingN++] = i;
        if (this.pendingN === CONN_BATCH) this.flush(log);
      }
    }
    this.flush(log);
  }

  /** Deny row j (joinable: a TCP flow with ports and a time) is in its columns for good: looked up with the next batch. */
  deny(log: PairedLog, j: number): void {
    this.denyPending[this.denyPendingN++] = j;
    if (this.denyPendingN === WARM) this.flushDenies(log);
  }

  /** The deny rows found while the log was read are read (the join): their memory back (foundN still counts them). */
  releaseDenies(): void {
    this.found = shrinkTo(this.found, 0);
  }

  /** The rows' slots are read (the join's lists are made): their memory back. */
  releaseRows(): void {
    this.slots = shrinkTo(this.slots, 0);
    this.more = shrinkTo(this.more, 0);
    this.slotN = shrinkTo(this.slotN, 0);
    this.added = shrinkTo(this.added, 0);
  }

  /** Room for row i in each array (each grows its own way: an eighth of its length at a time). */
  private room(i: number): void {
    if (i >= this.added.length) this.added = grow(this.added, i + 1);
    if (i >= this.slotN.length) this.slotN = grow(this.slotN, i + 1);
    if (2 * i + 2 > this.slots.length) this.slots = grow(this.slots, 2 * i + 2);
  }

  /** The pending rows' pairs read together (PairIndex.warm), then added. */
  private flush(log: PairedLog): void {
    const n = this.pendingN;
    if (n === 0) return;
    this.pendingN = 0;
    const { ends, xs, ys, index, tmp } = this;
    let pairs = 0;
    for (let k = 0; k < n; k++) pairs = connPairs(log, this.pending[k], ends, 4 * k, xs, ys, pairs);
    index.warm(xs, ys, pairs);
    for (let k = 0; k < n; k++) {
      const i = this.pending[k];
      this.room(i);
      const m = connSlots(index, ends, 4 * k, tmp);
      this.setSlots(i, m, tmp);
      this.added[i] = 1;
    }
  }

  /** Row i's m distinct slots (tmp), laid out as `slots` says. */
  private setSlots(i: number, m: number, tmp: Int32Array): void {
    this.slotN[i] = m;
    this.slots[2 * i] = tmp[0];
    if (m <= 2) {
      this.slots[2 * i + 1] = m === 2 ? tmp[1] : 0;
      return;
    }
    const p = this.moreN;
    if (p + 3 > this.more.length) this.more = grow(this.more, p + 3);
    for (let q = 1; q < m; q++) this.more[p + q - 1] = tmp[q];
    this.moreN = p + 3;
    this.slots[2 * i + 1] = -(p + 1);
  }

  /**
   * The pending deny rows' pairs looked up together: the index's filter first (most denies have a pair no connection
   * has), then the table for those it may have, read ahead (PairIndex.warm).
   */
  private flushDenies(log: PairedLog): void {
    const n = this.denyPendingN;
    this.denyPendingN = 0;
    const d = log.denies;
    const { xs, ys, index, denyPending: pending, denyRows: rows } = this;
    const v4 = (id: number) => log.names.isIpv4(id);
    let pairs = 0;
    for (let k = 0; k < n; k++) {
      const j = pending[k];
      if (!v4(d.srcAddr[j]) || !v4(d.dstAddr[j])) continue; // left to the join (normId may intern a name)
      const x = endpointCode(d.srcAddr[j], d.srcPort[j]);
      const y = endpointCode(d.dstAddr[j], d.dstPort[j]);
      if (!pairMayHave(index, x, y)) continue;
      rows[pairs] = j;
      xs[pairs] = x;
      ys[pairs++] = y;
    }
    index.warm(xs, ys, pairs);
    if (2 * (this.foundN + pairs) > this.found.length) this.found = grow(this.found, 2 * (this.foundN + pairs));
    const found = this.found;
    for (let k = 0; k < pairs; k++) {
      const s = pairFind(index, xs[k], ys[k]);
      if (s < 0) continue;
      found[2 * this.foundN] = rows[k];
      found[2 * this.foundN++ + 1] = s;
    }
  }
}

/** Slot q (below slotN[i]) of row i, from ConnPairs' `slots` and `more`. */
export function rowSlot(slots: Int32Array, more: Int32Array, i: number, q: number): number {
  if (q === 0) return slots[2 * i];
  const b = slots[2 * i + 1];
  return b >= 0 ? b : more[-b - 2 + q];
}

/**
 * Connection i's endpoint codes into `e` at `at`: client, client mapped, server, server mapped (a side without a
 * mapping: its real one again); then its pairs (real/mapped combinations) into xs/ys from `n`. Returns the new n.
 */
function connPairs(log: PairedLog, i: number, e: Float64Array, at: number, xs: Float64Array, ys: Float64Array, n: number): number {
  const c = log.conns;
  const c0 = (e[at] = endpointCode(log.normId(c.cAddr[i]), c.cPort[i]));
  const c1 = (e[at + 1] = c.cMapped[i] === NONE ? c0 : endpointCode(log.normId(c.cMapped[i]), c.cMappedPort[i]));
  const s0 = (e[at + 2] = endpointCode(log.normId(c.sAddr[i]), c.sPort[i]));
  const s1 = (e[at + 3] = c.sMapped[i] === NONE ? s0 : endpointCode(log.normId(c.sMapped[i]), c.sMappedPort[i]));
  for (let k = 0; k < 4; k++) {
    if ((k & 1 && s1 === s0) || (k & 2 && c1 === c0)) continue;
    xs[n] = k & 2 ? c1 : c0;
    ys[n++] = k & 1 ? s1 : s0;
  }
  return n;
}

/** The distinct pair slots of a connection (its endpoint codes in `e` at `at`, connPairs), added to the index. */
function connSlots(index: PairIndex, e: Float64Array, at: number, out: Int32Array): number {
  const c0 = e[at];
  const c1 = e[at + 1];
  const s0 = e[at + 2];
  const s1 = e[at + 3];
  let n = 0;
  for (let k = 0; k < 4; k++) {
    if ((k & 1 && s1 === s0) || (k & 2 && c1 === c0)) continue;
    const s = pairAdd(index, k & 2 ? c1 : c0, k & 1 ? s1 : s0);
    let dup = false;
    for (let m = 0; m < n; m++) if (out[m] === s) dup = true;
    if (!dup) out[n++] = s;
  }
  return n;
}
