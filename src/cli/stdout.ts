/**
 * analyze's one way to standard output: the readable tables (cli/table-blocks.ts), --json and --ndjson (cli/
 * text-out.ts), the summary and --explain text (cli/output.ts) all hand their chunks to `toStdout` (the tables and
 * JSON through text-out.ts to `toStdoutBehind`, the same on another thread). A chunk is
 * written with write(2) on file descriptor 1 (fs.writeSync) before toStdout returns, so the writer may reuse its
 * buffer at once, and a slow reader of a pipe holds the command back (the write blocks) instead of letting chunks
 * pile up in memory. process.stdout is not used on that path: its getter loads Node's stream, net and tty modules,
 * a fifth of what a tiny capture's run costs over bare node (bench/lib/startup.ts).
 * Two cases need more:
 *  - a pipe that another process left non-blocking (O_NONBLOCK belongs to the pipe, shared by every process that
 *    holds it: a Node parent that wrote to it, for one): a full pipe answers EAGAIN. The rest of that chunk and every
 *    later one then go through process.stdout, which waits for the pipe to drain, each chunk resolving once stdout
 *    has called back for it;
 *  - a reader that stops early (`| head`) closes the pipe (EPIPE): the command then stops quietly with exit code 0,
 *    as other command-line tools do. Any other error is thrown to the writer.
 */
import { write, writeSync } from 'node:fs';

/** Where a writer's chunks go: resolves once the chunk is written and its buffer may be reused. */
export type Out = (chunk: Uint8Array | string) => Promise<void>;

const DONE = Promise.resolve();
/** Set once a write met EAGAIN: process.stdout, which waits for the pipe to drain, writes from then on. */
let slow: Out | null = null;

/** Writes `chunk` to stdout; resolves when it is written (or the command ends on a closed pipe). */
export const toStdout: Out = (chunk) => {
  if (slow) return slow(chunk);
  let bytes: Uint8Array | null = null;
  try {
    if (typeof chunk === 'string') {
      const n = writeSync(1, chunk);
      if (n === Buffer.byteLength(chunk)) return DONE;
      bytes = Buffer.from(chunk).subarray(n); // a write cut short (a non-blocking pipe): the rest as bytes
    } else bytes = chunk;
    while (bytes.length) bytes = bytes.subarray(writeSync(1, bytes));
    return DONE;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') closedPipe();
    if (code !== 'EAGAIN') throw e;
    slow = throughStream();
    // A string's part already written is not known when its first write failed; its bytes are (written then 0).
    return slow(bytes ?? chunk);
  }
}

/**
 * toStdout with write(2) done on libuv's thread pool (fs.write), for a writer that fills another buffer meanwhile
 * (cli/text-out.ts keeps two): the chunk's bytes are copied out on the other core, not on the thread making the
 * records (--ndjson of a 5 M-line log: ~1.4 GB, ~3 CPU-s of write(2) into the page cache). The chunk must not change
 * until the promise resolves; the writer hands over the next one only then (one write at a time, in order, and a
 * slow reader still holds the writer back). Strings, a non-blocking pipe's EAGAIN and what follows it go toStdout's
 * way; EPIPE ends the command quietly as there.
 */
export const toStdoutBehind: Out = (chunk) => {
  if (slow || typeof chunk === 'string') return toStdout(chunk);
  return new Promise<void>((done, fail) => {
    const next = (bytes: Uint8Array) =>
      write(1, bytes, 0, bytes.length, null, (e, n) => {
        if (!e) return n < bytes.length ? next(bytes.subarray(n)) : done();
        if (e.code === 'EAGAIN') toStdout(bytes).then(done, fail);
        else if (e.code === 'EPIPE') closedPipe();
        else fail(e);
      });
    next(chunk);
  });
};

/** The command ends quietly: the reader is gone. */
function closedPipe(): never {
  process.exit(0);
}

/** process.stdout as an Out: each chunk resolves once stdout has called back for it. */
function throughStream(): Out {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closedPipe();
    throw e;
  });
  return (chunk) => new Promise<void>((done) => void process.stdout.write(chunk, () => done()));
}
