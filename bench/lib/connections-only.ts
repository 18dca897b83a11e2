/**
 * A segment sink that does only what grouping packets into connections needs, with no classification: the
 * 4-tuple lookup (ConnKeys, the tracker's own hash) and a PacketTable row per packet. It leaves out the
 * tracker's reuse and several-input rules, the TLS walk and every per-connection analysis. Its cost over
 * decoding alone is the floor under any per-connection analysis (bench/run.ts, bench/perf-pass.ts).
 */
import type { TcpSegment } from '../../src/model/segment';
import type { PacketTable } from '../../src/model/packet-table';
import { ConnKeys } from '../../src/analysis/conn-keys';
import { tlsSegment, TlsPending } from '../../src/analysis/tls-walk';
import { STRIDE } from '../../src/analysis/pass-record';

export type ConnectionsOnlyStage = 'load' | 'keys' | 'keys+table' | 'keys+table+tls';

export function connectionsOnlySink(table: PacketTable, stage: ConnectionsOnlyStage = 'keys+table'): { segment(s: TcpSegment): void; readonly connections: number } {
  const keys = new ConnKeys();
  const tlsPending = new TlsPending();
  const conn: Uint32Array[] = []; // each row's connection, as the tracker keeps it during the pass
  return {
    get connections() {
      return keys.count;
    },
    segment(s: TcpSegment) {
      keys.load(s);
      if (stage === 'load') return;
      let c = keys.find(s);
      if (c < 0) c = keys.add(s, false);
      if (stage === 'keys') return;
      const row = table.add();
      const ci = row >>> 16;
      const j = row & 0xffff;
      if (s.input !== 0) table.input.set(row, s.input);
      table.frame.append(s.frame);
      table.recordOffset.low.chunks[ci][j] = s.recordOffset;
      table.timeUs.chunks[ci][j] = s.timeUs;
      (conn[ci] ??= new Uint32Array(1 << 16))[j] = c;
      table.fromClient.chunks[ci][j] = keys.side === 0 ? 1 : 0;
      table.flags.chunks[ci][j] = s.flags;
      table.seq.chunks[ci][j] = s.seq;
      table.ack.chunks[ci][j] = s.ack;
      table.window.chunks[ci][j] = s.window;
      table.payloadLength.set(row, s.payloadLength);
      if (stage === 'keys+table') return;
      tlsSegment(keys.rec, c * STRIDE, keys.side, s, tlsPending);
    },
  };
}
