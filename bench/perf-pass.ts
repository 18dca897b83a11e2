/**
 * Diagnostic: what the packet pass of the connection tracker costs, piece by piece, on top of decoding.
 *   [ROUNDS=3] [STAGES=decode,keys,...] npx tsx bench/perf-pass.ts FILE
 * Stages (each a separate decode of FILE, sink doing more and more): nothing; reading a few fields (touch);
 * hashing the 4-tuple (load); 4-tuple lookup
 * (ConnKeys); + PacketTable row; + TLS walk (= the tracker's pass); the whole tracker incl. finish().
 */
import { createNodeFileSource } from '../src/cli/node-file-source';
import { decodeInput } from '../src/decode/index';
import { PacketTable } from '../src/model/packet-table';
import { createProblemLog } from '../src/model/problems';
import type { TcpSegment } from '../src/model/segment';
import { connectionsOnlySink } from './lib/connections-only';
import { createConnectionTracker } from '../src/analysis/connections';

const file = process.argv[2];
type Stage = 'decode' | 'touch' | 'load' | 'keys' | 'keys+table' | 'keys+table+tls' | 'tracker';
function sinkFor(stage: Stage, table: PacketTable): { segment(s: TcpSegment): void; finish?: () => unknown } {
  if (stage === 'decode') return { segment() {} };
  if (stage === 'touch') {
    // Reads a few segment fields, so the sink call is not a no-op: the floor for any real sink.
    let sum = 0;
    return { segment(s: TcpSegment) { sum = (sum + s.srcAddr[0] + s.dstPort + s.flags) | 0; }, finish: () => sum };
  }
  if (stage === 'tracker') return createConnectionTracker(table);
  return connectionsOnlySink(table, stage);
}

const stages: Stage[] = (process.env.STAGES?.split(',') as Stage[]) ?? ['decode', 'keys', 'keys+table', 'keys+table+tls', 'tracker'];
const times = new Map<Stage, number[]>(stages.map((s) => [s, []]));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
for (let round = 0; round < ROUNDS; round++) {
  for (const stage of stages) {
    const source = await createNodeFileSource(file);
    const table = new PacketTable();
    const sink = sinkFor(stage, table);
    const t0 = process.cpuUsage();
    await decodeInput(source, 0, { segments: sink }, { problems: createProblemLog(file) });
    sink.finish?.();
    const t = process.cpuUsage(t0);
    times.get(stage)!.push((t.user + t.system) / 1e6);
  }
}
for (const s of stages) {
  const v = [...times.get(s)!].sort((a, b) => a - b)[ROUNDS >> 1];
  console.log(`${s.padEnd(16)} cpu ${v.toFixed(3)} s`);
}
