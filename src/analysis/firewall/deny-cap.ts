/**
 * A bound on the deny rows one flow can take: a log of one flow's denies (a flood of 106015 for one 4-tuple, GBs
 * of it) would otherwise grow the deny columns by a row per line. Past DENY_ROWS_PER_FLOW rows of the same flow
 * (device, message id, protocol, source and destination address and port), each further deny is counted into the repeat
 * count of that flow's last row (so every total and per-class count still adds up; it takes that row's time and
 * class) instead of a row of its own, and the first such line is named in a warning.
 */
import { grow, NONE, type FirewallDenyColumns, type Names } from '../../model/firewall-store';
import type { ProblemLog } from '../../model/problems';
import { NumMap } from './num-map';

export const DENY_ROWS_PER_FLOW = 100_000;

export class DenyFlowCap {
  private readonly flows = new NumMap();
  private lastRow = new Int32Array(1024);
  private rows = new Int32Array(1024);
  private capped = new Uint8Array(1024);
  private count = 0;

  constructor(readonly cap = DENY_ROWS_PER_FLOW) {}

  /**
   * Row i was just added to d: -1 to keep it, else the row to count it into (the flow is at its cap; the caller
   * drops row i). The first time a flow reaches its cap, a warning names `line`.
   */
  admit(d: FirewallDenyColumns, i: number, names: Names, problems: ProblemLog | null, line: number): number {
    if (d.srcNorm[i] === NONE || d.dstNorm[i] === NONE) return -1;
    let h1 = Math.imul(d.srcNorm[i] ^ 0x9e3779b9, 0x85ebca6b) ^ d.srcPort[i] ^ (d.proto[i] << 24);
    h1 = Math.imul(h1 ^ (h1 >>> 15), 0xc2b2ae35) ^ d.dstNorm[i];
    h1 = Math.imul(h1 ^ (h1 >>> 13), 0x27d4eb2d) ^ d.dstPort[i];
    let h2 = Math.imul(d.device[i] ^ 0x165667b1, 0x9e3779b1) ^ d.messageId[i];
    h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ h1;
    const key = (h1 >>> 0) * 1048576 + ((h2 ^ (h2 >>> 13)) & 0xfffff);
    const f = this.flows.get(key);
    if (f < 0) {
      const id = this.count++;
      if (id >= this.rows.length) {
        this.lastRow = grow(this.lastRow, id + 1);
        this.rows = grow(this.rows, id + 1);
        this.capped = grow(this.capped, id + 1);
      }
      this.flows.set(key, id);
      this.lastRow[id] = i;
      this.rows[id] = 1;
      return -1;
    }
    const r = this.lastRow[f];
    const same = d.srcNorm[r] === d.srcNorm[i] && d.srcPort[r] === d.srcPort[i] && d.dstNorm[r] === d.dstNorm[i] &&
      d.dstPort[r] === d.dstPort[i] && d.device[r] === d.device[i] && d.messageId[r] === d.messageId[i] && d.proto[r] === d.proto[i];
    if (!same) return -1; // another flow with the same hash: not counted against this one
    if (this.rows[f] < this.cap) {
      this.rows[f]++;
      this.lastRow[f] = i;
      return -1;
    }
    if (!this.capped[f]) {
      this.capped[f] = 1;
      const ep = (a: number, p: number) => (p >= 0 ? `${names.at(a)}/${p}` : names.at(a));
      problems?.warn(
        `more than ${this.cap} denies of one flow (${ep(d.srcAddr[i], d.srcPort[i])} to ${ep(d.dstAddr[i], d.dstPort[i])}): from this line on, ` +
        'each is counted with the last one listed instead of being listed (memory stays bounded)', { line });
    }
    return r;
  }
}
