/// <reference lib="webworker" />
/**
 * The engine worker's log decoder (a nested Worker, started by worker/nested-log.ts): reads one firewall log File
 * and decodes its lines into record batches (engine/log-batches.ts, the code the command line's log thread runs),
 * sent to the engine worker in line order while it pairs and joins the batches before. Buffer sets come from a
 * fixed pool and go back and forth transferred (worker/log-decoder-protocol.ts says the order of messages).
 *
 * The File is read with Blob.slice().arrayBuffer(), a few slices ahead. Not with the File's byte stream
 * (lib/byte-source.ts createBlobSource, the engine worker's way): in this nested Worker, in Chromium 156, its reads
 * stopped for good part way into the 813 MB log (at 174 MB, at 254 MB) in each of 3 tries, the decoder waiting on a
 * read that never came. FileReaderSync worked and took as long (u5m.log, 3 interleaved pairs, load ~8: 11.9-12.8 s
 * against 11.5-13.1 s to the engine's result) but blocks this thread while the browser fetches each slice.
 */
import { BufferPool } from '../lib/buffer-pool';
import type { ByteSource } from '../lib/byte-source';
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

/** Slices read ahead of the one being decoded, and their size (a batch is sent at least once a slice). */
const AHEAD = 3;
const SLICE = 4 << 20;

/**
 * The File read a slice at a time with Blob.slice().arrayBuffer(), AHEAD slices in flight: the reads go on while
 * this thread decodes, and it waits only when they fall behind.
 */
function readAheadSource(name: string, blob: Blob): ByteSource {
  const read = async (offset: number, length: number) => new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer());
  return {
    name,
    size: blob.size,
    async *slices(offset = 0, sliceSize = SLICE) {
      const pending: Promise<Uint8Array>[] = [];
      let next = offset;
      const fill = () => {
        for (; pending.length < AHEAD && next < blob.size; next += sliceSize) pending.push(read(next, sliceSize));
      };
      fill();
      while (pending.length) {
        const slice = await pending.shift()!;
        fill();
        yield slice;
      }
    },
    read,
  };
}

async function run(job: LogJob, blob: Blob): Promise<void> {
  const p = (pool = new BufferPool(job.pool, () => recordBuffers(job.batch ?? BATCH)));
  let batches = 0;
  try {
    const report = await decodeLogBatches(readAheadSource(job.name, blob), job, {
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
