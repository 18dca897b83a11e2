/**
 * A bound on the deny rows one flow can take: a log of one flow's denies (a flood of 106015 for one 4-tuple, GBs
 * of it) would otherwise grow the deny columns by a row per line. Past DENY_ROWS_PER_FLOW rows of the same flow
 * (device, message id, protocol, source and destination address and port), each further deny is counted into the repeat
 * count of that flow's last row (so every total and per-class count still adds up; it takes that row's time and
 * class) instead of a row of its own, and the first such line is named in a warning.
 * The counts live in a fixed table (WAYS places per bucket of a flow hash, under a megabyte whatever the log), not
 * one entry per flow: a log of a million distinct flows would otherwise keep a million counters. A new flow takes
 * a free place in its bucket, else the place of the flow with the fewest rows there (never a flow at its cap), so
 * a flood keeps its place among the one-off flows around it; only when every place of its bucket holds a flow at
 * its cap is a new flow not counted.
 */
import { NONE, type FirewallDenyColumns, type Names } from '../../model/firewall-store';
import type { ProblemLog } from '../../model/problems';

/** What the cap reads of the firewall log (log.ts's FirewallLog). */
export interface DenyRowsOf {
  readonly denies: FirewallDenyColumns;
  readonly names: Names;
  readonly problems: ProblemLog | null;
  normId(rawId: number): number;
}

export const DENY_ROWS_PER_FLOW = 100_000;

const BUCKETS = 4096;
const WAYS = 8;

/** In a place's count word: the flow was warned about (the rows below it). */
const WARNED = 1 << 30;
const ROWS = WARNED - 1;

export class DenyFlowCap {
  /**
   * Per place: the flow's hash key (-1: free); its last row and its rows so far (| WARNED once warned about), side
   * by side (a bucket's keys are one cache line, its rows another). Made at the first deny (a third of a megabyte):
   * every run has a firewall log object, most have no deny at all.
   */
  private keys = new Float64Array(0);
  private meta = new Int32Array(0);

  constructor(readonly cap = DENY_ROWS_PER_FLOW) {}

  private allocate(): void {
    this.keys = new Float64Array(BUCKETS * WAYS).fill(-1);
    this.meta = new Int32Array(BUCKETS * WAYS * 2);
  }

  /**
   * Row i was just added to d: -1 to keep it, else the row to count it into (the flow is at its cap; the caller
   * drops row i). The first time a flow reaches its cap, a warning names `line`.
   */
  admit(log: DenyRowsOf, i: number, line: number): number {
    const d = log.denies;
    if (d.srcAddr[i] === NONE || d.dstAddr[i] === NONE) return -1;
    if (this.keys.length === 0) this.allocate();
    const src = log.normId(d.srcAddr[i]);
    const dst = log.normId(d.dstAddr[i]);
    let h1 = Math.imul(src ^ 0x9e3779b9, 0x85ebca6b) ^ d.srcPort[i] ^ (d.proto[i] << 24);
    h1 = Math.imul(h1 ^ (h1 >>> 15), 0xc2b2ae35) ^ dst;
    h1 = Math.imul(h1 ^ (h1 >>> 13), 0x27d4eb2d) ^ d.dstPort[i];
    let h2 = Math.imul(d.device[i] ^ 0x165667b1, 0x9e3779b1) ^ d.messageId[i];
    h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ h1;
    h2 ^= h2 >>> 13;
    const key = (h1 >>> 0) * 1048576 + (h2 & 0xfffff);
    const base = ((h2 >>> 20) & (BUCKETS - 1)) * WAYS;
    const keys = this.keys;
    const meta = this.meta;
    let f = -1;
    let free = -1;
    let fewest = -1;
    for (let w = base; w < base + WAYS; w++) {
      const k = keys[w];
      if (k === key) {
        f = w;
        break;
      }
      if (k < 0) {
        if (free < 0) free = w;
      } else if (fewest < 0 || (meta[2 * w + 1] & ROWS) < (meta[2 * fewest + 1] & ROWS)) fewest = w;
    }
    if (f < 0) {
      const w = free >= 0 ? free : fewest;
      if (free < 0 && (meta[2 * w + 1] & ROWS) >= this.cap) return -1; // every place holds a flow at its cap
      keys[w] = key;
      meta[2 * w] = i;
      meta[2 * w + 1] = 1;
      return -1;
    }
    const r = meta[2 * f];
    const same = log.normId(d.srcAddr[r]) === src && d.srcPort[r] === d.srcPort[i] && log.normId(d.dstAddr[r]) === dst &&
      d.dstPort[r] === d.dstPort[i] && d.device[r] === d.device[i] && d.messageId[r] === d.messageId[i] && d.proto[r] === d.proto[i];
    if (!same) return -1; // another flow with the same hash: not counted against this one
    const rows = meta[2 * f + 1];
    if ((rows & ROWS) < this.cap) {
      meta[2 * f + 1] = rows + 1;
      meta[2 * f] = i;
      return -1;
    }
    if (!(rows & WARNED)) {
      meta[2 * f + 1] = rows | WARNED;
      const ep = (a: number, p: number) => (p >= 0 ? `${log.names.at(a)}/${p}` : log.names.at(a));
      log.problems?.warn(
        `more than ${this.cap} denies of one flow (${ep(d.srcAddr[i], d.srcPort[i])} to ${ep(d.dstAddr[i], d.dstPort[i])}): from this line on, ` +
        'each is counted with the last one listed instead of being listed (memory stays bounded)', { line });
    }
    return r;
  }
}
