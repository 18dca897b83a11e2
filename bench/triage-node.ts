/**
 * The first triage of a big firewall log in Node, by phase: `npx tsx bench/triage-node.ts [--connections=1000000]`
 * generates a triage log (bench/triage-log-gen.ts) of about that many connections, analyses it as the worker does,
 * then times the triage input made from the log's columns (analysis/firewall/triage-input.ts), its preparation
 * (address index, triage.ts prepareTriage) and a first view; each phase as wall time and as a share of the load.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../src/engine/analyze-sources';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { prepareTriage, triageView } from '../src/analysis/firewall/triage';
import { generateTriageLog, TRIAGE_LOG_DEFAULTS } from './triage-log-gen';

const arg = process.argv.find((a) => a.startsWith('--connections='));
const want = arg ? Number(arg.slice(14)) : 1_000_000;
const out = join(import.meta.dirname, '../tests/out');
mkdirSync(out, { recursive: true });
const file = join(out, `triage-node-${want}.log`);
const chunks: string[] = [];
const perHour = Math.max(10, Math.round(want / (TRIAGE_LOG_DEFAULTS.days * 24)));
const truth = generateTriageLog({ perHour }, (c) => chunks.push(c));
writeFileSync(file, chunks.join(''));
chunks.length = 0;

const t0 = performance.now();
const session = await analyzeSources([await createNodeFileSource(file)], {});
const t1 = performance.now();
const input = session.triage!;
const t2 = performance.now();
const prep = prepareTriage(input);
const t3 = performance.now();
const view = triageView(prep, { fromUs: null, toUs: null, classes: 0, host: '' });
const t4 = performance.now();
const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`${truth.connections} connections, ${input.denies.count} 106015 denies, ${input.names.length} endpoint names`);
console.log(`load ${ms(t1 - t0)}; triage input ${ms(t2 - t1)} (${((t2 - t1) / (t1 - t0)).toFixed(3)} of the load); prepare ${ms(t3 - t2)} (${((t3 - t2) / (t1 - t0)).toFixed(3)}); first view ${ms(t4 - t3)} (${((t4 - t3) / (t1 - t0)).toFixed(3)}), total ${view.total}`);
