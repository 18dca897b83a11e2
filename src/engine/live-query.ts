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
  /** FirewallConnColumns.seen of each row when it was filled. */
  private seenAt: Uint8Array;
  /** Rows filled before both their lines were read: they may change (pendingN of them). */
  private pending = new Uint32Array(1024);
  private pendingN = 0;

  constructor(private readonly log: FirewallLog, norm: (rawId: number) => number) {
    const { c, intern } = createFlowColumns(FIRST_CAPACITY, true);
    this.cols = { ...c, count: 0 };
    this.intern = intern;
    this.seenAt = new Uint8Array(FIRST_CAPACITY);
    this.fill = logConnRow(log, () => false, norm);
  }

  get columns(): FlowColumns {
    return this.cols;
  }

  /** Takes in the rows stored since, and fills again those that changed; returns the rows filled again. */
  catchUp(): Uint32Array {
    const seen = this.log.conns.seen;
    const changed: number[] = [];
    let kept = 0;
    for (let k = 0; k < this.pendingN; k++) {
      const row = this.pending[k];
      if (seen[row] !== this.seenAt[row]) {
        this.fillRow(row);
        changed.push(row);
      }
      if (seen[row] !== BOTH) this.pending[kept++] = row;
    }
    this.pendingN = kept;
    const n = this.log.conns.count;
    if (n > this.seenAt.length) this.grow(n);
    for (let row = this.cols.count; row < n; row++) {
      this.fillRow(row);
      if (seen[row] !== BOTH) this.addPending(row);
    }
    this.cols.count = n;
    return Uint32Array.from(changed);
  }

  private fillRow(row: number): void {
    this.fill(this.cols, this.intern, row, row);
    this.seenAt[row] = this.log.conns.seen[row];
  }

  private addPending(row: number): void {
    if (this.pendingN === this.pending.length) {
      const more = new Uint32Array(this.pending.length * 2);
      more.set(this.pending);
      this.pending = more;
    }
    this.pending[this.pendingN++] = row;
  }

  /** Room for n rows: the columns made again, twice as big, the rows so far copied, the same string pool. */
  private grow(n: number): void {
    let size = this.seenAt.length;
    while (size < n) size *= 2;
    const { c } = createFlowColumns(size, true);
    const old = this.cols as unknown as Record<string, { subarray(a: number, b: number): ArrayLike<number> }>;
    const next = c as unknown as Record<string, { set(a: ArrayLike<number>): void }>;
    for (const name of OWN) next[name].set(old[name].subarray(0, this.cols.count));
    this.cols = { ...c, count: this.cols.count, strings: this.cols.strings };
    const seenAt = new Uint8Array(size);
    seenAt.set(this.seenAt);
    this.seenAt = seenAt;
  }
}

/** The answer to one query on the rows so far, brought up to date as rows come. */
export class LiveAnswer {
  private key = '';
  private rows: Uint32Array = new Uint32Array(0);
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
    if (key !== this.key) {
      this.key = key;
      this.upto = 0;
      this.rows = new Uint32Array(0);
    }
    let kept = this.rows;
    const again = changed.filter((row) => row < this.upto);
    if (again.length) {
      const redo = new Uint8Array(this.upto);
      for (const row of again) redo[row] = 1;
      kept = kept.filter((row) => !redo[row]);
    }
    const fresh: number[] = [];
    for (const row of again) if (keep(row)) fresh.push(row);
    for (let row = this.upto; row < c.count; row++) if (keep(row)) fresh.push(row);
    this.rows = mergeRows(kept, sortFlowRows(Uint32Array.from(fresh), cmp), cmp);
    this.upto = c.count;
    return this.rows.slice(); // the answer goes to the page transferred: the kept one stays here
  }
}

/** Two runs sorted by `cmp` as one. */
function mergeRows(a: Uint32Array, b: Uint32Array, cmp: (x: number, y: number) => number): Uint32Array {
  if (!b.length) return a;
  if (!a.length) return b;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
