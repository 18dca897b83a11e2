/**
 * The flow table's filter expressions at a million rows: `npx tsx bench/filter-bench.ts [--connections=1340000]`
 * generates a firewall log of about 3/4 that many connections (the default makes about a million) (bench/triage-log-gen.ts: every one log-only), analyses it
 * and builds the flow columns as the worker does (engine/flow-columns.ts), then times session.query's work
 * (model/flow-table.ts queryFlows, sorted by start) for each filter text: the first query of a text (parse, compile,
 * per-address facts) and the same text again, next to no filter and the free-text search in the same run.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../src/engine/analyze-sources';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { flowColumnsOf } from '../src/engine/flow-columns';
import { logOnlyFlowRows } from '../src/engine/firewall-records';
import { DEFAULT_QUERY, queryFlows, type FlowQueryCache } from '../src/model/flow-table';
import { classifySearch } from '../src/model/filter/classify';
import { compileFilter } from '../src/model/filter/compile';
import { generateTriageLog, TRIAGE_LOG_DEFAULTS } from './triage-log-gen';

const arg = process.argv.find((a) => a.startsWith('--connections='));
const want = arg ? Number(arg.slice(14)) : 1_340_000;
const out = join(import.meta.dirname, '../tests/out');
mkdirSync(out, { recursive: true });
const file = join(out, `filter-bench-${want}.log`);
const chunks: string[] = [];
generateTriageLog({ perHour: Math.max(10, Math.round(want / (TRIAGE_LOG_DEFAULTS.days * 24))) }, (c) => chunks.push(c));
writeFileSync(file, chunks.join(''));
chunks.length = 0;

const session = await analyzeSources([await createNodeFileSource(file)], {});
const c = flowColumnsOf(session.reports, logOnlyFlowRows(session));
const cache: FlowQueryCache = {};
const time = (text: string) => {
  const t0 = performance.now();
  const rows = queryFlows(c, { ...DEFAULT_QUERY, text }, cache);
  const t1 = performance.now();
  queryFlows(c, { ...DEFAULT_QUERY, text }, cache);
  const t2 = performance.now();
  // The filter alone: parse, compile and one predicate pass over every row (no sort, no result array).
  const s = classifySearch(text);
  let pass = NaN;
  if (s.mode === 'expression') {
    // The median of five (the machine is shared: single runs are noisy).
    const runs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t3 = performance.now();
      const pred = compileFilter(s.expr, c, cache.filter);
      let m = 0;
      for (let i = 0; i < c.count; i++) if (pred(i)) m++;
      runs.push(performance.now() - t3);
      if (m !== rows.length) throw new Error(`${text}: ${m} rows by the predicate, ${rows.length} by the query`);
    }
    pass = runs.sort((a, b) => a - b)[2];
  }
  return { rows: rows.length, first: t1 - t0, again: t2 - t1, pass };
};
const base = time('');
console.log(`${c.count} rows (${c.strings.length} pooled strings); no filter: ${base.first.toFixed(0)} ms, again ${base.again.toFixed(0)} ms`);
for (const text of [
  '10.1.', 'tcp.port == 443', 'tcp.dstport in {443 8443} and ip.src == 198.51.100.0/24', 'ip.addr == 10.0.0.0/8',
  'teardown.reason contains "fin" && !teardown.denied', 'teardown.close == none and tcp.port > 1024 or udp', 'tcp.flags.reset == 1',
]) {
  const r = time(text);
  console.log(`${JSON.stringify(text)}: ${r.rows} rows, first ${r.first.toFixed(0)} ms (${(r.first / base.again).toFixed(2)}x no filter), again ${r.again.toFixed(0)} ms (${(r.again / base.again).toFixed(2)}x)${Number.isNaN(r.pass) ? '' : `; the filter alone (median of 5) ${r.pass.toFixed(0)} ms`}`);
}
