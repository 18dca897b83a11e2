/**
 * Firewall logs on two cores in the browser, as the command line does (cli/threaded-log.ts): the engine worker
 * starts a log decoder Worker (worker/log-decoder.worker.ts) that reads the File and decodes its lines into record
 * batches, while the engine worker stores, pairs and joins the batches before (engine/log-handoff.ts decides which
 * inputs go). The order of messages is worker/log-decoder-protocol.ts's. Nothing leaves the browser: the File goes
 * to a Worker of the same page.
 *
 * The end of an input is explicit: the decoder's `done` carries its report and how many batches it sent; the
 * input ends once that many were read (messages from one Worker arrive in order, so they all were). Every batch's
 * buffers go back (the decoder waits for them past its pool). A failure (the decoder's `failed`, its Worker's
 * error, an unreadable message, a batch the store cannot take) ends the input with an error at the byte offset
 * reached, or, before the first batch (the Worker could not start), hands the input back to the engine's own
 * decode; cancel ends it at the next batch or within CANCEL_POLL_MS, whichever is first; a new input ends the one
 * before. Each way the Worker is terminated and the input's promise settles once.
 * Where Workers cannot start a Worker (or on one core), every input is decoded on the engine worker's thread.
 */
import { handOffLogs, type DecodeFn, type LogHandoff } from '../engine/log-handoff';
import type { InputReport } from '../model/report';
import type { FromLogDecoder, ToLogDecoder } from './log-decoder-protocol';

/**
 * Logs this big or bigger go to the decoder Worker. Below it its start (fetching and compiling its script, a fresh
 * heap warming up) costs more than the decoding it takes off the engine worker, as for the command line's log
 * thread (cli/threaded-decode.ts LOG_THREAD_BYTES).
 */
export const LOG_WORKER_BYTES = 32 << 20;
const CANCEL_POLL_MS = 100;
/**
 * Records per batch (each message cost the decoder about a millisecond: postMessage in its profile), and buffer
 * sets in flight: 4 of 16,384 records (2.5 MB each) hold as many records as the command line's 16 of 4,096.
 */
const BATCH_RECORDS = 16384;
const POOL = 4;

/**
 * The two-thread decode, or null where a Worker cannot start Workers or the machine has one core (the engine then
 * decodes on its own thread: with no second core the hand-off's packing and messages are only a cost).
 */
export function nestedLogDecode(minBytes = LOG_WORKER_BYTES): DecodeFn | null {
  if (typeof Worker === 'undefined' || (self.navigator?.hardwareConcurrency ?? 2) < 2) return null;
  let current: { end(why: string): void } | null = null;
  return handOffLogs(minBytes, (h) => {
    current?.end('a new load began');
    const job = decodeInWorker(h, () => (current = null));
    current = job;
    return job.report;
  });
}

/** The input's report, or null when the decoder Worker failed before its first batch (the engine decodes it then). */
function decodeInWorker(h: LogHandoff, onEnd: () => void): { report: Promise<InputReport | null>; end(why: string): void } {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./log-decoder.worker.ts', import.meta.url), { type: 'module', name: 'teardown-log-decoder' });
  } catch {
    onEnd();
    return { report: Promise.resolve(null), end() {} };
  }
  let settle: (r: InputReport | null) => void = () => {};
  const report = new Promise<InputReport | null>((resolve) => (settle = resolve));
  let bytesRead = 0;
  let batches = 0;
  let settled = false;
  const finish = (r: () => InputReport | null): void => {
    if (settled) return;
    settled = true;
    clearInterval(poll);
    worker.onmessage = worker.onerror = worker.onmessageerror = null;
    worker.terminate();
    onEnd();
    settle(r());
  };
  const fail = (why: string) => finish(() => (batches === 0 && !h.isCancelled() ? null : h.stopped(bytesRead, why)));
  const cancelled = (): boolean => {
    if (!h.isCancelled()) return false;
    finish(() => h.stopped(bytesRead));
    return true;
  };
  const poll = setInterval(cancelled, CANCEL_POLL_MS);
  worker.onmessage = (e: MessageEvent<FromLogDecoder>) => {
    const m = e.data;
    if (settled || cancelled()) return;
    try {
      if (m.type === 'batch') {
        const b = m.batch;
        h.reader.read(b);
        batches++;
        bytesRead = b.bytesRead;
        h.progress(bytesRead);
        const back: ToLogDecoder = { type: 'buffers', words: b.words, nums: b.nums };
        worker.postMessage(back, [b.words, b.nums]);
      } else if (m.type === 'done') {
        if (m.batches !== batches) fail(`the log decoder sent ${m.batches} batches, ${batches} arrived`);
        else finish(() => h.finished(m.report));
      } else fail(m.message);
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
  };
  worker.onerror = (e) => {
    e.preventDefault();
    fail(e.message || 'the log decoder stopped (out of memory?)');
  };
  worker.onmessageerror = () => fail('a batch from the log decoder could not be read');
  const start: ToLogDecoder = { type: 'job', job: { ...h.job, batch: BATCH_RECORDS, pool: POOL }, blob: h.blob };
  worker.postMessage(start);
  return { report, end: fail };
}
