/**
 * Firewall logs at the size firewalls write them, whole process as the user runs it (`npm run analyze`, the built
 * command line): generated ASA/FTD logs (bench/log-gen.ts) of 1 M lines with unique flows, 1 M lines whose
 * 4-tuples recur thousands of times, and 5 M lines, and a 1 M-line FortiGate traffic log (bench/fortigate-gen.ts,
 * ~570 bytes a line), each through the table, --ndjson and --json (stdout to
 * /dev/null), timed and measured with /usr/bin/time -v (peak RSS). Prints lines/s and peak RSS / file size, and the
 * recurring log's speed relative to the unique one's (same run, so machine load hits both alike).
 *   npx tsx bench/log-bench.ts [--lines=5000000] [--small=1000000] [--modes=table,ndjson,json]
 * Also part of `npm run bench` (skip with --no-logs). Writes bench/out/log-results.json.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateFortigateLog } from './fortigate-gen';
import { generateLog } from './log-gen';
import { childOf, sampleThreads, type ThreadCpu } from './lib/thread-cpu';

const REPO = join(import.meta.dirname, '..');
const OUT = join(REPO, 'bench', 'out');
const log = (s: string) => process.stderr.write(`${s}\n`);

export interface LogBenchRow {
  log: string;
  lines: number;
  bytes: number;
  mode: string;
  seconds: number;
  linesPerSecond: number;
  /** The child's own CPU time (user + system): moves far less than wall time on a machine shared with other work. */
  cpuSeconds: number;
  linesPerCpuSecond: number;
  /**
   * CPU seconds of the main thread, of the decoder and writer threads (the two busiest others: the JSON modes of a big
   * log write on a second thread) and of V8's and libuv's threads (null: not Linux).
   */
  threads: ThreadCpu | null;
  maxRssMB: number;
  rssPerFileSize: number;
  exit: number | null;
}

function ensureLog(name: string, lines: number, recurring: boolean, fortigate = false): string {
  const file = join(OUT, name);
  if (!existsSync(file)) {
    log(`generating ${file} (${lines} lines${recurring ? ', recurring flows' : ''}${fortigate ? ', FortiGate' : ''})`);
    if (fortigate) generateFortigateLog(file, { lines, seed: 1 });
    else generateLog(file, { lines, recurring, seed: 1 });
  }
  return file;
}

/**
 * One whole `analyze` process; wall time and peak RSS from /usr/bin/time -v, each thread's CPU time from /proc while
 * it runs (lib/thread-cpu.ts).
 */
async function runOnce(file: string, mode: string): Promise<{ seconds: number; cpuSeconds: number; maxRssKB: number; threads: ThreadCpu | null; exit: number | null }> {
  const args = ['-v', process.execPath, join(REPO, 'scripts', 'run-cli.mjs'), ...(mode === 'table' ? [] : [`--${mode}`]), file];
  const t0 = performance.now();
  const p = spawn('/usr/bin/time', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // The threads of the node process /usr/bin/time runs (run-cli.mjs loads the built command into itself).
  const threads = sampleThreads(() => (p.pid === undefined ? null : childOf(p.pid)));
  let err = '';
  p.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const status = await new Promise<number | null>((done) => p.on('close', (code) => done(code)));
  const seconds = (performance.now() - t0) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
  const cpu = (what: string) => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(err)?.[1] ?? NaN);
  if (status !== 0) log(err.split('\n').slice(0, 5).join('\n'));
  return { seconds, cpuSeconds: cpu('User') + cpu('System'), maxRssKB: rss ? Number(rss[1]) : NaN, threads: threads.stop(), exit: status };
}

/**
 * The floor under any whole-process figure: a node process that only reads the file (2 MiB slices, as the command
 * line does), makes text of it in 64 KiB pieces and cuts it into lines, counting them. Same machine, same run.
 */
const FLOOR_SCRIPT = `
const fs = require('node:fs');
const fd = fs.openSync(process.argv[1], 'r');
const slice = Buffer.allocUnsafe(2 << 20);
let pos = 0, lines = 0, chars = 0, carry = '';
for (;;) {
  const n = fs.readSync(fd, slice, 0, slice.length, pos);
  if (n === 0) break;
  pos += n;
  for (let a = 0; a < n; a += 65536) {
    const text = carry + slice.latin1Slice(a, Math.min(n, a + 65536));
    let start = 0;
    for (let nl = text.indexOf('\\n'); nl >= 0; nl = text.indexOf('\\n', start)) {
      chars += text.slice(start, nl).length; // each line made a string, as the decoder gets it
      lines++;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
}
if (carry.length) lines++;
process.stdout.write(chars >= 0 ? String(lines) : '');
`;

function readFloor(file: string): { seconds: number; cpuSeconds: number; lines: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '-e', FLOOR_SCRIPT, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  const err = r.stderr.toString();
  const cpu = (what: string) => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(err)?.[1] ?? NaN);
  return { seconds, cpuSeconds: cpu('User') + cpu('System'), lines: Number(r.stdout.toString()) };
}

export async function runLogBench(opts: { lines?: number; small?: number; modes?: string[] } = {}): Promise<LogBenchRow[]> {
  mkdirSync(OUT, { recursive: true });
  const small = opts.small ?? 1_000_000;
  const big = opts.lines ?? 5_000_000;
  const modes = opts.modes ?? ['table', 'ndjson', 'json'];
  const logs: [string, number, string][] = [
    ['unique 1M', small, ensureLog(`asa-${small}.log`, small, false)],
    ['recurring 1M', small, ensureLog(`asa-${small}-recurring.log`, small, true)],
    ['unique 5M', big, ensureLog(`asa-${big}.log`, big, false)],
    ['fortigate 1M', small, ensureLog(`fortigate-${small}.log`, small, false, true)],
  ];
  execFileSync(process.execPath, [join(REPO, 'scripts', 'build-cli.mjs')], { cwd: REPO, stdio: 'inherit' });
  const rows: LogBenchRow[] = [];
  const floors: { log: string; seconds: number; cpuSeconds: number; linesPerSecond: number; linesPerCpuSecond: number }[] = [];
  const load = loadavg()[0];
  for (const [name, lines, file] of logs) {
    const bytes = statSync(file).size;
    const floor = readFloor(file);
    log(`${name.padEnd(13)} read floor ${floor.seconds.toFixed(1).padStart(4)} s  ${Math.round(lines / floor.seconds).toLocaleString('en').padStart(10)} lines/s  ` +
      `(CPU ${floor.cpuSeconds.toFixed(1)} s: ${Math.round(lines / floor.cpuSeconds).toLocaleString('en')} lines per CPU second; node reading the file and cutting lines, nothing else)` +
      `${floor.lines === lines ? '' : `  COUNTED ${floor.lines} LINES`}`);
    floors.push({ log: name, seconds: floor.seconds, cpuSeconds: floor.cpuSeconds, linesPerSecond: lines / floor.seconds, linesPerCpuSecond: lines / floor.cpuSeconds });
    for (const mode of modes) {
      const r = await runOnce(file, mode);
      const row: LogBenchRow = {
        log: name, lines, bytes, mode, seconds: r.seconds, linesPerSecond: lines / r.seconds, cpuSeconds: r.cpuSeconds,
        linesPerCpuSecond: lines / r.cpuSeconds, threads: r.threads, maxRssMB: r.maxRssKB / 1024,
        rssPerFileSize: (r.maxRssKB * 1024) / bytes, exit: r.exit,
      };
      rows.push(row);
      log(`${name.padEnd(13)} ${mode.padEnd(7)} ${r.seconds.toFixed(1).padStart(7)} s  ${Math.round(row.linesPerSecond).toLocaleString('en').padStart(10)} lines/s  ` +
        `(CPU ${r.cpuSeconds.toFixed(1)} s: ${Math.round(row.linesPerCpuSecond).toLocaleString('en')} lines per CPU second` +
        `${r.threads ? `; main thread ${r.threads.main.toFixed(1)} s, decoder and writer threads (the two busiest others) ${r.threads.busiest.toFixed(1)} and ${r.threads.second.toFixed(1)} s, other threads ${r.threads.rest.toFixed(1)} s` : ''})  ` +
        `peak RSS ${Math.round(row.maxRssMB)} MB = ${row.rssPerFileSize.toFixed(2)}x the file (${Math.round(bytes / 1048576)} MB)${r.exit ? `  EXIT ${r.exit}` : ''}`);
    }
  }
  const per = (name: string, mode: string, k: 'linesPerSecond' | 'linesPerCpuSecond') => rows.find((r) => r.log === name && r.mode === mode)?.[k] ?? NaN;
  for (const mode of modes) {
    log(`recurring vs unique flows, ${mode}: ${(per('recurring 1M', mode, 'linesPerSecond') / per('unique 1M', mode, 'linesPerSecond')).toFixed(2)}x the speed per line ` +
      `(wall), ${(per('recurring 1M', mode, 'linesPerCpuSecond') / per('unique 1M', mode, 'linesPerCpuSecond')).toFixed(2)}x per CPU second`);
  }
  log(`load average ${load.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (targets: table/ndjson >= 1,000,000 lines/s, json >= 500,000, RSS <= 0.5x)`);
  writeFileSync(join(OUT, 'log-results.json'), JSON.stringify({ loadAverage: load, rows, readFloors: floors }, null, 2));
  return rows;
}

if (process.argv[1] && /log-bench\.ts$/.test(process.argv[1])) {
  const arg = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
  void runLogBench({
    lines: arg('lines') ? Number(arg('lines')) : undefined,
    small: arg('small') ? Number(arg('small')) : undefined,
    modes: arg('modes')?.split(','),
  });
}
