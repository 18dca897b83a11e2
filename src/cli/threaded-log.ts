/**
 * A firewall log file decoded on two cores (cli/threaded-decode.ts says when): the log thread (cli/log-thread.ts)
 * reads and decodes its lines into record batches, and this thread puts each batch's records into the store
 * (analysis/firewall/log.ts, through sinks.firewall.records) and its problems into the input's log, in line order,
 * as decodeInput on this thread would have (tests/unit/cli-thread.test.ts compares the outputs).
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { DecodeOptions, InputSinks } from '../decode/types';
import type { FirewallRecordSink } from '../model/firewall-record';
import type { InputReport } from '../model/report';
import { RecordBatchReader, type RecordBatch } from './record-batch';
import type { LogJob } from './log-batches';
import type { LogDone } from './log-thread';

/** Buffer sets in flight (decoded ahead, at this thread). */
const POOL = 16;

export function decodeLogInThread(
  file: string, source: { path: string; name: string }, input: number, sinks: InputSinks & { firewall: { records: FirewallRecordSink } }, options: DecodeOptions,
  last = false,
): Promise<InputReport> {
  const records = sinks.firewall.records;
  const job: LogJob = {
    path: source.path, name: source.name, input, keyed: !!records.wantsText, pool: POOL,
    year: options.year, date: options.date, tz: options.tz,
  };
  const worker = (shared ??= startThread(file));
  worker.ref(); // the thread keeps this process alive only while it has a job
  const problems = options.problems;
  const reader = new RecordBatchReader(input, records, problems);
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
    const onMessage = (m: RecordBatch | LogDone) => {
      if ('report' in m) {
        reader.finish();
        finish({ ...m.report, warnings: problems.warnings, errors: problems.errors });
        // The run's last input: the thread's memory goes now, before the join and the output need theirs.
        if (last) void endLogThread();
        return;
      }
      reader.read(m);
      bytesRead = m.bytesRead;
      options.onProgress?.(bytesRead);
      worker.postMessage({ words: m.words, nums: m.nums }, [m.words, m.nums]);
    };
    const failed = (why: string) => {
      if (settled) return;
      if (shared === worker) shared = null;
      void worker.terminate();
      problems.error(`could not read the input: ${why}`, { offset: bytesRead });
      finish({
        file: source.name, format: 'asa-syslog', bytes: bytesRead, linkTypes: [], packets: 0, tcpPackets: 0,
        skipped: {}, warnings: problems.warnings, errors: problems.errors,
      });
    };
    const onError = (e: Error) => failed(e.message);
    const onExit = (code: number) => failed(`the decoder thread stopped (exit code ${code})`);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ job });
  });
}

/** The log thread of this process, started for the first input that uses it. */
let shared: Worker | null = null;

function startThread(file: string): Worker {
  // require, not import(): the built command runs its bundle as a vm.Script, which has no loader for import().
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const w = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  w.unref();
  return w;
}

/** Ends the log thread (its memory goes with it); call once every input has been decoded. */
export async function endLogThread(): Promise<void> {
  const w = shared;
  shared = null;
  if (w) await w.terminate();
}
