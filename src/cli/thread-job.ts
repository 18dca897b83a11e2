/**
 * One input's job on a worker thread of this process: the capture decoder (cli/decode-thread.ts) or the log decoder
 * (cli/log-thread.ts). One thread per thread file, started by the first job that needs it and kept for the next
 * input; it keeps the process alive only while it has a job. A thread that throws or stops ends the job with an
 * error naming the byte offset reached; the input's report keeps what was decoded before it.
 */
import { createRequire } from 'node:module';
// Only a type: node:worker_threads (with the stream modules it loads) is loaded when a thread is started, not at
// every start of the command (it was ~10% of a run on a tiny capture).
import type { Worker } from 'node:worker_threads';
import type { ProblemLog } from '../model/problems';
import type { InputReport } from '../model/report';

export interface ThreadJob<M> {
  /** The built thread file, and its young generation in MB (its garbage is short-lived: small keeps it small). */
  file: string;
  youngMb: number;
  job: unknown;
  /** The input as a failed job's report names it. */
  name: string;
  format: InputReport['format'];
  problems: ProblemLog;
  /** Takes one message of the thread; returns the input's report with the last one. */
  onMessage(m: M, worker: Worker): InputReport | undefined;
  /** Bytes of the input read so far (a failure's offset). */
  bytesRead(): number;
  /** End the thread once this job is done (the run's last input: its memory goes before the output needs it). */
  endAfter?: boolean;
}

const threads = new Map<string, Worker>();

function threadOf(file: string, youngMb: number): Worker {
  let w = threads.get(file);
  if (!w) {
    // require, not import(): the built command runs its bundle as a vm.Script, which has no loader for import().
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    w = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: youngMb } });
    w.unref();
    threads.set(file, w);
  }
  return w;
}

/** Ends the thread of `file`, or every thread of this process (their memory goes with them). */
export async function endThreads(file?: string): Promise<void> {
  const ended = file === undefined ? [...threads.values()] : [threads.get(file)];
  if (file === undefined) threads.clear();
  else threads.delete(file);
  await Promise.all(ended.map((w) => w?.terminate()));
}

export function runThreadJob<M>(t: ThreadJob<M>): Promise<InputReport> {
  const worker = threadOf(t.file, t.youngMb);
  worker.ref();
  return new Promise<InputReport>((resolve) => {
    let settled = false;
    const finish = (r: InputReport) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      worker.unref();
      resolve(r);
      if (t.endAfter && threads.get(t.file) === worker) void endThreads(t.file);
    };
    const onMessage = (m: M) => {
      const report = t.onMessage(m, worker);
      if (report) finish(report);
    };
    const failed = (why: string) => {
      if (settled) return;
      if (threads.get(t.file) === worker) threads.delete(t.file);
      void worker.terminate();
      t.problems.error(`could not read the input: ${why}`, { offset: t.bytesRead() });
      finish({
        file: t.name, format: t.format, bytes: t.bytesRead(), linkTypes: [], packets: 0, tcpPackets: 0,
        skipped: {}, warnings: t.problems.warnings, errors: t.problems.errors,
      });
    };
    const onError = (e: Error) => failed(e.message);
    const onExit = (code: number) => failed(`the decoder thread stopped (exit code ${code})`);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ job: t.job });
  });
}
