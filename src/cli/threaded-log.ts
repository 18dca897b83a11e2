/**
 * A firewall log file of any format (model/formats.ts: one that yields firewall events) decoded on two cores
 * (cli/threaded-decode.ts says when): the log thread (cli/log-thread.ts) reads and decodes its lines into record batches, and this thread puts each batch's records into the store
 * (analysis/firewall/log.ts, through sinks.firewall.records) and its problems into the input's log, in line order,
 * as decodeInput on this thread would have (tests/unit/cli-thread.test.ts compares the outputs).
 */
import type { DecodeOptions, InputSinks } from '../decode/types';
import type { FirewallRecordSink } from '../model/firewall-record';
import type { InputFormat } from '../model/formats';
import type { InputReport } from '../model/report';
import { RecordBatchReader, type RecordBatch } from '../engine/record-batch';
import type { LogJob } from '../engine/log-batches';
import type { LogDone } from './log-thread';
import { runThreadJob } from './thread-job';

/** Buffer sets in flight (decoded ahead, at this thread). */
const POOL = 16;

export function decodeLogInThread(
  file: string, format: InputFormat, source: { path: string; name: string }, input: number, sinks: InputSinks & { firewall: { records: FirewallRecordSink } }, options: DecodeOptions,
  last = false,
): Promise<InputReport> {
  const records = sinks.firewall.records;
  const job: LogJob = {
    path: source.path, name: source.name, input, keyed: !!records.wantsText, pool: POOL,
    year: options.year, date: options.date, tz: options.tz,
  };
  const problems = options.problems;
  const reader = new RecordBatchReader(input, records, problems);
  let bytesRead = 0;
  return runThreadJob<RecordBatch | LogDone>({
    file, youngMb: 8, job, name: source.name, format, problems,
    bytesRead: () => bytesRead,
    // The run's last input: the thread's memory goes once it is decoded, before the join and the output need theirs.
    endAfter: last,
    onMessage(m, worker) {
      if ('report' in m) {
        reader.finish();
        return { ...m.report, warnings: problems.warnings, errors: problems.errors };
      }
      reader.read(m);
      bytesRead = m.bytesRead;
      options.onProgress?.(bytesRead);
      worker.postMessage({ words: m.words, nums: m.nums }, [m.words, m.nums]);
      return undefined;
    },
  });
}
