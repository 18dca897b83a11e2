/**
 * One firewall log input decoded into record batches (engine/record-batch.ts) for another thread: decodeInput (the
 * same code the browser and the single-threaded command line run) with sinks that write each record (fast path or
 * general reader, model/firewall-record.ts) and each problem into the current batch, in line order. A batch is
 * handed over each time the reader asks for the next slice of the input, and the next one waits for a free buffer
 * set (`port.take()`): the decoder stays at most a pool's worth of slices ahead. Duplicate folding across inputs
 * (analysis/firewall/line-dedupe.ts) stays with the store: each record then carries its line's key instead of the
 * text. No Node API here: the transport is the caller's (cli/log-thread.ts).
 */
import { decodeInput } from '../decode/index';
import type { InputSinks } from '../decode/types';
import { lineKey } from '../analysis/firewall/line-dedupe';
import { recordOf } from '../analysis/firewall/record-of';
import type { ByteSource } from '../lib/byte-source';
import type { FirewallEvent } from '../model/firewall';
import { FirewallRecord, REC_SKIP } from '../model/firewall-record';
import { Names } from '../model/firewall-store';
import { createProblemLog, type ProblemLog } from '../model/problems';
import type { InputReport } from '../model/report';
import { RecordBatchWriter, type RecordBatch, type RecordBuffers } from './record-batch';

/** Records per batch (at most: a batch grows past it while no buffer set is free). */
export const BATCH = 4096;

export interface LogJob {
  path: string;
  name: string;
  input: number;
  /** Each record carries its line's key (the store folds duplicate lines across inputs). */
  keyed: boolean;
  /** Buffer sets in the pool. */
  pool: number;
  /** Records per batch, when not BATCH (the browser's decoder Worker: fewer, bigger messages). */
  batch?: number;
  year?: number;
  date?: string;
  tz?: string;
}

export interface BatchPort {
  take(): Promise<RecordBuffers>;
  /** A free buffer set now, or null (then the batch grows instead). */
  takeNow(): RecordBuffers | null;
  send(b: RecordBatch): void;
}

export async function decodeLogBatches(source: ByteSource, job: LogJob, port: BatchPort): Promise<InputReport> {
  const names = new Names();
  let writer = new RecordBatchWriter(await port.take(), names);
  let sentNames = 0;
  let bytesRead = 0;
  const send = (): void => {
    const w = writer;
    const batch: RecordBatch = { ...w.buffers, count: w.count, names: names.list.slice(sentNames), problems: w.problems, bytesRead };
    sentNames = names.list.length;
    port.send(batch);
  };
  const flush = async (last: boolean): Promise<void> => {
    if (!last && writer.count === 0) return;
    send();
    if (!last) writer = new RecordBatchWriter(await port.take(), names);
  };
  // A batch is handed over when it is full and a free buffer set is at hand (small batches stay in the caches).
  const full = (): void => {
    const b = port.takeNow();
    if (b === null) return;
    send();
    writer = new RecordBatchWriter(b, names);
  };
  const src: ByteSource = {
    name: source.name,
    size: source.size,
    read: (offset, length) => source.read(offset, length),
    async *slices(offset, sliceSize) {
      for await (const s of source.slices(offset, sliceSize)) {
        yield s;
        // Resumed: the reader wants the next slice (it has read this one's lines, or most of them).
        bytesRead += s.length;
        await flush(false);
      }
    },
  };
  const batch = job.batch ?? BATCH;
  const key = new Int32Array(2);
  const add = (r: FirewallRecord, text?: string, at = 0): void => {
    if (job.keyed && text !== undefined && r.kind !== REC_SKIP) {
      lineKey(names.list[r.device], r.timeUs, text, at, key);
      writer.add(r, key);
    } else writer.add(r, null);
    if (writer.count >= batch) full();
  };
  const scratch = new FirewallRecord();
  const sinks: InputSinks = {
    segments: {
      segment: notALog,
      streamOnly: notALog,
    },
    firewall: {
      event: (e, text, at) => add(recordOf(e as FirewallEvent, names, scratch), text, at),
      // Addresses go as IPv4 values, interned by the store's side (engine/record-batch.ts): no look-up per address here.
      records: { names, wantsText: job.keyed, addressCodes: true, addRecord: add },
    },
  };
  const report = await decodeInput(src, job.input, sinks, { problems: forwarded(job.name, () => writer), year: job.year, date: job.date, tz: job.tz });
  await flush(true);
  return report;
}

function notALog(): never {
  throw new Error('a packet in an input read as a firewall log');
}

/** A problem log whose every call also goes into the current batch (the other side's log gets the same calls). */
function forwarded(name: string, writer: () => RecordBatchWriter): ProblemLog {
  const base = createProblemLog(name);
  return {
    warnings: base.warnings,
    errors: base.errors,
    warn(m, w) {
      writer().problem(false, m, w);
      base.warn(m, w);
    },
    error(m, w) {
      writer().problem(true, m, w);
      base.error(m, w);
    },
    get dropped() {
      return base.dropped;
    },
  };
}
