/**
 * The messages between the engine worker and its log decoder Worker (worker/log-decoder.worker.ts, started by
 * worker/nested-log.ts). One job per decoder Worker, and this order, always:
 *
 *   engine -> decoder   job (once), then buffers (each batch's buffer set given back once its records are stored)
 *   decoder -> engine   batch* (in line order), then exactly one of: done (the input's report and how many batches
 *                       were sent: the engine checks it has read them all) or failed (the message, batches sent)
 *
 * The decoder runs at most its pool's worth of batches ahead (it waits for buffers back); its last batch is sent
 * without waiting for one, so `done` never waits on the engine. Cancel and a new load end the Worker (terminate):
 * the engine never waits for an answer to them.
 */
import type { LogJob } from '../engine/log-batches';
import type { RecordBatch, RecordBuffers } from '../engine/record-batch';
import type { BlobLike } from '../lib/byte-source';
import type { InputReport } from '../model/report';

export type ToLogDecoder = { type: 'job'; job: LogJob; blob: BlobLike } | ({ type: 'buffers' } & RecordBuffers);

export type FromLogDecoder =
  | { type: 'batch'; batch: RecordBatch }
  | { type: 'done'; report: InputReport; batches: number }
  | { type: 'failed'; message: string; batches: number };
