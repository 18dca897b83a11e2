/**
 * The ladder of the biggest connection of a capture, in Node, as the worker builds it (issue 15, item 2):
 *
 *   /usr/bin/time -v npx tsx bench/hostile/ladder-node.ts FILE [--whole]
 *
 * Prints the load time, the ladder time and the heap after each. `--whole` builds the connection's whole packet
 * timeline first (what the engine did before the bounded window) for comparison.
 */
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createNodeFileSource } from '../../src/cli/node-file-source';

const file = process.argv[2];
const whole = process.argv.includes('--whole');
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const t0 = performance.now();
const s = await analyzeSources([await createNodeFileSource(file)]);
const t1 = performance.now();
let biggest = 0;
for (let i = 1; i < s.reports.length; i++) {
  if (s.connections.rowCount(i) > s.connections.rowCount(biggest)) biggest = i;
}
console.log(`loaded ${s.table.length} packets, ${s.reports.length} connections in ${((t1 - t0) / 1000).toFixed(1)} s; heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);
const conn = s.reports.at(biggest)!;
let kept = 0;
if (whole) {
  const all = connectionPackets(s, conn.id); // the old path: one object per packet, then 4,000 kept
  kept = all.slice(-4000).length;
} else kept = ladderData(s, conn).packets.length;
const t2 = performance.now();
console.log(`ladder of connection ${conn.id} (${s.connections.rowCount(biggest)} packets): ${kept} kept in ${((t2 - t1) / 1000).toFixed(2)} s; heap ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);
