/**
 * CPU profile of one bench measurement, summarised by function (self time and inclusive time).
 *
 *   npx tsx bench/profile.ts [decode|analyze] [--mb=1024] [--top=25]
 *
 * Runs bench/lib/child.ts under `node --cpu-prof` on the generated capture, writes the raw
 * .cpuprofile to bench/out/prof/ (open it in Chrome DevTools > Performance) and prints the top
 * functions with their share of all samples.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchParams, ensureBenchPcap, OUT_DIR } from './generate-pcap';
import { runChild, REPO } from './lib/spawn';
import { fmt, table } from './lib/stats';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const args = process.argv.slice(2);
const mode = args.find((a) => !a.startsWith('--')) ?? 'analyze';
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);

const manifest = ensureBenchPcap(benchParams(args));
const dir = join(OUT_DIR, 'prof', mode);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const r = await runChild(mode, manifest.file, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[] };

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const f = n.callFrame;
  // tsx-compiled sources report line 0 for every function, so the line is only shown when known.
  const path = f.url.replace(/^file:\/\//, '').replace(REPO + '/', '');
  const where = f.url ? (f.lineNumber > 0 ? `${path}:${f.lineNumber + 1}` : path) : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
for (const n of prof.nodes) {
  const h = n.hitCount ?? 0;
  if (!h) continue;
  total += h;
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + h);
  // Inclusive: count once per distinct function on the stack.
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const k = label(byId.get(id)!);
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + h);
  }
}
const rows = (m: Map<string, number>) =>
  [...m.entries()]
    .filter(([k]) => !k.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => [k, `${fmt((100 * v) / total, 1)}%`]);
console.log(`${mode} on ${manifest.file.replace(REPO + '/', '')}: ${fmt(r.seconds, 2)} s under the profiler, ${total} samples`);
console.log(`profile: ${join(dir, file).replace(REPO + '/', '')}\n`);
console.log(table(['self time', '%'], rows(self)));
console.log('');
console.log(table(['inclusive time', '%'], rows(incl)));
