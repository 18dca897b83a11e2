/**
 * One measurement in a fresh Node process (so every figure starts cold and peak memory is its own):
 *
 *   node --expose-gc --import tsx bench/lib/child.ts <mode> <file> [sliceSize]
 *
 * modes: floor-fs      fs FileHandle.read into one reused buffer of the slice size, nothing else
 *        floor-source  iterate the project's Node ByteSource (src/cli/node-file-source.ts) slices
 *        decode        decodeInput (src/decode/index.ts) into a sink that only counts segments
 *        connections   decodeInput into the 4-tuple lookup + PacketTable rows, no classification (lib/connections-only.ts)
 *        analyze       analyzeSources (src/engine/analyze-sources.ts): decode + connections + report
 *
 * Prints one line "RESULT {json}" with the work time (module loading excluded), counts, peak RSS
 * (process.resourceUsage().maxRSS, the kernel's high-water mark for the whole process) and peak
 * heap / external memory sampled at every slice (process.memoryUsage()).
 */
import { open, stat } from 'node:fs/promises';
import type { SegmentSink, TcpSegment } from '../../src/model/segment';
import { DEFAULT_SLICE_SIZE } from '../../src/lib/byte-source';

const [mode, file, sliceArg] = process.argv.slice(2);
// The slice size every decoder reads with (the ByteSource default), unless given.
const SLICE = Number(sliceArg ?? DEFAULT_SLICE_SIZE);

const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
function sample(): void {
  const m = process.memoryUsage();
  if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed;
  if (m.heapTotal > peak.heapTotal) peak.heapTotal = m.heapTotal;
  if (m.external > peak.external) peak.external = m.external;
  if (m.arrayBuffers > peak.arrayBuffers) peak.arrayBuffers = m.arrayBuffers;
  if (m.rss > peak.rss) peak.rss = m.rss;
}

async function floorFs(): Promise<Record<string, unknown>> {
  const buf = new Uint8Array(SLICE);
  const fh = await open(file, 'r');
  let total = 0;
  let xor = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, SLICE, total);
      if (bytesRead === 0) break;
      xor ^= buf[bytesRead - 1]; // touch the data so nothing is optimised away
      total += bytesRead;
    }
  } finally {
    await fh.close();
  }
  sample();
  return { bytes: total, check: xor };
}

async function floorSource(): Promise<Record<string, unknown>> {
  const { createNodeFileSource } = await import('../../src/cli/node-file-source');
  const src = await createNodeFileSource(file);
  const t0 = performance.now();
  let total = 0;
  let xor = 0;
  for await (const s of src.slices(0, SLICE)) {
    xor ^= s[s.length - 1];
    total += s.length;
    sample();
  }
  return { bytes: total, check: xor, workStart: t0 };
}

class CountingSink implements SegmentSink {
  segments = 0;
  payloadBytes = 0;
  segment(s: TcpSegment): void {
    this.segments++;
    this.payloadBytes += s.payloadLength;
  }
}

async function decode(): Promise<Record<string, unknown>> {
  const { decodeInput } = await import('../../src/decode/index');
  const { createNodeFileSource } = await import('../../src/cli/node-file-source');
  const { createProblemLog } = await import('../../src/model/problems');
  const src = await createNodeFileSource(file);
  const sink = new CountingSink();
  const t0 = performance.now();
  const r = await decodeInput(src, 0, { segments: sink }, { problems: createProblemLog(file), onProgress: sample });
  sample();
  return {
    workStart: t0,
    bytes: r.bytes,
    format: r.format,
    packets: r.packets,
    tcpPackets: r.tcpPackets,
    segments: sink.segments,
    payloadBytes: sink.payloadBytes,
    errors: r.errors.length,
    warnings: r.warnings.length,
  };
}

async function connections(): Promise<Record<string, unknown>> {
  const { decodeInput } = await import('../../src/decode/index');
  const { createNodeFileSource } = await import('../../src/cli/node-file-source');
  const { createProblemLog } = await import('../../src/model/problems');
  const { PacketTable } = await import('../../src/model/packet-table');
  const { connectionsOnlySink } = await import('./connections-only');
  const src = await createNodeFileSource(file);
  const table = new PacketTable();
  const sink = connectionsOnlySink(table);
  const t0 = performance.now();
  const r = await decodeInput(src, 0, { segments: sink }, { problems: createProblemLog(file), onProgress: sample });
  sample();
  return { workStart: t0, bytes: r.bytes, packets: r.packets, tcpPackets: r.tcpPackets, connections: sink.connections, rows: table.length };
}

async function analyze(): Promise<Record<string, unknown>> {
  const { analyzeSources } = await import('../../src/engine/analyze-sources');
  const { createNodeFileSource } = await import('../../src/cli/node-file-source');
  const src = await createNodeFileSource(file);
  let lastRead = 0;
  const t0 = performance.now();
  const session = await analyzeSources([src], {
    onProgress: () => {
      lastRead = performance.now();
      sample();
    },
  });
  sample();
  const end = performance.now();
  const inputs = session.inputs;
  return {
    workStart: t0,
    workEnd: end,
    bytes: inputs.reduce((a, i) => a + i.bytes, 0),
    packets: inputs.reduce((a, i) => a + i.packets, 0),
    tcpPackets: inputs.reduce((a, i) => a + i.tcpPackets, 0),
    connections: session.reports.length,
    byKind: session.summary.byKind ?? null,
    errors: inputs.reduce((a, i) => a + i.errors.length, 0),
    // Time after the last slice was read: connection finishing, reports, summary.
    afterReadSeconds: lastRead ? (end - lastRead) / 1000 : null,
    tableBytes: session.table.byteSize(),
  };
}

async function main(): Promise<void> {
  const size = (await stat(file)).size;
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const fn = { 'floor-fs': floorFs, 'floor-source': floorSource, decode, connections, analyze }[mode];
  if (!fn) throw new Error(`unknown mode ${mode}`);
  const r = await fn();
  const end = (r.workEnd as number | undefined) ?? performance.now();
  const workStart = (r.workStart as number | undefined) ?? start;
  delete r.workStart;
  delete r.workEnd;
  sample();
  const out = {
    mode,
    file,
    size,
    slice: SLICE,
    seconds: (end - workStart) / 1000,
    rssBefore,
    maxRss: process.resourceUsage().maxRSS * 1024,
    peak,
    ...r,
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stdout.write(`RESULT ${JSON.stringify({ mode, file, error: String(e?.stack ?? e) })}\n`);
  process.exitCode = 1;
});
