import { createNodeFileSource } from '../src/cli/node-file-source';
import { decodeInput } from '../src/decode/index';
import { PacketTable } from '../src/model/packet-table';
import { createProblemLog } from '../src/model/problems';
import { createConnectionTracker } from '../src/analysis/connections';
const file = process.argv[2];
for (let r = 0; r < Number(process.argv[3] ?? 5); r++) {
  const source = await createNodeFileSource(file);
  let t0 = performance.now();
  let n = 0;
  await decodeInput(source, 0, { segments: { segment: () => void n++ } }, { problems: createProblemLog(file) });
  const dec = performance.now() - t0;
  t0 = performance.now();
  const t = new PacketTable();
  const tr = createConnectionTracker(t);
  await decodeInput(source, 0, { segments: tr }, { problems: createProblemLog(file) });
  tr.finish();
  console.log('decode', dec.toFixed(1), 'track', (performance.now() - t0).toFixed(1));
}
