/**
 * The sort and filters of the flow table on a firewall log still being read (engine/live-rows.ts): the rows stored
 * so far kept as flow-table columns that grow with the log (one fill per row, not per query), and the query's answer
 * kept up to date as rows come: the rows that came since the last answer (and the few that changed: a Teardown or
 * a Built read for a connection already shown) are tested and sorted alone, then merged into the answer, in the
 * query's total order (model/flow-table.ts flowRowOrder), so an answer on the rows so far is the loaded table's
 * answer on them. A new query is answered over all the rows so far.
 */
import type { FirewallLog } from '../analysis/firewall/log';
import {
  createFlowColumns, flowRowOrder, flowRowTest, sortFlowRows, type FlowColumns, type FlowQuery, type FlowQueryCache,
} from '../model/flow-table';
import { logConnRow } from './firewall-records';

const FIRST_CAPACITY = 1 << 12;
/** FirewallConnColumns.seen: Built (1) and Teardown (2) read; a row with both never changes again (firewall/log.ts). */
const BOTH = 3;

/** The columns that are not one zeroed buffer in a table with no packets (model/flow-table.ts createFlowColumns). */
const OWN = ['clientIp', 'clientPort', 'serverIp', 'serverPort', 'startUs', 'durationUs', 'kind', 'reason', 'reasonKind', 'marks', 'tcpStream', 'proto', 'message'] as const;

/** The log's connections so far as flow-table rows (row k: connection k), kept in step with the log when asked. */
export class LiveColumns {
  private cols: FlowColumns;
  private readonly intern: (s: string) => number;
  private readonly fill: ReturnType<typeof logConnRow>;
  /** Rows filled before both their lines were read: they may change (pendingN of them), with what was read then. */
  private pending = new Uint32Array(1024);
  private pendingSeen = new Uint8Array(1024);
  private pendingN = 0;
  /** How many rows the whole log may have (expect): the columns grow to it at once, not by doubling through it. */
  private expected = 0;

  constructor(private readonly log: FirewallLog, norm: (rawId: number) => number) {
    const { c, intern } = createFlowColumns(FIRST_CAPACITY, true);
    this.cols = { ...c, count: 0 };
    this.intern = intern;
    this.fill = logConnRow(log, () => false, norm);
  }

  get columns(): FlowColumns {
    return this.cols;
  }

  /** The log's size read so far and in all tells how many rows it may have in all. */
  expect(rows: number): void {
    this.expected = rows;
  }

  /** Takes in the rows stored since, and fills again those that changed; returns the rows filled again. */
  catchUp(): Uint32Array {
    const seen = this.log.conns.seen;
    const changed: number[] = [];
    let kept = 0;
    for (let k = 0; k < this.pendingN; k++) {
      const row = this.pending[k];
      if (seen[row] !== this.pendingSeen[k]) {
        this.fill(this.cols, this.intern, row, row);
        changed.push(row);
      }
      if (seen[row] === BOTH) continue;
      this.pending[kept] = row;
      this.pendingSeen[kept++] = seen[row];
    }
    this.pendingN = kept;
    const n = this.log.conns.count;
    if (n > this.cols.clientIp.length) this.grow(n);
    for (let row = this.cols.count; row < n; row++) {
      this.fill(this.cols, this.intern, row, row);
      if (seen[row] !== BOTH) this.addPending(row, seen[row]);
    }
    this.cols.count = n;
    return Uint32Array.from(changed);
  }

  private addPending(row: number, seen: number): void {
    if (this.pendingN === this.pending.length) {
      const more = new Uint32Array(this.pending.length * 2);
      more.set(this.pending);
      this.pending = more;
      const seenMore = new Uint8Array(more.length);
      seenMore.set(this.pendingSeen);
      this.pendingSeen = seenMore;
    }
    this.pendingSeen[this.pendingN] = seen;
    this.pending[this.pendingN++] = row;
  }

  /** The columns with room for n rows, what they hold left as it is (whatever takes them fills every row). */
  room(n: number): FlowColumns {
    if (n > this.cols.clientIp.length) this.cols = createFlowColumns(Math.max(n, FIRST_CAPACITY), true).c;
    return this.cols;
  }

  /** Room for n rows: the columns made again, twice as big, the rows so far copied, the same string pool. */
  private grow(n: number): void {
    // Grown while the log is small, to the rows it may have (a little more): no copy then of many rows into twice
    // their room at once.
    let size = Math.max(this.cols.clientIp.length * 2, Math.ceil(this.expected * 1.05));
    while (size < n) size *= 2;
    const { c } = createFlowColumns(size, true);
    const old = this.cols as unknown as Record<string, { subarray(a: number, b: number): ArrayLike<number> }>;
    const next = c as unknown as Record<string, { set(a: ArrayLike<number>): void }>;
    for (const name of OWN) next[name].set(old[name].subarray(0, this.cols.count));
    this.cols = { ...c, count: this.cols.count, strings: this.cols.strings };
  }
}

/** The answer to one query on the rows so far, brought up to date as rows come. */
export class LiveAnswer {
  private key = '';
  /** The answer is buf's first n entries; merged into spare, then the two swap (no new array per answer). */
  private buf = new Uint32Array(1024);
  private spare = new Uint32Array(1024);
  private n = 0;
  /** Rows 0..upto-1 are answered. */
  private upto = 0;
  private cache: FlowQueryCache = {};
  private pooled = 0;

  constructor(private readonly columns: LiveColumns) {}

  /** The rows so far that the query keeps, in its order. */
  answer(q: FlowQuery): Uint32Array {
    const changed = this.columns.catchUp();
    const c = this.columns.columns;
    // Pooled strings came: what the cache decided per pooled string (address ranks, a compiled search) is redone.
    if (c.strings.length !== this.pooled) [this.cache, this.pooled] = [{}, c.strings.length];
    const key = JSON.stringify(q);
    const keep = flowRowTest(c, q, this.cache);
    const cmp = flowRowOrder(c, q, this.cache);
    if (key !== this.key) [this.key, this.upto, this.n] = [key, 0, 0];
    // Rows answered that changed since (a few thousand at most): out of the answer, then tested again.
    const again = Array.from(changed).filter((row) => row < this.upto);
    if (again.length) {
      const redo = new Set(again);
      let w = 0;
      for (let k = 0; k < this.n; k++) if (!redo.has(this.buf[k])) this.buf[w++] = this.buf[k];
      this.n = w;
    }
    const fresh: number[] = [];
    for (const row of again) if (keep(row)) fresh.push(row);
    for (let row = this.upto; row < c.count; row++) if (keep(row)) fresh.push(row);
    this.merge(sortFlowRows(Uint32Array.from(fresh), cmp), cmp);
    this.upto = c.count;
    return this.buf.slice(0, this.n); // the answer goes to the page transferred: the kept one stays here
  }

  /** The answer and the sorted run `b` merged, in `cmp`'s order. */
  private merge(b: Uint32Array, cmp: (x: number, y: number) => number): void {
    if (!b.length) return;
    const a = this.buf;
    const total = this.n + b.length;
    if (this.spare.length < total) this.spare = new Uint32Array(Math.max(total, this.spare.length * 2));
    const out = this.spare;
    // The answer's rows before b's first are copied whole (a log read in time order adds most rows at the end).
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(a[mid], b[0]) <= 0) lo = mid + 1;
      else hi = mid;
    }
    out.set(a.subarray(0, lo));
    let i = lo;
    let j = 0;
    let k = lo;
    while (i < this.n && j < b.length) out[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
    if (i < this.n) out.set(a.subarray(i, this.n), k);
    else out.set(b.subarray(j), k);
    [this.buf, this.spare, this.n] = [out, a, total];
  }
}
