/// <reference lib="webworker" />
/**
 * The engine worker's log decoder (a nested Worker, started by worker/nested-log.ts): reads one firewall log File
 * and decodes its lines into record batches (engine/log-batches.ts, the code the command line's log thread runs),
 * sent to the engine worker in line order while it pairs and joins the batches before. Buffer sets come from a
 * fixed pool and go back and forth transferred (worker/log-decoder-protocol.ts says the order of messages).
 *
 * The File is read through lib/byte-source.ts createBlobSource (Blob.slice().arrayBuffer(), slices read ahead, a
 * stalled read fails with the file's name and offset), in 4 MiB slices. FileReaderSync worked and took as long
 * (u5m.log, 3 interleaved pairs, load ~8: 11.9-12.8 s against 11.5-13.1 s to the engine's result) but blocks this
 * thread while the browser fetches each slice.
 */
import { BufferPool } from '../lib/buffer-pool';
import { createBlobSource } from '../lib/byte-source';
import { BATCH, decodeLogBatches, type LogJob } from '../engine/log-batches';
import { recordBuffers, type RecordBuffers } from '../engine/record-batch';
import type { FromLogDecoder, ToLogDecoder } from './log-decoder-protocol';

let pool: BufferPool<RecordBuffers> | null = null;
const post = (m: FromLogDecoder, transfer: Transferable[] = []): void => self.postMessage(m, transfer);

self.onmessage = (e: MessageEvent<ToLogDecoder>) => {
  const m = e.data;
  if (m.type === 'buffers') pool?.give({ words: m.words, nums: m.nums });
  else void run(m.job, m.blob as Blob);
};

/** Slice size (a batch is sent at least once a slice), as this Worker read before it shared createBlobSource. */
const SLICE = 4 << 20;

async function run(job: LogJob, blob: Blob): Promise<void> {
  const p = (pool = new BufferPool(job.pool, () => recordBuffers(job.batch ?? BATCH)));
  let batches = 0;
  try {
    const report = await decodeLogBatches(createBlobSource(job.name, blob, { sliceSize: SLICE }), job, {
      take: () => p.take(),
      takeNow: () => p.takeNow(),
      send(b) {
        batches++;
        post({ type: 'batch', batch: b }, [b.words, b.nums]);
      },
    });
    post({ type: 'done', report, batches });
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e), batches });
  }
}
