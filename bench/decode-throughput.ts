/**
 * Throughput check for the binary decoders (not a test): decode a capture with a counting sink
 * and print MB/s. Default input: bench/out/bench-1g.pcap (make it with bench/generate-pcap.ts).
 *
 *   npx tsx bench/decode-throughput.ts [capture] [--repeat=N] [--gzip]
 *
 * --repeat=N decodes the file N times (an in-memory file re-read N times; for small corpus files).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { createNodeFileSource } from '../src/cli/node-file-source';
import { decodeInput } from '../src/decode/index';
import { createBytesSource, type ByteSource } from '../src/lib/byte-source';
import { createProblemLog } from '../src/model/problems';

const args = process.argv.slice(2);
const path = args.find((a) => !a.startsWith('--')) ?? 'bench/out/bench-1g.pcap';
const repeat = Number(args.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 1);
const gzip = args.includes('--gzip');

let source: ByteSource;
if (gzip) source = createBytesSource(path, gzipSync(new Uint8Array(readFileSync(path)), { level: 6 }));
else if (repeat > 1) source = createBytesSource(path, new Uint8Array(readFileSync(path)));
else source = await createNodeFileSource(path);

let segments = 0;
let payload = 0;
const t0 = performance.now();
let bytes = 0;
let packets = 0;
for (let i = 0; i < repeat; i++) {
  const report = await decodeInput(source, 0, { segments: { segment: (s) => { segments++; payload += s.payloadLength; } } }, { problems: createProblemLog(path) });
  bytes += report.bytes;
  packets += report.packets;
  if (i === 0 && (report.errors.length || report.warnings.length)) console.log(report.errors, report.warnings.slice(0, 3));
}
const s = (performance.now() - t0) / 1000;
console.log(
  `${path}${gzip ? ' (gzip)' : ''} x${repeat}: ${(bytes / 1e6).toFixed(1)} MB, ${packets} packets, ${segments} TCP segments in ${s.toFixed(2)} s = ` +
    `${(bytes / 1e6 / s).toFixed(0)} MB/s, ${(packets / 1e6 / s).toFixed(2)} Mpkt/s`,
);
