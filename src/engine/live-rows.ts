/**
 * The flow table while a firewall log is still being read, for the page to show rows as they come (as Wireshark
 * does): the log's connections stored so far, read straight from its columns as they grow, in log order. Only for a
 * load with no packets: then the final table's row k is the log's connection k (every connection is log-only,
 * analysis/firewall/correlate.ts), so a row the user selected stays the same connection when the load ends.
 * What can still change until then: the denies joined to a connection (joined at the end: no row is marked denied
 * yet), the teardown of one still open, its times. Nothing is copied: a window of rows is made when asked for, as
 * the loaded table's are (model/flow-window.ts), and a row's ladder from the log's columns as its log-only report.
 * Addresses are normalised without interning a name (the store interns names in stream order only).
 */
import type { FirewallLog } from '../analysis/firewall/log';
import type { FirewallJoin } from '../analysis/firewall/join';
import { normalIp } from '../analysis/firewall/keys';
import { LogOnlyConnections } from '../analysis/firewall/log-only';
import { createFlowColumns, type FlowColumns } from '../model/flow-table';
import { MAX_WINDOW_ROWS, protocolsSeen } from '../model/flow-window';
import type { LadderData } from '../render/ladder-types';
import { logConnRow } from './firewall-records';
import { byStartAlone, LiveAnswer, LiveColumns, PendingRows, startOrder } from './live-query';
import { flowRowOrder, flowRowTest, NO_REASON_KIND, type FlowQuery, type FlowQueryCache } from '../model/flow-table';

/** No denies joined (they are joined once the whole log is read). */
const NO_JOIN: FirewallJoin = {
  pairs: null, denyConn: new Int32Array(0), denyClass: new Uint8Array(0), connDenyStart: new Int32Array(0),
  connDenyList: new Int32Array(0), byClass: [], noConnectionLogging: false,
};

/** The ladder's title says what it shows is not final: a teardown or deny may still come. */
export const LIVE_ORIGIN = 'the log as read so far: still loading';

export class LiveLogRows {
  private readonly fill: ReturnType<typeof logConnRow>;
  /** The log as the reports read it, with an address normalisation that never interns. */
  private readonly view: FirewallLog;
  private reports: LogOnlyConnections | null = null;
  private identity = new Int32Array(0);

  constructor(readonly log: FirewallLog) {
    const names = log.names;
    // Each name's normal form's id + 1, once per name (0: not yet).
    let normal = new Int32Array(1024);
    const norm = (raw: number): number => {
      const text = names.list[raw];
      if (text === undefined) return raw;
      if (raw < normal.length && normal[raw]) return normal[raw] - 1;
      const n = normalIp(text);
      const id = n === text ? raw : names.find(n);
      const to = id >= 0 ? id : raw;
      // A name not found normalised may be read later: only a name that is its own normal form, or one found, is kept.
      if (id < 0) return to;
      if (raw >= normal.length) {
        const more = new Int32Array(Math.max(raw + 1, normal.length * 2));
        more.set(normal);
        normal = more;
      }
      normal[raw] = to + 1;
      return to;
    };
    this.view = Object.create(log, { normId: { value: norm } }) as FirewallLog;
    this.fill = logConnRow(log, () => false, norm, true);
    this.norm = norm;
    this.taken = new PendingRows(log);
  }

  private readonly norm: (rawId: number) => number;
  /** The rows as flow-table columns while a query needs them (a filter, a sort other than by start). */
  private columns: LiveColumns | null = null;
  private cache: FlowQueryCache = {};
  private pooled = 0;
  /** The rows taken in for the table's own order (startOrder). */
  private readonly taken: PendingRows;
  private readonly answers = new LiveAnswer();
  private expected = 0;
  private released = false;

  /**
   * The rows so far that query `q` keeps, in its order (engine/live-query.ts); null once the log is read whole
   * (release): then the loaded table answers. `upTo`: only rows below it (the rows the page was told of: its counts
   * and the table's agree), when fewer than have been read.
   */
  query(q: FlowQuery, upTo = Infinity): Uint32Array | null {
    if (this.released) return null;
    const key = JSON.stringify(q);
    if (byStartAlone(q)) {
      this.columns = null; // their memory back
      const { count, changed, cmp } = startOrder(this.log, this.taken, q.desc);
      return this.answers.answer(key, Math.min(count, upTo), changed, () => true, cmp);
    }
    this.columns ??= new LiveColumns(this.log, this.norm, this.expected);
    const changed = this.columns.catchUp();
    const c = this.columns.columns;
    // Pooled strings came: what the cache decided per pooled string (address ranks, a compiled search) is redone.
    if (c.strings.length !== this.pooled) [this.cache, this.pooled] = [{}, c.strings.length];
    return this.answers.answer(key, Math.min(c.count, upTo), changed, flowRowTest(c, q, this.cache), flowRowOrder(c, q, this.cache));
  }

  /** How many rows the whole log may have, from how much of it is read (LiveColumns.expect). */
  expect(rows: number): void {
    this.expected = rows;
    this.columns?.expect(rows);
  }

  /** The protocols of the rows so far (FlowOverview.protocols: [] when every one is TCP). */
  protocols(): number[] {
    const proto = this.log.conns.proto;
    const n = this.count;
    for (; this.scanned < n; this.scanned++) this.protos[proto[this.scanned]] = 1;
    return protocolsSeen(this.protos);
  }

  private readonly protos = new Uint8Array(256);
  private scanned = 0;

  /**
   * The rows so far per teardown reason code, as the loaded table's FlowOverview.logEnds counts them (a row without
   * a Teardown yet under NO_REASON_KIND): what the log says so far of how they ended, at most one count per report.
   * A row's Teardown, once stored, never changes (FirewallLog adds a Teardown only to a row without one, or a new
   * row), so a closed row is counted once for good (`ended`) and only the rows still open and the new ones are
   * read again. Every row read at every report (PROGRESS_EVERY_MS) was 3-5% of the engine worker's samples during
   * the load of u5m.log in the page (bench/log-browser.ts --profile), 0.4% so.
   */
  logEnds(): Uint32Array {
    const { seen, tdReasonCode } = this.log.conns;
    const ended = this.ended;
    let open = this.openRows;
    let k = 0;
    for (let j = 0; j < this.openCount; j++) {
      const i = open[j];
      if (seen[i] & 2) ended[tdReasonCode[i]]++;
      else open[k++] = i;
    }
    const n = this.count;
    for (let i = this.endsScanned; i < n; i++) {
      if (seen[i] & 2) ended[tdReasonCode[i]]++;
      else {
        if (k === open.length) {
          const more = new Uint32Array(Math.max(1024, open.length * 2));
          more.set(open);
          open = this.openRows = more;
        }
        open[k++] = i;
      }
    }
    this.openCount = k;
    this.endsScanned = n;
    const ends = ended.slice();
    ends[NO_REASON_KIND] += k;
    return ends;
  }

  /** logEnds(): the rows found closed, by reason code; the rows still open (openCount of them); rows read so far. */
  private readonly ended = new Uint32Array(256);
  private openRows = new Uint32Array(1024);
  private openCount = 0;
  private endsScanned = 0;

  /**
   * The log is read: the columns go, before the loaded table's are made; returned with room for `rows` rows, for
   * the loaded table to take their memory (the worker would hold both a moment: tens of MB on a big log); null for
   * 0 rows (a table with packets: it cannot take them), or when no query needed them.
   */
  release(rows: number): FlowColumns | null {
    const room = (rows > 0 && this.columns?.room(rows)) || null;
    this.columns = null;
    // logEnds' list of open rows goes too (a count asked after this starts over).
    this.openRows = new Uint32Array(1024);
    this.openCount = this.endsScanned = 0;
    this.ended.fill(0);
    this.released = true;
    return room;
  }

  /** Rows so far. */
  get count(): number {
    return this.log.conns.count;
  }

  /** The columns of these rows (at most MAX_WINDOW_ROWS), entry k for rows[k]; a row not read yet comes back empty. */
  window(rows: Uint32Array): FlowColumns {
    const n = Math.min(rows.length, MAX_WINDOW_ROWS);
    const { c, intern } = createFlowColumns(n);
    c.kind.fill(255);
    const count = this.count;
    for (let k = 0; k < n; k++) if (rows[k] < count) this.fill(c, intern, k, rows[k]);
    return c;
  }

  /** The ladder of row `row` as its log-only report states it so far (no packets); null past the rows read. */
  ladder(row: number): LadderData | null {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) return null;
    if (this.identity.length <= row) {
      this.identity = new Int32Array(Math.max(row + 1, this.identity.length * 2, 1024)).map((_, k) => k);
      this.reports = null;
    }
    this.reports ??= new LogOnlyConnections(this.view, NO_JOIN, this.identity);
    const connection = this.reports.at(row);
    return connection ? { connection, packets: [], totalPackets: 0, origin: LIVE_ORIGIN } : null;
  }
}
