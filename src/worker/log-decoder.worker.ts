/// <reference lib="webworker" />
/**
 * The engine worker's log decoder (a nested Worker, started by worker/nested-log.ts): reads one firewall log File
 * and decodes its lines into record batches (engine/log-batches.ts, the code the command line's log thread runs),
 * sent to the engine worker in line order while it pairs and joins the batches before. Buffer sets come from a
 * fixed pool and go back and forth transferred (worker/log-decoder-protocol.ts says the order of messages).
 *
 * The File is read with FileReaderSync, a slice at a time: this thread has nothing else to do while it reads. Not
 * with the File's byte stream (lib/byte-source.ts createBlobSource, the engine worker's way): in this nested Worker,
 * in Chromium 156, its reads stopped for good part way into the 813 MB log (at 174 MB, at 254 MB) in each of 3 tries,
 * the decoder waiting on a read that never came.
 */
import { BufferPool } from '../lib/buffer-pool';
import { DEFAULT_SLICE_SIZE, type ByteSource } from '../lib/byte-source';
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

/** The File read a slice at a time with FileReaderSync. */
function syncBlobSource(name: string, blob: Blob): ByteSource {
  const reader = new FileReaderSync();
  const read = (offset: number, length: number) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(offset, Math.min(blob.size, offset + length))));
  return {
    name,
    size: blob.size,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      for (let at = offset; at < blob.size; at += sliceSize) yield read(at, sliceSize);
    },
    read: async (offset, length) => read(offset, length),
  };
}

async function run(job: LogJob, blob: Blob): Promise<void> {
  const p = (pool = new BufferPool(job.pool, () => recordBuffers(BATCH)));
  let batches = 0;
  try {
    const report = await decodeLogBatches(syncBlobSource(job.name, blob), job, {
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
