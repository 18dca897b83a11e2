/**
 * Web Worker for bench/browser-engine.ts: one measurement per worker (a fresh worker each time, so each starts
 * cold, as a fresh Node process does in npm run bench), on a File posted from the page. Modes as in
 * bench/lib/child.ts: floor (iterate the project's Blob ByteSource), decode (counting sink), connections
 * (4-tuple lookup + packet table, bench/lib/connections-only.ts), analyze (analyzeSources, what the app's
 * engine worker runs inside), session (the app's engine session load: analysis plus the flow table's columns, with
 * progress reports, what the app's worker does for the UI).
 */
import { createBlobSource } from '../../src/lib/byte-source';
import { decodeInput } from '../../src/decode/index';
import { createProblemLog } from '../../src/model/problems';
import { PacketTable } from '../../src/model/packet-table';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createEngineSession } from '../../src/engine/session';
import { connectionsOnlySink } from '../lib/connections-only';

type Mode = 'floor' | 'decode' | 'connections' | 'analyze' | 'session';

self.onmessage = async (e: MessageEvent<{ file: File; mode: Mode }>) => {
  const { file, mode } = e.data;
  const source = createBlobSource(file.name, file);
  const t0 = performance.now();
  let packets = 0;
  let connections = 0;
  if (mode === 'floor') {
    let xor = 0;
    for await (const s of source.slices(0)) xor ^= s[s.length - 1];
    packets = xor & 0; // touched, so the reads are not optimised away
  } else if (mode === 'decode') {
    const r = await decodeInput(source, 0, { segments: { segment() { packets++; } } }, { problems: createProblemLog(file.name) });
    packets = r.tcpPackets;
  } else if (mode === 'connections') {
    const sink = connectionsOnlySink(new PacketTable());
    const r = await decodeInput(source, 0, { segments: sink }, { problems: createProblemLog(file.name) });
    packets = r.tcpPackets;
    connections = sink.connections;
  } else if (mode === 'session') {
    const r = await createEngineSession().load([{ kind: 'blob', name: file.name, blob: file }], {}, () => {});
    packets = r.packets;
    connections = r.flows.count;
  } else {
    const s = await analyzeSources([source]);
    packets = s.table.length;
    connections = s.reports.length;
    void s.summary;
  }
  (self as unknown as Worker).postMessage({ mode, seconds: (performance.now() - t0) / 1000, packets, connections });
};
