/**
 * analyze's readable table of a big firewall log read alone (no captured connection), on two cores: once the log is
 * read, its connection table is written by another thread (cli/table-thread.ts) while this one joins the log's denies
 * to its connections and correlates them, which that table does not read (every row is log-only connection k =
 * firewall row k). This thread writes nothing to stdout until the other is done; then the deny table and the
 * summary follow as ever (cli/output.ts writeTable). Copies of the 7 columns the table reads are handed over (their
 * buffers transferred; ~33 bytes a connection), with each name's IPv4 value or, for the few others, its text.
 *
 * On for LOG_ROWS connections or more (any number with TEARDOWN_DECODE_THREAD=1, never with =0, as the decoder
 * threads: cli/threaded-decode.ts), and only where the built thread file is (not from sources under tsx).
 * u5m.log (934,094 connections): the join and correlation (~0.65 CPU-s) and this table (~0.6 CPU-s) overlap.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FirewallLog } from '../analysis/firewall/log';
import type { TableDone, TableJob } from './table-thread';
import { addressCodes } from './cell-text';

/** Below this many connections the thread's start (~0.05 s of a fresh heap and compiling) costs what it saves. */
const LOG_ROWS = 1 << 16;

function threadFile(): string | null {
  try {
    const f = fileURLToPath(new URL('./table-thread.mjs', import.meta.url));
    return existsSync(f) ? f : null;
  } catch {
    return null;
  }
}

/**
 * Starts writing the connection table of `log` (read alone: no captured connection) on its own thread. Resolves
 * true once it is on stdout, false when the thread failed before writing any of it (then it is written here);
 * rejects when it failed partway. Null when it is written here as ever (too few connections, no thread file, off).
 */
export function connectionTableInThread(log: FirewallLog, env: string | undefined = process.env.TEARDOWN_DECODE_THREAD): Promise<boolean> | null {
  const n = log.conns.count;
  if (env === '0' || (env !== '1' && n < LOG_ROWS)) return null;
  const file = threadFile();
  if (!file) return null;
  const c = log.conns;
  const conns = {
    cAddr: c.cAddr.slice(0, n), cPort: c.cPort.slice(0, n), sAddr: c.sAddr.slice(0, n), sPort: c.sPort.slice(0, n),
    startUs: c.startUs.slice(0, n), endUs: c.endUs.slice(0, n), proto: c.proto.slice(0, n),
  };
  // Addresses as the table writes them: an IPv4 value, else the normalised text (no string of an IPv4 address goes).
  const codes = addressCodes(log.names);
  const texts: string[] = [];
  for (let id = 0; id < codes.length; id++) if (codes[id] === 1) texts[id] = log.names.list[log.normId(id)]; // made by FirewallLog.finish: none added
  const job: TableJob = { conns, count: n, codes, texts };
  // require, not import(): the built command runs its bundle as a vm.Script, which has no loader for import().
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  worker.postMessage(job, [...Object.values(conns).map((a) => a.buffer as ArrayBuffer), codes.buffer as ArrayBuffer]);
  let writing = false;
  return new Promise<boolean>((done, fail) => {
    const end = (e: Error | null) => {
      worker.removeAllListeners();
      void worker.terminate();
      if (!e) done(true);
      else if (!writing) done(false);
      else fail(e);
    };
    worker.on('message', (m: TableDone) => {
      if ('writing' in m) writing = true;
      else if ('closed' in m) process.exit(0); // the reader is gone: the command ends quietly (cli/stdout.ts)
      else end('error' in m ? new Error(`the table thread could not write: ${m.error}`) : null);
    });
    worker.on('error', (e) => end(e));
    worker.on('exit', (code) => end(new Error(`the table thread stopped (exit code ${code})`)));
  });
}
