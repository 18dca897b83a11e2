/**
 * Golden outputs for refactoring the analysis without changing results: for every capture given (and a
 * few multi-input sets), writes what `analyze --json` prints (same code path: analyzeSources + JSON.stringify
 * with indent 1) plus every connection's packet timeline (connectionPackets, what the ladder draws) to OUTDIR.
 *
 *   npx tsx bench/perf-golden.ts OUTDIR FILE...       then: diff -r OUTDIR1 OUTDIR2
 * A set of files analysed together: pass them joined with '+' (a+b+c).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { analyzeReport, analyzeSources, connectionPackets } from '../src/engine/analyze-sources';

const [outDir, ...specs] = process.argv.slice(2);
if (!outDir || !specs.length) throw new Error('usage: perf-golden.ts OUTDIR FILE...');
mkdirSync(outDir, { recursive: true });
for (const spec of specs) {
  const files = spec.split('+');
  const name = files.map((f) => basename(f)).join('+');
  try {
    const sources = await Promise.all(files.map((f) => createNodeFileSource(f)));
    const s = await analyzeSources(sources);
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(analyzeReport(s), null, 1)}\n`);
    const lines: string[] = [];
    for (const r of s.reports.toArray()) {
      if ((r.source ?? 'packets') !== 'packets') continue;
      for (const p of connectionPackets(s, r.id)) lines.push(`${r.id} ${JSON.stringify(p)}`);
    }
    writeFileSync(join(outDir, `${name}.packets`), `${lines.join('\n')}\n`);
  } catch (e) {
    writeFileSync(join(outDir, `${name}.error`), String((e as Error).stack));
  }
}
