/**
 * Cost of the connection tracker + close analysis on top of decoding, time and memory.
 *
 *   npx tsx bench/perf-analysis.ts [--rounds=5] [--warm=0] FILE...
 *
 * Modes, each run in its own child process (so peak RSS belongs to one run), interleaved round by round:
 *   decode  decodeInput into a sink that does nothing;
 *   track   decodeInput into the connection tracker (PacketTable + per-packet analyses) + finish();
 *   full    analyzeSources (track + firewall/vantage step + summary; reports are built only when read), what
 *           `analyze` does before writing;
 *   engine  the worker's engine (src/engine/session.ts load: analyzeSources + the flow table columns), the file
 *           handed over as a Blob backed by the file (fs.openAsBlob), as the browser hands a File.
 * Per mode: median seconds, the extra over decode, heap+external retained after the run (after GC) minus the
 * PacketTable, per connection, the peak heap+external sampled during the run, and peak RSS, the last two also as a
 * ratio to the file size (target < 0.2x).
 * --warm=N runs the mode N times in the child before the measured run (steady-state JIT: small files only;
 * peak RSS then includes the warm-up runs).
 */
import { spawnSync } from 'node:child_process';
import { openAsBlob, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { decodeInput } from '../src/decode/index';
import { PacketTable } from '../src/model/packet-table';
import { createProblemLog } from '../src/model/problems';
import { createConnectionTracker } from '../src/analysis/connections';
import { analyzeSources } from '../src/engine/analyze-sources';
import { createEngineSession } from '../src/engine/session';
import { fmt, fmtInt, MB, median, table } from './lib/stats';

type Mode = 'decode' | 'track' | 'full' | 'engine';
const MODES: Mode[] = ['decode', 'track', 'full', 'engine'];

interface Sample {
  seconds: number;
  /** CPU time of the run (user + system), less disturbed than wall time on a busy machine. */
  cpuSeconds: number;
  /** track: wall seconds of tracker.finish() alone (the per-connection analyses), included in `seconds`. */
  finishSeconds: number;
  /** heap + external retained after the run and a GC, minus the baseline. */
  retained: number;
  tableBytes: number;
  peakSampled: number;
  maxRss: number;
  connections: number;
  packets: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/** GC until external memory (read buffers freed by finalizers) settles. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function child(mode: Mode, file: string, warm: number): Promise<Sample> {
  for (let i = 0; i < warm; i++) await child(mode, file, 0);
  const source = await createNodeFileSource(file);
  await settle();
  const base = used();
  let peak = base;
  const onProgress = () => {
    const u = used();
    if (u > peak) peak = u;
  };
  const problems = createProblemLog(file);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let keep: unknown = null;
  let connections = 0;
  let packets = 0;
  let tableBytes = 0;
  let finishSeconds = 0;
  if (mode === 'decode') {
    let n = 0;
    await decodeInput(source, 0, { segments: { segment: () => void n++ } }, { problems, onProgress });
    packets = n;
  } else if (mode === 'track') {
    const t = new PacketTable();
    const tracker = createConnectionTracker(t);
    await decodeInput(source, 0, { segments: tracker }, { problems, onProgress });
    const f0 = performance.now();
    keep = [t, tracker.finish()];
    finishSeconds = (performance.now() - f0) / 1000;
    connections = tracker.connectionCount;
    packets = t.length;
    tableBytes = t.byteSize();
  } else if (mode === 'engine') {
    const engine = createEngineSession();
    const r = await engine.load([{ kind: 'blob', name: file, blob: await openAsBlob(file) }], {}, onProgress);
    onProgress();
    keep = [engine, r];
    connections = r.flows.count;
    packets = r.packets;
    tableBytes = 0; // the engine does not expose its table: "retained-table" is all it keeps
  } else {
    const s = await analyzeSources([source], { onProgress });
    keep = s;
    connections = s.reports.length;
    packets = s.table.length;
    tableBytes = s.table.byteSize();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  onProgress();
  await settle();
  const retained = used() - base;
  void keep;
  return { seconds, cpuSeconds, finishSeconds, retained, tableBytes, peakSampled: peak - base, maxRss: process.resourceUsage().maxRSS * 1024, connections, packets };
}

function runChild(mode: Mode, file: string, warm: number): Sample {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', mode, file, String(warm)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child ${mode} ${file} failed: ${r.stderr}`);
  return JSON.parse(line) as Sample;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await child(args[1] as Mode, args[2], Number(args[3] ?? 0)))}\n`);
    return;
  }
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);
  const warm = Number(args.find((a) => a.startsWith('--warm='))?.slice(7) ?? 0);
  const files = args.filter((a) => !a.startsWith('--'));
  if (!files.length) throw new Error('usage: perf-analysis.ts [--rounds=N] FILE...');
  for (const file of files) {
    const size = statSync(file).size;
    const samples = new Map<Mode, Sample[]>(MODES.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) for (const m of MODES) samples.get(m)!.push(runChild(m, file, warm));
    const dec = median(samples.get('decode')!.map((s) => s.seconds));
    const decCpu = median(samples.get('decode')!.map((s) => s.cpuSeconds));
    const rows = MODES.map((m) => {
      const ss = samples.get(m)!;
      const sec = median(ss.map((s) => s.seconds));
      const cpu = median(ss.map((s) => s.cpuSeconds));
      const last = ss[ss.length - 1];
      const conns = last.connections || NaN;
      const outside = median(ss.map((s) => s.retained - s.tableBytes));
      return [
        m, fmt(sec, 3), m === 'decode' ? '' : `${fmt(((sec - dec) / dec) * 100, 0)}%`,
        fmt(cpu, 3), m === 'decode' ? '' : `${fmt(((cpu - decCpu) / decCpu) * 100, 0)}%`,
        m === 'track' ? fmt(median(ss.map((s) => s.finishSeconds)), 3) : '', fmtInt(last.packets), fmtInt(last.connections),
        fmt(median(ss.map((s) => s.tableBytes)) / MB, 1), fmt(outside / MB, 1), m === 'decode' ? '' : fmtInt(outside / conns),
        fmt(median(ss.map((s) => s.peakSampled)) / MB, 0), fmt(median(ss.map((s) => s.peakSampled)) / size, 3),
        fmt(median(ss.map((s) => s.maxRss)) / MB, 0), fmt(median(ss.map((s) => s.maxRss)) / size, 3),
      ];
    });
    console.log(`${file} (${rounds} interleaved rounds, medians, ${warm} warm-up runs; node ${process.version})`);
    console.log(table(['mode', 'seconds', 'over decode', 'cpu s', 'cpu over decode', 'finish s', 'packets', 'conns', 'table MB', 'retained-table MB', 'B/conn', 'peak heap+ext MB', '/file', 'peak RSS MB', '/file'], rows));
  }
}

await main();
