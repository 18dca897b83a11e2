/**
 * Deterministic ASA/FTD logs at the size firewalls write them, streamed to a file (flat memory at any size):
 *   npx tsx bench/log-gen.ts --lines=5000000 [--recurring] [--seed=1] --out=bench/out/asa-5m.log
 * Two devices (fw-a writes `<PRI>Mon dd yyyy HH:MM:SS fw-a : %ASA-...`, fw-b the RFC 3164 shape
 * `Mon dd HH:MM:SS fw-b %FTD-...` with no year), about 200 lines a second from 2018-06-20 00:00:00 on.
 * Per connection: Built (inbound with NAT, or outbound), often an xlate Built/Teardown pair, then a Teardown
 * after a lognormal lifetime with a realistic reason mix (TCP FINs, Reset-I/O, SYN/FIN/Idle Timeout,
 * Conn-timeout); 106015 denies of late packets 0-3 s after a FIN/Reset close, 106015 denies 1-10 min after an
 * idle timeout, and 106015 denies of flows the log never built (scans, backscatter). Noise: 106023 ACL denies,
 * 106100 permits, 733100, 113005, 722051. `--recurring`: every connection takes one of 150 address pairs
 * (ports included), so each 4-tuple recurs thousands of times, as the flows of a few chatty services do.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createLineTimeline, generateLogText, type LogGenOptions } from './log-lines';

export { Heap, rng, type Due, type LogGenOptions } from './log-lines';

/** createLineTimeline (bench/log-lines.ts) writing to the file `out`; `close` closes it. */
export function createTimeline(out: string, line: (tMs: number, dev: number, text: string) => string) {
  const fd = openSync(out, 'w');
  const tl = createLineTimeline((text) => void writeSync(fd, text), line);
  const close = tl.close;
  tl.close = () => {
    const bytes = close();
    closeSync(fd);
    return bytes;
  };
  return tl;
}

/** Writes the log to `out`; returns the number of lines and connections. */
export function generateLog(out: string, o: LogGenOptions): { lines: number; connections: number; bytes: number } {
  const fd = openSync(out, 'w');
  try {
    return generateLogText((text) => void writeSync(fd, text), o);
  } finally {
    closeSync(fd);
  }
}

const invokedDirectly = process.argv[1] && /log-gen\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const arg = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
  const out = arg('out') ?? 'bench/out/asa.log';
  const res = generateLog(out, { lines: Number(arg('lines') ?? 1e6), recurring: process.argv.includes('--recurring'), seed: Number(arg('seed') ?? 1) });
  process.stderr.write(`${out}: ${res.lines} lines, ${res.connections} connections, ${res.bytes} bytes\n`);
}
