/**
 * Syslog decoding speed: a few million ASA lines (bench/syslog-gen.ts) through the real streaming decoder
 * (decodeTextInput: line reader over 4 MiB slices + tag/ID dispatch + targeted message parsing), events into a
 * counting sink. To keep memory small, a pool of distinct lines is encoded once and served repeatedly as
 * slices, so the decoder reads `lines` lines without the benchmark holding them all.
 *
 *   npx tsx bench/syslog-bench.ts [--lines=3000000]
 *
 * runSyslogBench() is what the bench runner (bench/run.ts) calls. Target: 1,000,000 lines/s in Node.
 * On a busy machine wall time varies by +-15%; to compare two versions of the decoder, count instructions
 * instead (deterministic to 0.01%): bundle with esbuild, then
 *   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null node --single-threaded bundle.mjs
 */
import { pathToFileURL } from 'node:url';
import { decodeTextInput } from '../src/decode/text/index';
import type { ByteSource } from '../src/lib/byte-source';
import { createProblemLog } from '../src/model/problems';
import type { InputReport } from '../src/model/report';
import { generateSyslogLines } from './syslog-gen';

const POOL = 50_000;

function repeatedSource(name: string, pool: Uint8Array, repeats: number): ByteSource {
  return {
    name,
    size: pool.length * repeats,
    async *slices() {
      for (let i = 0; i < repeats; i++) yield pool;
    },
    async read() {
      return new Uint8Array(0);
    },
  };
}

export async function runSyslogBench(lines = 3_000_000): Promise<{ lines: number; seconds: number; linesPerSecond: number }> {
  const pool = new TextEncoder().encode(generateSyslogLines(POOL).join('\n') + '\n');
  const repeats = Math.max(1, Math.round(lines / POOL));
  const source = repeatedSource('bench-syslog.log', pool, repeats);
  const problems = createProblemLog(source.name);
  const report: InputReport = { file: source.name, format: 'asa-syslog', bytes: 0, linkTypes: [], packets: 0, tcpPackets: 0, skipped: {}, warnings: [], errors: [] };
  let events = 0;
  const t0 = performance.now();
  await decodeTextInput('asa-syslog', source, 0, { segments: { segment() {} }, firewall: { event: () => void events++ } }, { problems }, report);
  const seconds = (performance.now() - t0) / 1000;
  if (report.errors.length || report.skipped['unparsed 302013']) throw new Error(`bench decode failed: ${JSON.stringify(report.errors)}`);
  if (events === 0) throw new Error('bench decoded no events');
  return { lines: report.packets, seconds, linesPerSecond: Math.round(report.packets / seconds) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv.find((a) => a.startsWith('--lines='));
  const r = await runSyslogBench(arg ? Number(arg.slice(8)) : undefined);
  console.log(`syslog: ${r.lines} lines in ${r.seconds.toFixed(2)} s = ${r.linesPerSecond.toLocaleString('en')} lines/s`);
}
