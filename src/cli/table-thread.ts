/**
 * The table thread of a big firewall log (Node worker_threads; built to dist/cli/table-thread.mjs beside analyze.js,
 * started by cli/threaded-table.ts once the log is read). Two jobs, one after the other:
 *  - with no captured connection, the log's connection table, written to stdout here while the main thread joins the
 *    log's denies to its connections and correlates them, which that table does not read: every row is a log-only
 *    connection, `syslog-k` for row k. Stdout is written with write(2), the main thread writing nothing until this
 *    thread says it is done: a non-blocking pipe that is full (EAGAIN) is waited for, a reader gone (EPIPE) is
 *    reported and the main thread ends the command quietly, as cli/stdout.ts does;
 *  - once joined, blocks of the deny table, taken from a shared counter as the main thread takes others, each laid
 *    out from the widths known before it (cli/table-widths.ts) into a shared slot; the main thread writes them all to
 *    stdout in order.
 * The rows are written by the same columns and blocks as on the main thread (cli/connection-columns.ts logOnlyTable,
 * cli/deny-columns.ts denyRows, cli/table-blocks.ts) from the log's columns where they are (shared memory) and the
 * names' address codes, so the bytes are the same.
 */
import { parentPort } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { AddressCells } from './cell-text';
import { logOnlyTable, type LogOnlyConns } from './connection-columns';
import { denyRows, type DenyCols } from './deny-columns';
import { BlockLayout, writeBlocks } from './table-blocks';
import { KnownWidths } from './table-widths';
import { CTRL_NEXT, CTRL_SENT, CTRL_SLOT, type WriterSetup } from './write-slots';

/**
 * The log as the tables read it: its connection columns when this thread writes the connection table (null: the main
 * thread does), `count` connections; its deny columns and file names; per name id its address code (cell-text.ts
 * addressCodes) and, for a name that is no IPv4 address (code 1), its normalised text (`texts`) and its own (`names`).
 */
export interface TableJob {
  conns: LogOnlyConns | null;
  count: number;
  codes: Int32Array;
  texts: string[];
  names: string[];
  denies: DenyCols;
  files: string[];
  setup: WriterSetup;
}

/** The deny table's run: the join's connection of each deny, the report id table, blocks of `block` rows. */
export interface DenyRun {
  denyConn: Int32Array;
  idOf: Float64Array;
  title: string;
  block: number;
  known: SharedArrayBuffer;
}

/**
 * The thread's messages: `writing` before its first byte goes out (a thread that fails before it leaves the table
 * to the main thread), then one of: the table is written, the reader is gone, or writing failed.
 */
export type TableDone = { writing: true } | { done: true } | { closed: true } | { error: string };

/** Its messages on the setup's port during a deny run: block b in slot `slot` (n bytes, or its own buffer), or the end. */
export type DenyBlock = { b: number; slot: number; n: number; bytes?: ArrayBuffer; error?: string } | { ended: true };

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
let job: TableJob | null = null;
let addresses: AddressCells | null = null;

port.on('message', (m: { job: TableJob } | { run: DenyRun }) => {
  if ('job' in m) {
    job = m.job;
    // The texts are normalised already: each id is its own normalised one.
    addresses = new AddressCells({ names: { list: job.texts }, normId: (id) => id }, job.codes);
    if (!job.conns) return;
    writeBlocks(logOnlyTable(job.conns, addresses, job.count), undefined, toFd1).then(
      () => port.postMessage({ done: true } satisfies TableDone),
      (e) => port.postMessage((e instanceof Closed ? { closed: true } : { error: (e as Error).message }) satisfies TableDone),
    );
  } else denyBlocks(job!, addresses!, m.run);
});

/** A name's text: its own, or (an IPv4 address: not sent) made from its value. */
function nameText(j: TableJob, id: number): string {
  const v = j.codes[id];
  return j.names[id] ?? `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** A buffer of the thread's own, to transfer (never from Node's shared pool). */
const own = (size: number) => Buffer.from(new ArrayBuffer(size));

/** Lays out blocks of the deny table until none is left to take. */
function denyBlocks(j: TableJob, addresses: AddressCells, r: DenyRun): void {
  const { ctrl: ctrlBuffer, slots, slotBytes, slotCount, port: out } = j.setup;
  const ctrl = new Int32Array(ctrlBuffer);
  const send = (m: DenyBlock, transfer: ArrayBuffer[] = []) => {
    out!.postMessage(m, transfer);
    Atomics.add(ctrl, CTRL_SENT, 1);
    Atomics.notify(ctrl, CTRL_SENT);
  };
  const rows = denyRows({ d: j.denies, nameText: (id) => nameText(j, id), addresses, files: j.files, denyConn: r.denyConn, idOf: r.idOf });
  const layout = new BlockLayout(rows, r.title, r.block);
  const blocks = layout.blocks;
  const known = new KnownWidths(r.known, blocks, rows.head.length);
  for (let seq = 0; ; seq++) {
    const s = seq % slotCount;
    // A slot first (free once the main thread has written its block to stdout), then a block: a block taken is laid
    // out at once, never held while the main thread waits for it.
    while (Atomics.compareExchange(ctrl, CTRL_SLOT + s, 0, 1) !== 0) Atomics.wait(ctrl, CTRL_SLOT + s, 1);
    const b = Atomics.add(ctrl, CTRL_NEXT, 1);
    if (b >= blocks) {
      Atomics.store(ctrl, CTRL_SLOT + s, 0);
      break;
    }
    let bytes: Uint8Array;
    try {
      const widths = known.before(b, rows.head);
      bytes = layout.layout(b, widths);
      known.set(b, widths);
    } catch (e) {
      send({ b, slot: s, n: 0, error: String(e) }); // the main thread lays it out (and meets the error) itself
      break;
    }
    if (bytes.length <= slotBytes) {
      new Uint8Array(slots, s * slotBytes, bytes.length).set(bytes);
      send({ b, slot: s, n: bytes.length });
    } else {
      const copy = own(bytes.length);
      copy.set(bytes);
      send({ b, slot: s, n: bytes.length, bytes: copy.buffer }, [copy.buffer]);
    }
  }
  send({ ended: true });
}
