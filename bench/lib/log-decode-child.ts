/**
 * Child of bench/log-decode.ts: `read` (lines cut, nothing else), `decode` (the syslog decoder into a counting
 * sink, names interned for its records), `batches` (what the command line's decoder thread does: the decoder into
 * record batches, engine/log-batches.ts, each buffer set given straight back instead of posted to another thread)
 * or `store` (the decoder into a FirewallLog, as analyze fills it) over one log file; prints {lines, events} as JSON.
 * `pairing`: the batches made first (kept), then only what the command line's main thread does with them (the
 * batch reader into a FirewallLog: pairing, deny rows) timed; prints its CPU seconds too (`cpu`). Text is made as the command line makes it (src/cli/teardown.ts: Buffer latin1 for ASCII).
 */
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { readLines } from '../../src/lib/line-reader';
import { useNodeAscii } from '../../src/cli/node-ascii';
import { decodeTextInput } from '../../src/decode/text/index';
import { FirewallLog } from '../../src/analysis/firewall/log';
import { createProblemLog } from '../../src/model/problems';
import type { InputReport } from '../../src/model/report';
import type { FirewallEvent } from '../../src/model/firewall';
import { Names } from '../../src/model/firewall-store';
import { decodeLogBatches } from '../../src/engine/log-batches';
import { RecordBatchReader, recordBuffers, type RecordBatch } from '../../src/engine/record-batch';

useNodeAscii();

const [mode, file] = process.argv.slice(2);
async function main(): Promise<void> {
  const source = await createNodeFileSource(file);
  let lines = 0;
  let events = 0;
  if (mode === 'read') {
    let chars = 0;
    const r = await readLines(source, (s) => void (chars += s.length));
    lines = r.lines;
  } else if (mode === 'batches') {
    const free = [recordBuffers(4096)];
    const report = await decodeLogBatches(source, { path: file, name: source.name, input: 0, keyed: false, pool: 1 }, {
      take: async () => free.pop() ?? recordBuffers(4096),
      takeNow: () => free.pop() ?? null,
      send: (b) => {
        events += b.count;
        free.push({ words: b.words, nums: b.nums });
      },
    });
    lines = report.packets;
  } else if (mode === 'pairing') {
    const kept: RecordBatch[] = [];
    const report = await decodeLogBatches(source, { path: file, name: source.name, input: 0, keyed: false, pool: 1 }, {
      take: async () => recordBuffers(4096),
      takeNow: () => recordBuffers(4096),
      send: (b) => void kept.push(b),
    });
    lines = report.packets;
    const log = new FirewallLog();
    const reader = new RecordBatchReader(0, log, createProblemLog(source.name));
    const t0 = process.cpuUsage();
    for (const b of kept) reader.read(b);
    reader.finish();
    const t = process.cpuUsage(t0);
    events = log.events;
    process.stdout.write(JSON.stringify({ lines, events, cpu: (t.user + t.system) / 1e6 }));
    return;
  } else {
    const problems = createProblemLog(source.name);
    const report: InputReport = { file: source.name, format: 'asa-syslog', bytes: 0, linkTypes: [], packets: 0, tcpPackets: 0, skipped: {}, warnings: [], errors: [] };
    const log = new FirewallLog();
    // decode: events and records counted (records' names interned, as the decoder's fast path does for the store).
    const firewall =
      mode === 'store'
        ? { event: (e: FirewallEvent, t?: string, a?: number) => log.add(e, t, a), records: log }
        : { event: () => void events++, records: { names: new Names(), addRecord: () => void events++ } };
    await decodeTextInput('asa-syslog', source, 0, { segments: { segment() {} }, firewall }, { problems }, report);
    lines = report.packets;
    if (mode === 'store') {
      log.finish();
      events = log.events;
    }
  }
  process.stdout.write(JSON.stringify({ lines, events }));
}
void main();
