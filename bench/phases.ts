/**
 * Diagnostic, not a headline figure: where full analysis spends its time, phase by phase, by
 * calling the same building blocks analyzeSources (src/engine/analyze-sources.ts) calls, in the
 * same order, with a timer and a heap reading (after GC) between them. If that orchestration
 * changes, update this mirror (it says so when an import is missing).
 *
 *   node --expose-gc --import tsx bench/phases.ts [file]      (default: the 1 GB bench capture)
 */
import { benchParams, ensureBenchPcap } from './generate-pcap';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { decodeInput } from '../src/decode/index';
import { PacketTable } from '../src/model/packet-table';
import { createProblemLog } from '../src/model/problems';
import { createConnectionTracker } from '../src/analysis/connections';
import { summarizeList } from '../src/analysis/summary';
import { ConnectionList } from '../src/analysis/connection-list';
import { applyFirewallAndVantage } from '../src/analysis/firewall/apply';
import { fmt, MB, table as textTable } from './lib/stats';

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? ensureBenchPcap(benchParams()).file;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rows: string[][] = [];
let t = performance.now();
gc();
let heap = process.memoryUsage();
const base = heap;
function phase(name: string): void {
  const now = performance.now();
  const seconds = (now - t) / 1000;
  gc();
  const m = process.memoryUsage();
  rows.push([name, fmt(seconds, 3), fmt((m.heapUsed - heap.heapUsed) / MB, 0), fmt((m.external - heap.external) / MB, 0)]);
  heap = m;
  t = performance.now();
}

const source = await createNodeFileSource(file);
const tbl = new PacketTable();
const noSink = { segment() {} };
t = performance.now();
await decodeInput(source, 0, { segments: noSink }, { problems: createProblemLog(file) });
phase('decode only (sink does nothing) [not part of the sum]');
const decodeOnly = rows[0];
const tracker = createConnectionTracker(tbl);
const inputs = [await decodeInput(source, 0, { segments: tracker }, { problems: createProblemLog(file) })];
phase('decode + tracker.segment (per-packet analyses, PacketTable)');
const connections = tracker.finish();
phase('tracker.finish (order, client side)');
applyFirewallAndVantage({ table: tbl, connections, inputs, files: [file], firewall: null });
phase('applyFirewallAndVantage');
const list = new ConnectionList(connections, tbl, [file]);
summarizeList(list);
phase('summarizeList');
for (let i = 0; i < connections.count; i++) list.reports.report(i);
phase(`report x ${connections.count} (every report object, as the page makes them when read)`);

const total = rows.slice(1).reduce((a, r) => a + Number(r[1].replace(/,/g, '')), 0);
console.log(`${file}: ${fmt(source.size! / MB, 0)} MB, ${connections.count} connections, ${tbl.length} packets`);
console.log(textTable(['phase', 'seconds', 'heap +MB', 'external +MB'], rows));
console.log(`sum of analysis phases: ${fmt(total, 3)} s; decode alone ${decodeOnly[1]} s`);
console.log(`retained at the end: heap ${fmt((heap.heapUsed - base.heapUsed) / MB, 0)} MB, external ${fmt((heap.external - base.external) / MB, 0)} MB; RSS peak ${fmt((process.resourceUsage().maxRSS * 1024) / MB, 0)} MB`);
void list;
