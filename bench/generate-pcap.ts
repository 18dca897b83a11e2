/**
 * Makes the benchmark capture: a deterministic classic pcap of realistic TCP traffic (see gen/).
 *
 *   npx tsx bench/generate-pcap.ts [--mb=1024] [--conns=100000] [--seed=N] [--out=path] [--force]
 *   env: BENCH_MB, BENCH_CONNS, BENCH_SEED
 *
 * Output: bench/out/bench-1g.pcap for 1024 MB (bench-<MB>m.pcap otherwise) and a manifest
 * <file>.json beside it. The file is only regenerated when missing or when the parameters (or the
 * generator version) changed.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePcap, type GenParams, type GenResult } from './gen/generate';

/** Bump when the generator's output changes, so stale files are rebuilt. */
export const GENERATOR_VERSION = 3;

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = join(BENCH_DIR, 'out');

export interface Manifest extends GenResult {
  generatorVersion: number;
  params: GenParams;
  file: string;
  generatedSeconds: number;
}

function argValue(args: string[], name: string): string | undefined {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

/** Parameters from argv (--mb= --conns= --seed=) then env (BENCH_MB, BENCH_CONNS, BENCH_SEED). */
export function benchParams(args: string[] = process.argv.slice(2)): GenParams {
  const mb = Number(argValue(args, 'mb') ?? process.env.BENCH_MB ?? 1024);
  const connsRaw = argValue(args, 'conns') ?? process.env.BENCH_CONNS;
  const conns = connsRaw ? Number(connsRaw) : Math.max(50, Math.round((100_000 * mb) / 1024));
  const seed = Number(argValue(args, 'seed') ?? process.env.BENCH_SEED ?? 20240305);
  if (!(mb > 0) || !(conns > 0) || !Number.isFinite(seed)) throw new Error(`bad bench parameters mb=${mb} conns=${conns} seed=${seed}`);
  return { mb, conns: Math.round(conns), seed: seed >>> 0 };
}

export function defaultPath(p: GenParams): string {
  const name = p.mb === 1024 ? 'bench-1g' : `bench-${p.mb}m`;
  return join(OUT_DIR, `${name}.pcap`);
}

/** The capture for these parameters, generated if missing or stale. */
export function ensureBenchPcap(p: GenParams, path = defaultPath(p), opts: { force?: boolean; quiet?: boolean } = {}): Manifest {
  const manifestPath = `${path}.json`;
  if (!opts.force && existsSync(path) && existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      if (
        m.generatorVersion === GENERATOR_VERSION &&
        m.params.mb === p.mb &&
        m.params.conns === p.conns &&
        m.params.seed === p.seed &&
        statSync(path).size === m.bytes
      ) {
        return m;
      }
    } catch {
      // unreadable manifest: regenerate
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const log = opts.quiet ? () => {} : (s: string) => process.stderr.write(s);
  log(`generating ${path} (${p.mb} MB, ${p.conns} connections, seed ${p.seed})\n`);
  const t0 = performance.now();
  const tmp = `${path}.tmp`;
  const r = generatePcap(tmp, p, (bytes) => log(`\r  ${(bytes / 1048576).toFixed(0)} MB`));
  renameSync(tmp, path);
  const generatedSeconds = (performance.now() - t0) / 1000;
  log(`\r  ${(r.bytes / 1048576).toFixed(1)} MB, ${r.packets} packets in ${generatedSeconds.toFixed(1)} s\n`);
  const m: Manifest = { generatorVersion: GENERATOR_VERSION, params: p, file: path, generatedSeconds, ...r };
  writeFileSync(manifestPath, JSON.stringify(m, null, 2) + '\n');
  return m;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const p = benchParams(args);
  const out = argValue(args, 'out');
  const m = ensureBenchPcap(p, out ? resolve(out) : defaultPath(p), { force: args.includes('--force') });
  console.log(JSON.stringify(m, null, 2));
}
