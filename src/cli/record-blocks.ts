/**
 * Runs of JSON records (a firewall log's log-only connections, or its denies) cut into blocks that the main thread
 * and the writer thread (cli/threaded-write.ts, cli/write-thread.ts) write alike: record i of a run is `sep` (`sep0`
 * for the first of the whole list), the record, then `end`, as cli/json-connections.ts and cli/output.ts write
 * them one by one.
 */
import { utf8, type JsonBytes } from '../lib/json-bytes';

/** A run of records to write, as sent to the writer thread (strings: it is cloned). */
export interface RecordRun {
  kind: 'conn' | 'deny';
  /** Records in the run: connection k = log-only connection k, deny j = deny j. */
  count: number;
  /** Index of the run's first record in the whole list (its separator is sep0 when that is 0). */
  base: number;
  /** The opening of a connection record in place of its `{` (a deny record opens with `{`). */
  head: string;
  sep0: string;
  sep: string;
  end: string;
  /** Records per block. */
  block: number;
}

/** A record writer failed: `index` is the record's in its run; what the block holds ends before that record. */
export class RecordError extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
  }
}

/** A run's fixed text as bytes, and the writer of its record i. */
export interface RunBytes {
  sep0: Uint8Array;
  sep: Uint8Array;
  end: Uint8Array;
  head: Uint8Array;
}

export function runBytes(r: RecordRun): RunBytes {
  return { sep0: utf8(r.sep0), sep: utf8(r.sep), end: utf8(r.end), head: utf8(r.head) };
}

export function blocksOf(r: RecordRun): number {
  return Math.ceil(r.count / r.block);
}

/**
 * Writes block b of run r into w: each record's separator, the record (`write(w, i)`), its end. A record that
 * throws is taken back whole (its separator stays, as in the one-thread writers) and a RecordError thrown.
 */
export function writeBlock(w: JsonBytes, r: RecordRun, t: RunBytes, b: number, write: (w: JsonBytes, i: number) => void): void {
  const to = Math.min(r.count, (b + 1) * r.block);
  for (let i = b * r.block; i < to; i++) {
    w.raw(r.base + i === 0 ? t.sep0 : t.sep);
    const at = w.n;
    try {
      write(w, i);
    } catch (e) {
      w.n = at;
      throw new RecordError(i, (e as Error)?.message ?? String(e));
    }
    if (t.end.length) w.raw(t.end);
  }
}
