// The browser's two-thread log decode (engine/log-handoff.ts, worker/nested-log.ts) with its transport in one
// process: a log File handed off is decoded into record batches (engine/log-batches.ts) and read back into the store
// batch by batch, and the whole analysis is the one thread's, byte for byte: every firewall log in the fixtures, a
// generated ASA log, a damaged one (problems in order, with their lines), and a log given twice (duplicate lines
// folded across inputs: records carry their line keys). Which inputs go: firewall logs of minBytes or more only.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeReport, analyzeSources } from '../../src/engine/analyze-sources';
import { handOffLogs, type LogHandoff } from '../../src/engine/log-handoff';
import { decodeLogBatches } from '../../src/engine/log-batches';
import { recordBuffers, type RecordBuffers } from '../../src/engine/record-batch';
import { BufferPool } from '../../src/lib/buffer-pool';
import { createBlobSource } from '../../src/lib/byte-source';
import { generateLog } from '../../bench/log-gen';

const FIXTURES = join(__dirname, '..', 'fixtures');
const LOGS = ['asa/log-only-cases.log', 'asa/deny-table-cases.log', 'seed/asa-syslog.log', 'fortigate/two-points.log'];

/** The other thread's side in this one: decodeLogBatches, each batch read as it is sent, its buffers given back. */
function inProcess(handed: string[]) {
  return async (h: LogHandoff) => {
    handed.push(h.job.name);
    const pool = new BufferPool<RecordBuffers>(2, () => recordBuffers(64));
    // Batches of 1,000 records (the browser's are bigger than the command line's: LogJob.batch).
    const report = await decodeLogBatches(createBlobSource(h.job.name, h.blob), { ...h.job, batch: 1000, pool: 16 }, {
      take: () => pool.take(),
      takeNow: () => pool.takeNow(),
      send(b) {
        h.reader.read(b);
        h.progress(b.bytesRead);
        pool.give({ words: b.words, nums: b.nums });
      },
    });
    return h.finished(report);
  };
}

async function both(files: { name: string; bytes: Uint8Array<ArrayBuffer> }[], minBytes = 0) {
  const sources = () => files.map((f) => createBlobSource(f.name, new Blob([f.bytes])));
  const handed: string[] = [];
  const one = analyzeReport(await analyzeSources(sources(), { year: 2024 }));
  const two = analyzeReport(await analyzeSources(sources(), { year: 2024, decode: handOffLogs(minBytes, inProcess(handed)) }));
  return { one: JSON.stringify(one), two: JSON.stringify(two), handed, report: two };
}

const fixture = (f: string) => ({ name: f.split('/').pop()!, bytes: new Uint8Array(readFileSync(join(FIXTURES, f))) as Uint8Array<ArrayBuffer> });

describe('a firewall log handed to another thread (the browser log decoder)', () => {
  it('gives the one thread analysis on every firewall log in the fixtures', async () => {
    for (const f of LOGS) {
      const r = await both([fixture(f)]);
      expect(r.handed).toEqual([f.split('/').pop()]);
      expect(r.two).toBe(r.one);
    }
  });

  it('gives the same on a generated ASA log and on a log given twice (duplicate lines folded across inputs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-handoff-'));
    try {
      const path = join(dir, 'asa.log');
      generateLog(path, { lines: 30_000, seed: 3 });
      const log = { name: 'asa.log', bytes: new Uint8Array(readFileSync(path)) as Uint8Array<ArrayBuffer> };
      const r = await both([log]);
      expect(r.report.connections.length).toBeGreaterThan(5000);
      expect(r.two).toBe(r.one);
      // Progress counts the log's connections as its lines are read, on one thread and handed off.
      for (const decode of [undefined, handOffLogs(0, inProcess([]))]) {
        const seen: number[] = [];
        const s = await analyzeSources([createBlobSource('asa.log', new Blob([log.bytes]))], { decode, onProgress: (p) => seen.push(p.connections) });
        expect(seen.length).toBeGreaterThan(1);
        expect(seen[0]).toBeGreaterThan(0);
        expect(seen.every((c, i) => i === 0 || c >= seen[i - 1])).toBe(true);
        expect(seen.at(-1)).toBeGreaterThan(s.reports.length / 2);
      }
      const twice = await both([log, { ...log, name: 'asa.log.1' }]);
      expect(twice.handed).toEqual(['asa.log', 'asa.log.1']);
      expect(twice.two).toBe(twice.one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the problems of a damaged log in order with their lines', async () => {
    const good = readFileSync(join(FIXTURES, 'seed/asa-syslog.log'));
    const bytes = Buffer.concat([good, Buffer.from([0, 0, 0x0a, 0xff, 0xfe, 0x0a]), Buffer.from(`x${'y'.repeat(70_000)}\n`), good]);
    const r = await both([{ name: 'bad.log', bytes: new Uint8Array(bytes) as Uint8Array<ArrayBuffer> }]);
    expect(r.report.inputs[0].warnings.length).toBeGreaterThan(1);
    expect(r.two).toBe(r.one);
  });

  it('hands off firewall logs of minBytes or more only; captures and small logs stay on this thread', async () => {
    const log = fixture('seed/asa-syslog.log');
    const capture = fixture('seed/clean-capture.txt');
    const small = await both([log, capture], log.bytes.length + 1);
    expect(small.handed).toEqual([]);
    const big = await both([log, capture], log.bytes.length);
    expect(big.handed).toEqual(['asa-syslog.log']);
    expect(big.two).toBe(big.one);
  });

  it('decodes the input here when the other thread could not start (no batch came)', async () => {
    const log = fixture('seed/asa-syslog.log');
    const source = () => [createBlobSource('a.log', new Blob([log.bytes]))];
    const one = JSON.stringify(analyzeReport(await analyzeSources(source())));
    let asked = 0;
    const decode = handOffLogs(0, async () => (asked++, null));
    expect(JSON.stringify(analyzeReport(await analyzeSources(source(), { decode })))).toBe(one);
    expect(asked).toBe(1);
  });

  it('ends a stopped input with an error at the offset reached, keeping what was read', async () => {
    const decode = handOffLogs(0, async (h) => h.stopped(1234, 'the log decoder stopped'));
    const s = await analyzeSources([createBlobSource('a.log', new Blob([fixture('seed/asa-syslog.log').bytes]))], { decode });
    expect(s.inputs[0].errors).toEqual([expect.objectContaining({ file: 'a.log', offset: 1234, message: 'could not read the input: the log decoder stopped' })]);
    expect(s.inputs[0].format).toBe('asa-syslog');
  });

  it('counts the lines read of an input stopped after some batches (the line of the last record handed over)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-handoff-'));
    try {
      const path = join(dir, 'asa.log');
      generateLog(path, { lines: 3000, seed: 5 });
      const bytes = new Uint8Array(readFileSync(path));
      // The first batch (1,000 records or more: every line of a generated log is one), then a stop.
      let first = 0;
      const decode = handOffLogs(0, async (h) => {
        const pool = new BufferPool<RecordBuffers>(2, () => recordBuffers(64));
        let sent = 0;
        await decodeLogBatches(createBlobSource(h.job.name, h.blob), { ...h.job, batch: 1000, pool: 2 }, {
          take: () => pool.take(),
          takeNow: () => pool.takeNow(),
          send(b) {
            if (sent++ === 0) [first] = [b.count, h.reader.read(b)];
            pool.give({ words: b.words, nums: b.nums });
          },
        });
        expect(sent).toBeGreaterThan(1);
        return h.stopped(4321);
      });
      const s = await analyzeSources([createBlobSource('asa.log', new Blob([bytes]))], { decode });
      expect(first).toBeGreaterThanOrEqual(1000);
      // The last line the store holds a record of (some lines give none: packets >= records).
      const { conns: c, denies: d } = s.firewall!.log;
      let last = 0;
      for (let i = 0; i < c.count; i++) last = Math.max(last, c.seen[i] & 1 ? c.builtLine[i] : 0, c.seen[i] & 2 ? c.tdLine[i] : 0);
      for (let j = 0; j < d.count; j++) last = Math.max(last, d.line[j]);
      expect(last).toBeGreaterThanOrEqual(first);
      expect(s.inputs[0]).toEqual(expect.objectContaining({ bytes: 4321, packets: last, errors: [] }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
