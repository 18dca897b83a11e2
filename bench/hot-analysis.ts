/**
 * Diagnostic: times the per-connection replay (replay.ts replayAll) and summarizeList again and again on one
 * capture, in one process, so that changes to the per-packet analyses can be compared with less noise than a
 * whole run gives. The pass runs once; ConnKeys.done() is held off so the pass records stay for the repeats.
 *
 *   node --expose-gc --import tsx bench/hot-analysis.ts [file] [--runs=9] [--summary-runs=9]
 */
import { benchParams, ensureBenchPcap } from './generate-pcap';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { decodeInput } from '../src/decode/index';
import { PacketTable } from '../src/model/packet-table';
import { createProblemLog } from '../src/model/problems';
import { createConnectionTracker } from '../src/analysis/connections';
import { ConnKeys } from '../src/analysis/conn-keys';
import { ConnStore } from '../src/analysis/conn-store';
import { replayAll } from '../src/analysis/replay';
import { ConnectionList } from '../src/analysis/connection-list';
import { summarizeList } from '../src/analysis/summary';
import type { ClientBy } from '../src/analysis/client-rule';
import { createHash } from 'node:crypto';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? ensureBenchPcap(benchParams()).file;
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 9);
/** Runs of summarizeList (default: as many as of the replay). */
const summaryRuns = Number(args.find((a) => a.startsWith('--summary-runs='))?.slice(15) ?? runs);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

let keys: ConnKeys | null = null;
const done = ConnKeys.prototype.done;
ConnKeys.prototype.done = function (this: ConnKeys) {
  keys = this;
};
const source = await createNodeFileSource(file);
const table = new PacketTable();
const tracker = createConnectionTracker(table);
await decodeInput(source, 0, { segments: tracker }, { problems: createProblemLog(file) });
const tracked = tracker.finish();
ConnKeys.prototype.done = done;
if (!keys) throw new Error('ConnKeys.done() was not called');
const k = keys as ConnKeys;

// The replay's row layout, as the tracker made it: every connection's rows, one after the other.
const starts = new Uint32Array(k.count + 1);
for (let i = 0; i < k.count; i++) starts[i + 1] = starts[i] + tracked.rowCount(i);
const order = new Uint32Array(starts[k.count]);
for (let i = 0; i < k.count; i++) order.set(tracked.rows(i), starts[i]);

// finish() turned fromClient into "from the client"; the replay reads it as "from side a" (side 0).
const fromClient = table.fromClient.chunks;
function flipWhereClientIsB(): void {
  for (let i = 0; i < k.count; i++) {
    if (tracked.side(i, 'client') !== 1) continue;
    for (const row of tracked.rows(i)) fromClient[row >>> 16][row & 0xffff] ^= 1;
  }
}
flipWhereClientIsB();

/** CPU time (user + system) since t0, in ms: less disturbed by other processes on the machine than wall time. */
function cpuMs(t0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

const replayMs: number[] = [];
for (let r = 0; r < runs; r++) {
  const store = new ConnStore(k.count);
  const clientSide = new Uint8Array(k.count);
  const clientBy: ClientBy[] = new Array(k.count);
  gc();
  const t0 = process.cpuUsage();
  replayAll({ table, keys: k, otherScales: new Map(), order, starts, store, clientSide, clientBy });
  replayMs.push(cpuMs(t0));
}

// Back to "from the client" for the list.
flipWhereClientIsB();
const list = new ConnectionList(tracked, table, [file]);
const summaryMs: number[] = [];
let json = '';
for (let r = 0; r < summaryRuns; r++) {
  gc();
  const t0 = process.cpuUsage();
  const s = summarizeList(list);
  summaryMs.push(cpuMs(t0));
  json = JSON.stringify(s);
}
const show = (ms: number[]) => !ms.length ? "-" : `best ${Math.min(...ms).toFixed(1)} ms, median ${[...ms].sort((a, b) => a - b)[ms.length >> 1].toFixed(1)} ms`;
console.log(`${file}: ${k.count} connections, ${table.length} packets, ${runs} / ${summaryRuns} runs`);
console.log(`replayAll     ${show(replayMs)}   [${replayMs.map((m) => m.toFixed(0)).join(' ')}]`);
console.log(`summarizeList ${show(summaryMs)}   [${summaryMs.map((m) => m.toFixed(0)).join(' ')}]  summary sha256 ${createHash('sha256').update(json).digest('hex').slice(0, 16)}`);
