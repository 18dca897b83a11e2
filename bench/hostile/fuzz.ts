/**
 * The long mutation fuzz run of issue 15: 10,000 mutants per target by default (CI runs a few hundred).
 *
 *   npx tsx bench/hostile/fuzz.ts [--n=10000] [--seed=15] [target...]
 *
 * Prints, per target: mutants, failures (the first few in full), the slowest mutant and the total, in CPU time.
 */
import { fuzz, TARGETS, type Target } from '../../tests/unit/hostile-fuzz';

const opt = (n: string) => process.argv.find((a) => a.startsWith(`--${n}=`))?.slice(n.length + 3);
const n = Number(opt('n') ?? 10_000);
const seed = Number(opt('seed') ?? 15);
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('--')) as Target[];
let failed = 0;
for (const t of chosen.length ? chosen : TARGETS) {
  const r = await fuzz(t, n, seed);
  failed += r.failures.length;
  console.log(`${t.padEnd(13)} ${r.runs} mutants  ${r.failures.length} failures  slowest ${r.maxMs.toFixed(1)} CPU-ms  total ${(r.totalMs / 1000).toFixed(1)} CPU-s`);
  for (const f of r.failures.slice(0, 5)) console.log(`    ${f}`);
}
process.exit(failed ? 1 : 0);
