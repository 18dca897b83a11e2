/**
 * The connection table of a firewall log read alone, written to stdout on a thread of its own (Node worker_threads;
 * built to dist/cli/table-thread.mjs beside analyze.js, started by cli/threaded-table.ts): the main thread meanwhile
 * joins the log's denies to its connections and correlates them (analysis/firewall/join.ts), which that table does
 * not read: with no captured connection every row is a log-only connection, `syslog-k` for row k. The rows are
 * written by the same columns and blocks as on the main thread (cli/connection-columns.ts logOnlyTable,
 * cli/table-blocks.ts), from copies of the columns they read and the names' address codes, so the bytes are the same.
 * Stdout is written here with write(2), the main thread writing nothing until this thread says it is done: a
 * non-blocking pipe that is full (EAGAIN) is waited for, a reader gone (EPIPE) is reported and the main thread ends
 * the command quietly, as cli/stdout.ts does.
 */
import { parentPort } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { AddressCells } from './cell-text';
import { logOnlyTable, type LogOnlyConns } from './connection-columns';
import { writeBlocks } from './table-blocks';

/**
 * The table's rows: `count` connections and their columns (copies); per name id its address code (cell-text.ts
 * addressCodes), and for a name that is no IPv4 address (code 1) its normalised text.
 */
export interface TableJob {
  conns: LogOnlyConns;
  count: number;
  codes: Int32Array;
  texts: string[];
}

/**
 * The thread's messages: `writing` before its first byte goes out (a thread that fails before it leaves the table
 * to the main thread), then one of: the table is written, the reader is gone, or writing failed.
 */
export type TableDone = { writing: true } | { done: true } | { closed: true } | { error: string };

const DONE = Promise.resolve();
/** Slept on (1 ms at a time) while a non-blocking pipe is full. */
const pause = new Int32Array(new SharedArrayBuffer(4));

class Closed extends Error {}

let writing = false;

/** Writes the chunk to file descriptor 1 whole before returning (the block's buffer is reused after). */
function toFd1(chunk: Uint8Array | string): Promise<void> {
  if (!writing) port.postMessage({ writing: (writing = true) } satisfies TableDone);
  let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  while (b.length) {
    try {
      b = b.subarray(writeSync(1, b));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') throw new Closed();
      else throw e;
    }
  }
  return DONE;
}

const port = parentPort!;
port.once('message', (job: TableJob) => {
  // The texts are normalised already: each id is its own normalised one.
  const addresses = new AddressCells({ names: { list: job.texts }, normId: (id) => id }, job.codes);
  writeBlocks(logOnlyTable(job.conns, addresses, job.count), undefined, toFd1).then(
    () => port.postMessage({ done: true } satisfies TableDone),
    (e) => port.postMessage((e instanceof Closed ? { closed: true } : { error: (e as Error).message }) satisfies TableDone),
  );
});
