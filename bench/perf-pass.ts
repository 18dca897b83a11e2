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
import { ConnKeys } from '../src/analysis/conn-keys';
import { tlsSegment } from '../src/analysis/tls-walk';
import { STRIDE } from '../src/analysis/pass-record';
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
  const keys = new ConnKeys();
  return {
    segment(s: TcpSegment) {
      keys.load(s);
      if (stage === 'load') return;
      let c = keys.find(s);
      if (c < 0) c = keys.add(s, false);
      if (stage === 'keys') return;
      const row = table.add();
      const ci = row >>> 16;
      const j = row & 0xffff;
      table.input.chunks[ci][j] = s.input;
      table.frame.chunks[ci][j] = s.frame;
      table.recordOffset.chunks[ci][j] = s.recordOffset;
      table.timeUs.chunks[ci][j] = s.timeUs;
      table.conn.chunks[ci][j] = c;
      table.fromClient.chunks[ci][j] = keys.side === 0 ? 1 : 0;
      table.flags.chunks[ci][j] = s.flags;
      table.seq.chunks[ci][j] = s.seq;
      table.ack.chunks[ci][j] = s.ack;
      table.window.chunks[ci][j] = s.window;
      table.payloadLength.chunks[ci][j] = s.payloadLength;
      if (stage === 'keys+table') return;
      tlsSegment(keys.rec, c * STRIDE, keys.side, s);
    },
  };
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
