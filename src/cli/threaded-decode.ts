/**
 * decodeInput on two cores, for the command line (Node only). In the browser the engine worker runs the
 * single-threaded decodeInput, except that it hands a firewall log File of 32 MiB or more to a nested log decoder
 * Worker on two cores or more (worker/nested-log.ts, worker/log-decoder.worker.ts: the same engine/log-batches.ts
 * code as the log thread here). Firewall logs of LOG_THREAD_BYTES or more (any size with TEARDOWN_DECODE_THREAD=1,
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
import { fileURLToPath } from 'node:url';
import { decodeInput, sniffInputFormat } from '../decode/index';
import { magicEntry } from '../decode/formats';
import { DEFAULT_SLICE_SIZE, type ByteSource } from '../lib/byte-source';
import { sizeHint } from '../lib/gzip-source';
import type { DecodeOptions, InputSinks } from '../decode/types';
import { isFirewallLog, type InputFormat } from '../model/formats';
import type { InputReport } from '../model/report';
import { BatchReader, type Batch } from './segment-batch';
import type { DecodeDone, DecodeJob } from './decode-thread';
import { decodeLogInThread } from './threaded-log';
import { endThreads, runThreadJob } from './thread-job';

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

export function threadFile(name: string): string | null {
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
    // A binary capture (its magic's registry entry has a framer) goes to the decode thread, which runs decodeInput.
    const byMagic = magicEntry(head);
    const format = byMagic?.framer ? byMagic.info.name : null;
    const path = source as PathSource & { path: string; size: number };
    if (format) return captures ? decodeInThread(captures, format, path, input, sinks, options) : decodeInput(source, input, sinks, options);
    const records = sinks.firewall?.records;
    // A gzip log by its decompressed size: a 20 MB .gz can hold 200 MB of lines.
    if (logs && records?.addKeyedRecord && ((await sizeHint(source)) ?? 0) >= logMin) {
      // Any firewall log format (model/formats.ts: it yields firewall events): the thread runs the same decodeInput.
      const text = await sniffInputFormat(source);
      if (text !== null && isFirewallLog(text)) {
        return decodeLogInThread(logs, text, path, input, { ...sinks, firewall: { ...sinks.firewall!, records } }, options, input === inputs - 1);
      }
    }
    return decodeInput(source, input, sinks, options);
  };
}

function decodeInThread(
  file: string, format: InputFormat, source: { path: string; size: number; name: string }, input: number, sinks: InputSinks, options: DecodeOptions,
): Promise<InputReport> {
  const job: DecodeJob = {
    path: source.path, name: source.name, size: source.size, input, sliceSize: DEFAULT_SLICE_SIZE, pool: POOL,
    year: options.year, date: options.date, tz: options.tz,
  };
  const reader = new BatchReader(input);
  const problems = options.problems;
  let bytesRead = 0;
  return runThreadJob<Batch | DecodeDone>({
    // Its garbage is one payload view per packet, short-lived: a small young generation keeps its memory small.
    file, youngMb: 4, job, name: source.name, format, problems,
    bytesRead: () => bytesRead,
    onMessage(m, worker) {
      if ('report' in m) {
        // The thread's problems, into this input's log in the same order (and its count of those past the cap).
        for (const { file: _, message, ...at } of m.report.warnings) problems.warn(message, at);
        for (const { file: _, message, ...at } of m.report.errors) problems.error(message, at);
        for (let i = 0; i < m.droppedWarnings; i++) problems.warn('');
        for (let i = 0; i < m.droppedErrors; i++) problems.error('');
        return { ...m.report, warnings: problems.warnings, errors: problems.errors };
      }
      reader.read(m, sinks.segments);
      for (const text of m.secrets) sinks.secrets?.(text);
      bytesRead = m.bytesRead;
      options.onProgress?.(bytesRead);
      const back = { slice: m.slice, words: m.words, times: m.times, side: m.side };
      worker.postMessage(back, [m.slice, m.words, m.times, m.side]);
      return undefined;
    },
  });
}

/** Ends the decoder threads (their memory goes with them); call once every input has been decoded. */
export function endDecodeThread(): Promise<void> {
  return endThreads();
}
