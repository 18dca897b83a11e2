/**
 * Reports made on demand (analysis/connection-list.ts) from the store and its side tables: a fresh report each time,
 * none held; two-point and firewall facts come from the side tables; log-only connections follow the packet
 * connections; the downloaded document equals the session's and every ladder's connection is that document's.
 * Real inputs: a generated capture with hundreds of connections and the seed case (three captures + ASA log).
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeReport, analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { createEngineSession } from '../../src/engine/session';
import { generatePcap } from '../../bench/gen/generate';

const FIX = join(import.meta.dirname, '../fixtures');
const SEED = join(FIX, 'seed');
const source = (path: string) => createBytesSource(path.split('/').pop()!, new Uint8Array(readFileSync(path)));

describe('connection reports made on demand', () => {
  it('a generated capture of hundreds of connections: reports are made afresh, not kept', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'lazy-reports.pcap');
    generatePcap(file, { mb: 2, conns: 300, seed: 11 });
    const s = await analyzeSources([source(file)]);
    expect(s.reports.length).toBe(300);
    expect(s.reports.at(5)).not.toBe(s.reports.at(5)); // built afresh each time
    expect(s.reports.at(5)).toEqual(s.reports.at(5));
    expect(s.reports.at(300)).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(analyzeReport(s))))).toEqual(['inputs', 'connections', 'summary']);
    expect(JSON.stringify(analyzeReport(s).connections)).toBe(JSON.stringify(s.reports.toArray()));
  });

  it('seed case: the merged connection has its two points, the matched one its firewall facts, log-only ones follow', async () => {
    const files = ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt', 'asa-syslog.log'];
    const s = await analyzeSources(files.map((f) => source(join(SEED, f))), { year: 2018 });
    const all = s.reports.toArray();
    const merged = all.filter((r) => r.vantage);
    expect(merged).toHaveLength(1);
    expect(merged[0].vantage!.points).toEqual(['inside-capture.txt', 'outside-capture.txt']);
    expect(merged[0].files).toEqual(['inside-capture.txt', 'outside-capture.txt']);
    expect(s.connections.vantage.has(Number(merged[0].id))).toBe(true);
    expect(s.connections.mergedAway.size).toBe(1);
    expect(all.length).toBe(s.connections.count - 1 + (s.firewall?.correlation?.syslogConnections.length ?? 0));
    expect(all.some((r) => r.firewall && (r.source ?? 'packets') === 'packets')).toBe(true);
    const firstSyslog = all.findIndex((r) => r.source === 'syslog');
    if (firstSyslog >= 0) expect(all.slice(firstSyslog).every((r) => r.source === 'syslog')).toBe(true);
  });

  it('engine: the downloaded report equals the session document; ladders come from the list', async () => {
    const engine = createEngineSession();
    const files = ['inside-capture.txt', 'outside-capture.txt', 'asa-syslog.log'];
    const inputs = files.map((f) => ({ kind: 'bytes' as const, name: f, bytes: new Uint8Array(readFileSync(join(SEED, f))) }));
    const r = await engine.load(inputs, { year: 2018 });
    const doc = await engine.report();
    expect(doc!.connections).toHaveLength(r.flows.count);
    const again = await analyzeSources(files.map((f) => source(join(SEED, f))), { year: 2018 });
    expect(JSON.stringify(doc)).toBe(JSON.stringify(analyzeReport(again)));
    for (let row = 0; row < r.flows.count; row++) expect((await engine.ladder({ row }))!.connection).toEqual(doc!.connections[row]);
  });
});
