/**
 * A big firewall log File decoded in another thread (the browser's log decoder Worker: worker/nested-log.ts) while
 * this thread stores, pairs and joins its records: decodeInput with a hand-off. Which inputs go (a File of
 * `minBytes` or more that sniffs as a firewall log, into a sink that takes records by batch) is decided here; the
 * transport is the caller's `run`. Everything else, and any input when `run` is not given, stays with decodeInput
 * on this thread. The other thread runs the same decodeInput into record batches (engine/log-batches.ts), and the
 * reader puts them into the store in line order, so the result is the one thread's (tests/unit/cli-thread.test.ts
 * checks that for the command line's log thread, which hands over the same batches).
 */
import { decodeInput, sniffInputFormat } from '../decode/index';
import type { DecodeOptions, InputSinks } from '../decode/types';
import type { BlobLike, ByteSource } from '../lib/byte-source';
import { isFirewallLog, type InputFormat } from '../model/formats';
import type { InputReport } from '../model/report';
import type { LogJob } from './log-batches';
import { RecordBatchReader } from './record-batch';

export type DecodeFn = typeof decodeInput;

/** One input handed to the other thread. */
export interface LogHandoff {
  blob: BlobLike;
  /** The job but for its batch size and pool of buffer sets, which the transport chooses (worker/nested-log.ts). */
  job: Omit<LogJob, 'pool' | 'batch'>;
  /** Puts each batch's records and problems into the store and the input's problem log, in order. */
  reader: RecordBatchReader;
  /** Bytes of the input read (a batch says): progress and the source's position. */
  progress(bytesRead: number): void;
  /** The input's report once the other thread's last batch was read (its report, with this thread's problem log). */
  finished(report: InputReport): InputReport;
  /** The report of an input that stopped before its end (cancelled, or the other thread failed: `why`). */
  stopped(bytesRead: number, why?: string): InputReport;
  isCancelled(): boolean;
}

/**
 * decodeInput, but a firewall log File of `minBytes` or more goes to `run`, which resolves with the input's report
 * once the other thread's last batch has been read, or with null when the other thread failed before sending any
 * (it could not start: its script did not load): then decodeInput reads the input here.
 */
export function handOffLogs(minBytes: number, run: (h: LogHandoff) => Promise<InputReport | null>): DecodeFn {
  return async (source: ByteSource, input: number, sinks: InputSinks, options: DecodeOptions) => {
    const records = sinks.firewall?.records;
    const blob = source.blob;
    if (!blob || !records?.addKeyedRecord || blob.size < minBytes || options.isCancelled?.()) return decodeInput(source, input, sinks, options);
    const format = await sniffInputFormat(source);
    if (format === null || format === 'unknown' || !isFirewallLog(format)) return decodeInput(source, input, sinks, options);
    const problems = options.problems;
    const job: LogHandoff['job'] = {
      path: source.name, name: source.name, input, keyed: !!records.wantsText,
      year: options.year, date: options.date, tz: options.tz,
    };
    const reader = new RecordBatchReader(input, records, problems);
    const report = await run({
      blob, job, reader,
      finished(report) {
        reader.finish();
        return { ...report, warnings: problems.warnings, errors: problems.errors };
      },
      progress(bytesRead) {
        source.readElsewhere?.(bytesRead);
        options.onProgress?.(bytesRead);
      },
      stopped(bytesRead, why) {
        if (why !== undefined) problems.error(`could not read the input: ${why}`, { offset: bytesRead });
        return stoppedReport(source.name, format, bytesRead, reader.lastLine, problems);
      },
      isCancelled: () => !!options.isCancelled?.(),
    });
    return report ?? decodeInput(source, input, sinks, options);
  };
}

/** `lines`: the lines read (a log's report counts its lines as `packets`), up to the last record handed over. */
function stoppedReport(file: string, format: InputFormat, bytes: number, lines: number, problems: DecodeOptions['problems']): InputReport {
  return { file, format, bytes, linkTypes: [], packets: lines, tcpPackets: 0, skipped: {}, warnings: problems.warnings, errors: problems.errors };
}
