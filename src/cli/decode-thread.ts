/**
 * The decoder thread of the command line (Node worker_threads; built to dist/cli/decode-thread.mjs beside
 * analyze.js): reads one pcap/pcapng file in slices and dissects its frames (decodeInput, the same code the
 * browser Worker and the single-threaded path run), handing each slice's TCP segments to the main thread as a batch
 * of typed arrays (cli/segment-batch.ts), while the main thread tracks connections. Buffers go back and forth
 * transferred, never copied: a fixed pool of them, so the thread never reads more than `pool` slices ahead. One
 * thread reads every input of a run, one after the other (a job each). Started by cli/threaded-decode.ts, which
 * documents when.
 */
import { parentPort } from 'node:worker_threads';
import { open } from 'node:fs/promises';
import { decodeInput } from '../decode/index';
import type { ByteSource } from '../lib/byte-source';
import { createProblemLog, type ProblemLog } from '../model/problems';
import type { TcpSegment } from '../model/segment';
import { BatchWriter, type Batch, type BatchBuffers } from './segment-batch';
import { BufferPool } from '../lib/buffer-pool';

export interface DecodeJob {
  path: string;
  name: string;
  size: number;
  input: number;
  sliceSize: number;
  /** Buffer sets in the pool (slices in flight: read ahead, being dissected, at the main thread). */
  pool: number;
  year?: number;
  date?: string;
  tz?: string;
}

/** The thread's last message. */
export interface DecodeDone {
  report: Awaited<ReturnType<typeof decodeInput>>;
  /** Problems past the log's cap (counted, not listed), so the main thread's log counts them too. */
  droppedWarnings: number;
  droppedErrors: number;
}

const port = parentPort!;
/** Jobs come one at a time (the main thread waits for each one's last message before sending the next). */
port.on('message', (m: { job: DecodeJob } | BatchBuffers) => {
  if ('job' in m) void run(m.job);
  else give(m);
});

const PACKETS = 8192;
let pool: BufferPool<BatchBuffers> | null = null;
function give(b: BatchBuffers): void {
  pool!.give(b);
}
/** A buffer set: a free one, a new one while the pool is not full, else the next one the main thread gives back. */
function take(job: DecodeJob): Promise<BatchBuffers> {
  pool ??= new BufferPool(job.pool, () => ({
    slice: new ArrayBuffer(job.sliceSize),
    words: new ArrayBuffer(PACKETS * 26 * 4),
    times: new ArrayBuffer(PACKETS * 16),
    side: new ArrayBuffer(64 * 1024),
  }));
  return pool.take();
}

let writer: BatchWriter | null = null;
let sliceLength = 0;
let bytesRead = 0;
let secrets: string[] = [];

/** Sends the batch of the slice just dissected (its buffers are gone from this thread until they come back). */
function flush(): void {
  if (!writer) return;
  const b = writer.buffers;
  const batch: Batch = { ...b, count: writer.count, sliceLength, sideLength: writer.sideLength, secrets, bytesRead };
  secrets = [];
  writer = null;
  port.postMessage(batch, [b.slice, b.words, b.times, b.side]);
}

async function run(job: DecodeJob): Promise<void> {
  const fh = await open(job.path, 'r');
  const size = job.size;
  const source: ByteSource = {
    name: job.name,
    size,
    async *slices(offset = 0, sliceSize = job.sliceSize) {
      for (let at = offset; at < size; ) {
        const bufs = await take(job);
        const n = Math.min(sliceSize, size - at);
        if (bufs.slice.byteLength < n) bufs.slice = new ArrayBuffer(sliceSize);
        const { bytesRead: got } = await fh.read(new Uint8Array(bufs.slice, 0, n), 0, n, at);
        if (got === 0) {
          give(bufs);
          break;
        }
        at += got;
        yield new Uint8Array(bufs.slice, 0, got);
        // Resumed: the reader (lib/record-stream.ts) has dissected every earlier slice and starts on this one now,
        // reading the next one meanwhile.
        flush();
        writer = new BatchWriter(bufs);
        sliceLength = got;
        bytesRead = at;
      }
    },
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = await fh.read(buf, got, n - got, offset + got);
        if (r.bytesRead === 0) break;
        got += r.bytesRead;
      }
      return buf.subarray(0, got);
    },
  };
  const sink = {
    segment: (s: TcpSegment) => writer!.add(s, false),
    streamOnly: (s: TcpSegment) => writer!.add(s, true),
  };
  const { log, dropped } = countingLog(job.name);
  try {
    const report = await decodeInput(
      source,
      job.input,
      {
        segments: sink,
        secrets: (text) => {
          secrets.push(text);
          return { secrets: 0, badLine: 0 }; // the main thread's key log counts them
        },
      },
      { problems: log, year: job.year, date: job.date, tz: job.tz },
    );
    flush();
    const done: DecodeDone = { report, droppedWarnings: dropped.warnings, droppedErrors: dropped.errors };
    port.postMessage(done);
  } finally {
    await fh.close(); // the main thread ends this thread once it has the last message
  }
}

/** A problem log that also counts what it dropped per list. */
function countingLog(name: string): { log: ProblemLog; dropped: { warnings: number; errors: number } } {
  const base = createProblemLog(name);
  const dropped = { warnings: 0, errors: 0 };
  const log: ProblemLog = {
    warnings: base.warnings,
    errors: base.errors,
    warn(m, w) {
      const before = base.warnings.length;
      base.warn(m, w);
      if (base.warnings.length === before) dropped.warnings++;
    },
    error(m, w) {
      const before = base.errors.length;
      base.error(m, w);
      if (base.errors.length === before) dropped.errors++;
    },
    get dropped() {
      return base.dropped;
    },
  };
  return { log, dropped };
}
