/**
 * decodeInput on two cores, for the command line (Node only; the engine and the browser Worker run the
 * single-threaded decodeInput). Firewall logs of LOG_THREAD_BYTES or more (any size with TEARDOWN_DECODE_THREAD=1,
 * none with =0) are decoded in the log thread (cli/threaded-log.ts): for logs decoding is about half the work.
 * Captures: OFF unless TEARDOWN_DECODE_THREAD=1: a pcap or pcapng file is then read and
 * dissected in a worker thread (cli/decode-thread.ts) while this thread tracks connections from the batches it sends
 * (cli/segment-batch.ts). The sink sees the same segments, fields and order as from decodeInput, and the InputReport
 * and problems are the same, so the output is byte-identical (tests/unit/cli-thread.test.ts compares them).
 *
 * Why off by default: reading and dissecting are only ~15% of a run, and packing each slice's segments into a batch
 * and unpacking them here costs about as much, so the second thread made the whole process slower, not faster
 * (1 GB bench capture on 2 cores, load ~2, interleaved: one thread 2.98-3.25 s wall / 2.8-3.2 s CPU, two threads
 * 3.74-4.00 s wall / 3.7-3.8 s CPU). The rest of the work (4-tuple lookup, replay, output) needs the tracker's state
 * and runs after or in step with it, so it does not split across threads without copying every packet's facts.
 * Gzip captures, text captures, UTF-16 logs, standard input and a run without the built thread files (tsx, tests
 * from sources) always stay on this thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
// Only a type: node:worker_threads (with the stream modules it loads) is loaded when a thread is started, not at
// every start of the command (it was ~10% of a run on a tiny capture).
import type { Worker } from 'node:worker_threads';
import { decodeInput, sniffInputFormat } from '../decode/index';
import { pcapMagic } from '../decode/pcap';
import { isPcapng } from '../decode/pcapng';
import { DEFAULT_SLICE_SIZE, type ByteSource } from '../lib/byte-source';
import type { DecodeOptions, InputSinks } from '../decode/types';
import type { InputReport } from '../model/report';
import { BatchReader, type Batch } from './segment-batch';
import type { DecodeDone, DecodeJob } from './decode-thread';
import { decodeLogInThread, endLogThread } from './threaded-log';

/**
 * Log files this big or bigger are decoded in the log thread. Below it the thread's start (a fresh heap that compiles
 * and warms up the decoder: ~0.25 CPU-s) costs more than the decoding it takes off this thread (~1.1 us a line):
 * a 4 MiB log took 0.35 s more CPU and no less on the main thread; the 34 MB 200 k-line log 0.2 s less on the main
 * thread for 0.5 s more in all (load ~15, 3-5 runs each).
 */
const LOG_THREAD_BYTES = 32 << 20;

const POOL = 4;

export type DecodeFn = typeof decodeInput;

/** A file source that says its path (cli/node-file-source.ts). */
export type PathSource = ByteSource & { path?: string };

function threadFile(name: string): string | null {
  try {
    const f = fileURLToPath(new URL(`./${name}`, import.meta.url));
    return existsSync(f) ? f : null;
  } catch {
    return null;
  }
}

/**
 * decodeInput, or the two-thread decode: of a capture file with TEARDOWN_DECODE_THREAD=1; of a firewall log file
 * of LOG_THREAD_BYTES or more (any size with TEARDOWN_DECODE_THREAD=1) unless TEARDOWN_DECODE_THREAD=0
 * (cli/threaded-log.ts). `inputs`: how many inputs the run has (the log thread ends after the last one's).
 */
export function threadedDecoder(env: string | undefined = process.env.TEARDOWN_DECODE_THREAD, inputs = Infinity): DecodeFn {
  const captures = env === '1' ? threadFile('decode-thread.mjs') : null;
  const logs = env !== '0' ? threadFile('log-thread.mjs') : null;
  const logMin = env === '1' ? 0 : LOG_THREAD_BYTES;
  return async (source: PathSource, input, sinks, options) => {
    if ((!captures && !logs) || !source.path || source.size === undefined || options.isCancelled) {
      return decodeInput(source, input, sinks, options);
    }
    const head = await source.read(0, 16);
    const format = pcapMagic(head) ? 'pcap' : isPcapng(head) ? 'pcapng' : null;
    const path = source as PathSource & { path: string; size: number };
    if (format) return captures ? decodeInThread(captures, format, path, input, sinks, options) : decodeInput(source, input, sinks, options);
    const records = sinks.firewall?.records;
    if (logs && records?.addKeyedRecord && source.size >= logMin && (await sniffInputFormat(source)) === 'asa-syslog') {
      return decodeLogInThread(logs, path, input, { ...sinks, firewall: { ...sinks.firewall!, records } }, options, input === inputs - 1);
    }
    return decodeInput(source, input, sinks, options);
  };
}

function decodeInThread(
  file: string, format: 'pcap' | 'pcapng', source: { path: string; size: number; name: string }, input: number, sinks: InputSinks, options: DecodeOptions,
): Promise<InputReport> {
  const job: DecodeJob = {
    path: source.path, name: source.name, size: source.size, input, sliceSize: DEFAULT_SLICE_SIZE, pool: POOL,
    year: options.year, date: options.date, tz: options.tz,
  };
  const worker = (shared ??= startThread(file));
  worker.ref(); // the thread keeps this process alive only while it has a job
  const reader = new BatchReader(input);
  const problems = options.problems;
  let bytesRead = 0;
  return new Promise<InputReport>((resolve) => {
    let settled = false;
    const finish = (r: InputReport) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      worker.unref();
      resolve(r);
    };
    const onMessage = (m: Batch | DecodeDone) => {
      if ('report' in m) {
        // The thread's problems, into this input's log in the same order (and its count of those past the cap).
        for (const { file: _, message, ...at } of m.report.warnings) problems.warn(message, at);
        for (const { file: _, message, ...at } of m.report.errors) problems.error(message, at);
        for (let i = 0; i < m.droppedWarnings; i++) problems.warn('');
        for (let i = 0; i < m.droppedErrors; i++) problems.error('');
        finish({ ...m.report, warnings: problems.warnings, errors: problems.errors });
        return;
      }
      reader.read(m, sinks.segments);
      for (const text of m.secrets) sinks.secrets?.(text);
      bytesRead = m.bytesRead;
      options.onProgress?.(bytesRead);
      const back = { slice: m.slice, words: m.words, times: m.times, side: m.side };
      worker.postMessage(back, [m.slice, m.words, m.times, m.side]);
    };
    const failed = (why: string) => {
      if (settled) return;
      if (shared === worker) shared = null;
      void worker.terminate();
      problems.error(`could not read the input: ${why}`, { offset: bytesRead });
      finish({
        file: source.name, format, bytes: bytesRead, linkTypes: [], packets: 0, tcpPackets: 0,
        skipped: {}, warnings: problems.warnings, errors: problems.errors,
      });
    };
    const onError = (e: Error) => failed(e.message);
    const onExit = (code: number) => failed(`the decoder thread stopped (exit code ${code})`);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ job });
  });
}

/** The decoder thread of this process, started for the first input that uses it. */
let shared: Worker | null = null;

function startThread(file: string): Worker {
  // require, not import(): the built command runs its bundle as a vm.Script, which has no loader for import().
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  // Its garbage is one payload view per packet, short-lived: a small young generation keeps its memory small.
  const w = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  w.unref();
  return w;
}

/** Ends the decoder thread (its memory goes with it); call once every input has been decoded. */
export async function endDecodeThread(): Promise<void> {
  await endLogThread();
  const w = shared;
  shared = null;
  if (w) await w.terminate();
}
