/**
 * The log decoder thread of the command line (Node worker_threads; built to dist/cli/log-thread.mjs beside
 * analyze.js): decodes firewall log files into record batches (engine/log-batches.ts) while the main thread pairs and
 * stores them (cli/threaded-log.ts). Buffers go back and forth transferred from a fixed pool. One thread reads
 * every log input of a run, one after the other (a job each).
 */
import { parentPort } from 'node:worker_threads';
import { createNodeFileSource } from './node-file-source';
import { BufferPool } from '../lib/buffer-pool';
import { readingAhead } from '../lib/byte-source';
import { BATCH, decodeLogBatches, type LogJob } from '../engine/log-batches';
import { recordBuffers, type RecordBuffers } from '../engine/record-batch';
import type { InputReport } from '../model/report';
import { useNodeAscii } from './node-ascii';
import { useNativeGunzip } from './native-gunzip';

useNodeAscii();
useNativeGunzip();

/** The thread's last message of a job. */
export interface LogDone {
  report: InputReport;
}

const port = parentPort!;
let pool: BufferPool<RecordBuffers> | null = null;
/** Jobs come one at a time (the main thread waits for each one's last message before sending the next). */
port.on('message', (m: { job: LogJob } | RecordBuffers) => {
  if ('job' in m) void run(m.job);
  else pool!.give(m);
});

async function run(job: LogJob): Promise<void> {
  const p = (pool ??= new BufferPool(job.pool, () => recordBuffers(BATCH)));
  // The next slice is read while this one is decoded: waiting for each read was ~0.6 s of this thread's ~4.4 s on
  // an 852 MB log.
  const source = readingAhead(await createNodeFileSource(job.path, job.name));
  const report = await decodeLogBatches(source, job, {
    take: () => p.take(),
    takeNow: () => p.takeNow(),
    send: (b) => port.postMessage(b, [b.words, b.nums]),
  });
  const done: LogDone = { report };
  port.postMessage(done);
}
