/**
 * The table of a firewall log while it is read (EngineApi.load `showRows`): the rows stored so far, each already the row it will be in the loaded table (engine/live-rows.ts). The page shows them about once a second
 * (the first ones at once) as a Loaded marked `live`, with no inputs (their reports come at the end), every row a
 * log-only connection. The query's sort and filters apply to the rows read so far (engine/live-query.ts), asked again
 * as rows come, one question at a time (askOneAtATime).
 */
import type { InputSpec, LoadProgress, LoadResult } from '../engine/api';
import { NO_REASON_KIND } from '../model/flow-table';
import type { Loaded } from './loaded';

/** How often the table of a log being read takes in the rows that came since. */
export const LIVE_EVERY_MS = 1000;

/**
 * Inputs this big or bigger show their rows as they come (as for the log decoder Worker, worker/nested-log.ts): a
 * smaller log is read in a second or two, and its table is better shown once, whole.
 */
export const LIVE_ROWS_BYTES = 32 << 20;

/** The bytes of a load's inputs. */
export function inputBytes(specs: readonly InputSpec[]): number {
  return specs.reduce((a, s) => a + (s.kind === 'blob' ? s.blob.size : s.kind === 'bytes' ? s.bytes.length : s.text.length), 0);
}

/**
 * The rows of a progress report (LoadProgress.liveRows) as a load in progress: every count the page shows of it comes
 * from this one report. `generation` tells this load's rows from another's (the ladders' cache key); the rows'
 * protocols (for the protocol filter) and their ends as the log gives them so far (the summary) are the report's.
 */
export function liveLoaded(p: LoadProgress, generation: number, from: Omit<Loaded, 'result' | 'live'>): Loaded {
  const n = p.liveRows ?? 0;
  const kindCounts = new Uint32Array(256);
  kindCounts[255] = n; // no close facts: connections known from the log only
  let logEnds = p.liveLogEnds;
  if (!logEnds) {
    logEnds = new Uint32Array(256);
    logEnds[NO_REASON_KIND] = n; // not said: counted as still open
  }
  const result: LoadResult = {
    inputs: [], summary: null, flows: { count: n, kindCounts, protocols: p.liveProtocols ?? [], logEnds },
    cancelled: false, elapsedMs: generation, packets: 0, tellingRow: null,
  };
  return { ...from, result, live: true, rowsKey: generation };
}

/**
 * Asks one question at a time: one asked while another is out waits, and of those waiting only the latest is asked
 * (rows come about once a second and a key typed each tenth of one, while the worker takes longer to answer some:
 * no pile of questions). Each answer is handed to its `use`, which knows whether what it answers still stands.
 */
export function askOneAtATime<T>(): (ask: () => Promise<T>, use: (answer: T) => void) => void {
  let out = false;
  let waiting: { ask: () => Promise<T>; use: (answer: T) => void } | null = null;
  const send = (ask: () => Promise<T>, use: (answer: T) => void): void => {
    out = true;
    ask().then(
      (answer) => use(answer),
      () => {},
    ).finally(() => {
      out = false;
      const next = waiting;
      waiting = null;
      if (next) send(next.ask, next.use);
    });
  };
  return (ask, use) => {
    if (out) waiting = { ask, use };
    else send(ask, use);
  };
}

/**
 * The progress reports of a load showing a log's rows, on their way to the page: the table (explorer.tsx), while it
 * listens, asks for its rows up to a report's count and shows the report with the answer, so that the table's count
 * is the page's other counts' and not pending for them every time rows come. `show` puts the report on the page (in
 * the same transition as the answer) and says whether it did: false once it no longer stands (the log read whole,
 * the load over), and then the answer is dropped too. With no table listening, a report is shown at once.
 */
export class ReportGate {
  private waiter: ((rows: number, show: () => boolean) => void) | null = null;

  offer(rows: number, show: () => boolean): void {
    if (this.waiter) this.waiter(rows, show);
    else show();
  }

  /** The table takes the reports from now on; the function returned lets them go by again. */
  listen(waiter: (rows: number, show: () => boolean) => void): () => void {
    this.waiter = waiter;
    return () => {
      if (this.waiter === waiter) this.waiter = null;
    };
  }
}
