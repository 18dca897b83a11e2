/**
 * The firewall-log decoder alone, over a log file as the command line reads it (node file source, the command
 * line's ASCII text path): no pairing, no output. Bundled with esbuild and run in a child under /usr/bin/time so
 * the figure is the decoder's own CPU time, comparable across versions:
 *   npx tsx bench/log-decode.ts --file=LOG [--mode=read|decode|batches|store|pairing] [--rounds=3] [--prof]
 * `read`: read and cut lines only (the floor); `decode`: every line through the syslog decoder into a counting
 * sink; `batches`: the command line's log decoder thread's work (records packed into batches, each buffer set
 * given straight back); `store`: the decoder into the firewall log's columns (pairing included: what `analyze`
 * does before output); `pairing`: only the command line's main thread's part of `store` (the batches of `batches`,
 * made first and kept, read into a FirewallLog), its CPU time measured in the child.
 * `--prof` writes a .cpuprofile of one decode run to bench/out/prof/log-decode/ and prints the top self times.
 */
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..');
const OUT = join(REPO, 'bench', 'out');
const arg = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);

const file = arg('file');
if (!file) throw new Error('--file=LOG is required (make one with bench/log-gen.ts)');
const modes = (arg('mode') ?? 'read,decode,batches,store').split(',');
const rounds = Number(arg('rounds') ?? 3);
const bundle = join(OUT, 'log-decode-child.cjs');
mkdirSync(OUT, { recursive: true });
buildSync({
  entryPoints: [join(REPO, 'bench', 'lib', 'log-decode-child.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  logLevel: 'error',
});

interface Run { seconds: number; cpu: number; lines: number; events: number }
function runOnce(mode: string, extra: string[] = []): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, ...extra, bundle, mode, file!], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [e, u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const out = JSON.parse(r.stdout) as { lines: number; events: number; cpu?: number };
  return { seconds: e, ...out, cpu: out.cpu ?? u + s };
}

if (process.argv.includes('--prof')) {
  const dir = join(OUT, 'prof', 'log-decode');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  runOnce(modes[0], ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']);
  const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'))!;
  const prof = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { nodes: { callFrame: { functionName: string; lineNumber: number }; hitCount?: number }[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const n of prof.nodes) {
    const h = n.hitCount ?? 0;
    total += h;
    const k = `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + h);
  }
  for (const [k, h] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('top') ?? 30))) console.log(`${((100 * h) / total).toFixed(1).padStart(5)}%  ${k}`);
} else {
  console.log(`load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (let k = 0; k < rounds; k++) {
    for (const mode of modes) {
      const r = runOnce(mode);
      console.log(`${mode.padEnd(7)} ${r.lines} lines ${r.events} events  ${r.seconds.toFixed(2)} s  ${r.cpu.toFixed(2)} CPU-s  ` +
        `${Math.round(r.lines / r.cpu).toLocaleString('en')} lines per CPU-s`);
    }
  }
}
