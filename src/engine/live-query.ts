/**
 * The sort and filters of the flow table on a firewall log still being read (engine/live-rows.ts), and the query's
 * answer kept up to date as rows come: the rows that came since the last answer (and the few that changed: a
 * Teardown or a Built read for a connection already answered) are tested and sorted alone, then merged into the
 * answer, in the query's total order (model/flow-table.ts flowRowOrder), so an answer on the rows so far is the
 * loaded table's answer on them. A new query is answered over all the rows so far. The table's own order (by start,
 * no filter) is read from the log's columns; a filter or another sort needs the rows as flow-table columns, made
 * then (LiveColumns: one fill per row, not per query) and kept while such a query is asked (the worker's memory).
 */
import type { FirewallLog } from '../analysis/firewall/log';
import {
  createFlowColumns, sortFlowRows, type FlowColumns, type FlowQuery,
} from '../model/flow-table';
import { logConnRow } from './firewall-records';
import { reportedUs } from '../analysis/connection-report';

const FIRST_CAPACITY = 1 << 12;
/** FirewallConnColumns.seen: Built (1) and Teardown (2) read; a row with both never changes again (firewall/log.ts). */
const BOTH = 3;

/** The columns that are not one zeroed buffer in a table with no packets (model/flow-table.ts createFlowColumns). */
const OWN = ['clientIp', 'clientPort', 'serverIp', 'serverPort', 'startUs', 'durationUs', 'kind', 'reason', 'reasonKind', 'marks', 'tcpStream', 'proto', 'message'] as const;

/** The log's rows taken in so far, and those of them read before both their lines: they may still change. */
export class PendingRows {
  private rows = new Uint32Array(1024);
  /** FirewallConnColumns.seen of each pending row when it was taken in. */
  private seenAt = new Uint8Array(1024);
  private n = 0;
  /** Rows 0..upto-1 are taken in. */
  upto = 0;

  constructor(private readonly log: FirewallLog) {}

  /** Takes in the rows stored since (`take`, each), and those that changed again (`take`); returns the latter. */
  catchUp(take: (row: number) => void = () => {}): Uint32Array {
    const seen = this.log.conns.seen;
    const changed: number[] = [];
    let kept = 0;
    for (let k = 0; k < this.n; k++) {
      const row = this.rows[k];
      if (seen[row] !== this.seenAt[k]) {
        take(row);
        changed.push(row);
      }
      if (seen[row] === BOTH) continue;
      this.rows[kept] = row;
      this.seenAt[kept++] = seen[row];
    }
    this.n = kept;
    const count = this.log.conns.count;
    for (let row = this.upto; row < count; row++) {
      take(row);
      if (seen[row] !== BOTH) this.add(row, seen[row]);
    }
    this.upto = count;
    return Uint32Array.from(changed);
  }

  private add(row: number, seen: number): void {
    if (this.n === this.rows.length) {
      const more = new Uint32Array(this.rows.length * 2);
      more.set(this.rows);
      this.rows = more;
      const seenMore = new Uint8Array(more.length);
      seenMore.set(this.seenAt);
      this.seenAt = seenMore;
    }
    this.seenAt[this.n] = seen;
    this.rows[this.n++] = row;
  }
}

/** The log's connections so far as flow-table rows (row k: connection k), kept in step with the log when asked. */
export class LiveColumns {
  private cols: FlowColumns;
  private readonly intern: (s: string) => number;
  private readonly fill: ReturnType<typeof logConnRow>;
  private readonly pending: PendingRows;

  /** `expected`: how many rows the whole log may have (LiveLogRows.expect): the columns grow to it at once. */
  constructor(private readonly log: FirewallLog, norm: (rawId: number) => number, private expected = 0) {
    const { c, intern } = createFlowColumns(FIRST_CAPACITY, true);
    this.cols = { ...c, count: 0 };
    this.intern = intern;
    this.fill = logConnRow(log, () => false, norm);
    this.pending = new PendingRows(log);
  }

  get columns(): FlowColumns {
    return this.cols;
  }

  expect(rows: number): void {
    this.expected = rows;
  }

  /** Takes in the rows stored since, and fills again those that changed; returns the rows filled again. */
  catchUp(): Uint32Array {
    const n = this.log.conns.count;
    if (n > this.cols.clientIp.length) this.grow(n);
    const changed = this.pending.catchUp((row) => this.fill(this.cols, this.intern, row, row));
    this.cols.count = n;
    return changed;
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
  /** A byte per row answered, 1 for a row answered again (all 0 between answers). */
  private redo = new Uint8Array(0);

  /**
   * The rows 0..count-1 that `keep` keeps, in `cmp`'s order, for the query `key` (another key: answered anew);
   * `changed`: rows that changed since the last answer (they are tested again).
   */
  answer(key: string, count: number, changed: Uint32Array, keep: (row: number) => boolean, cmp: (a: number, b: number) => number): Uint32Array {
    // Another query, or fewer rows than answered (asked up to a count below it: EngineApi.query upTo): anew.
    if (key !== this.key || count < this.upto) [this.key, this.upto, this.n] = [key, 0, 0];
    // Rows answered that changed since (a few thousand at most): out of the answer, then tested again.
    const again = Array.from(changed).filter((row) => row < this.upto);
    if (again.length) {
      // Marked in a byte per row, not a Set: the pass reads every row of the answer (up to the whole log's).
      if (this.redo.length < this.upto) this.redo = new Uint8Array(Math.max(this.upto, this.redo.length * 2));
      const redo = this.redo;
      for (const row of again) redo[row] = 1;
      let w = 0;
      for (let k = 0; k < this.n; k++) if (!redo[this.buf[k]]) this.buf[w++] = this.buf[k];
      this.n = w;
      for (const row of again) redo[row] = 0;
    }
    const fresh: number[] = [];
    for (const row of again) if (keep(row)) fresh.push(row);
    for (let row = this.upto; row < count; row++) if (keep(row)) fresh.push(row);
    this.merge(sortFlowRows(Uint32Array.from(fresh), cmp), cmp);
    this.upto = count;
    return this.buf.slice(0, this.n); // the answer goes to the page transferred: the kept one stays here
  }

  /**
   * The answer and the sorted run `b` merged, in `cmp`'s order: for each of b's rows the answer's rows before it are
   * found by galloping (runEnd) and copied whole. b's rows are the new ones (most after every row answered: a log is
   * read in time order) and the changed ones (a few thousand, scattered), so the runs are long and few, and the
   * answer's rows are not each compared, as a row-by-row merge does (up to the whole log's rows, every answer).
   */
  private merge(b: Uint32Array, cmp: (x: number, y: number) => number): void {
    if (!b.length) return;
    const a = this.buf;
    const n = this.n;
    const total = n + b.length;
    if (this.spare.length < total) this.spare = new Uint32Array(Math.max(total, this.spare.length * 2));
    const out = this.spare;
    let i = 0;
    let k = 0;
    for (let j = 0; j < b.length; j++) {
      const x = b[j];
      const end = runEnd(a, i, n, x, cmp);
      if (end - i > 16) {
        out.set(a.subarray(i, end), k);
        k += end - i;
        i = end;
      } else while (i < end) out[k++] = a[i++];
      out[k++] = x;
    }
    if (i < n) out.set(a.subarray(i, n), k);
    [this.buf, this.spare, this.n] = [out, a, total];
  }
}

/**
 * The end of the run of rows a[lo..hi) that `cmp` puts at or before x: the first index whose row comes after x (hi
 * when none). Galloping from lo (1, 2, 4, ... rows on), then a binary search: few compares for a short run, log2 of
 * its length for a long one.
 */
export function runEnd(a: Uint32Array, lo: number, hi: number, x: number, cmp: (p: number, q: number) => number): number {
  let step = 1;
  let from = lo;
  while (lo + step - 1 < hi && cmp(a[lo + step - 1], x) <= 0) {
    from = lo + step;
    step *= 2;
  }
  // a[from - 1] is at or before x (or from is lo); a[to] comes after it (or to is hi).
  let to = Math.min(hi, lo + step - 1);
  while (from < to) {
    const mid = (from + to) >>> 1;
    if (cmp(a[mid], x) <= 0) from = mid + 1;
    else to = mid;
  }
  return from;
}

/** Whether the query is the table's own order: by start, no filter (read from the log's columns: startOrder). */
export function byStartAlone(q: FlowQuery): boolean {
  return q.sort === 'start' && !q.kinds.length && q.initiator === 'any' && !q.address.trim() && !q.text.trim() &&
    q.fromUs == null && q.toUs == null && !q.denyClasses && !q.protocols?.length && !q.messages?.length &&
    !q.reasonKinds?.length;
}

/**
 * The rows `taken` in so far and those changed since (PendingRows.catchUp), and flowRowOrder's order by start read
 * from the log's columns: the start a row states (engine/firewall-records.ts logConnRow), then the row.
 */
export function startOrder(log: FirewallLog, taken: PendingRows, desc: boolean): { count: number; changed: Uint32Array; cmp: (a: number, b: number) => number } {
  const changed = taken.catchUp();
  const starts = log.conns.startUs;
  const start = (i: number) => {
    const us = reportedUs(starts[i]);
    return Number.isFinite(us) ? us : 0;
  };
  const dir = desc ? -1 : 1;
  return { count: taken.upto, changed, cmp: (a, b) => (start(a) - start(b)) * dir || a - b };
}

