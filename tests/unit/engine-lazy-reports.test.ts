/**
 * Reports built on demand (analysis/connection-list.ts): the summary and the flow columns computed from the
 * store equal what the same code computes from full ConnectionReports, the lazily built document equals its
 * reports, and connections the firewall/vantage step changed keep their facts. Real inputs: the closes fixtures
 * (one capture each, built-on-demand path), a generated capture with hundreds of connections and anomalies, and
 * the seed case (three captures + ASA log: vantage merge, firewall facts, log-only connections).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { summarize, summarizeList } from '../../src/analysis/summary';
import { buildFlowColumns } from '../../src/model/flow-table';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { logOnlyFlowRows } from '../../src/engine/firewall-records';
import { createEngineSession } from '../../src/engine/session';
import { generatePcap } from '../../bench/gen/generate';
import { mkdirSync } from 'node:fs';
import { decodeInput } from '../../src/decode/index';
import { PacketTable } from '../../src/model/packet-table';
import { createProblemLog } from '../../src/model/problems';
import type { FirewallEvent } from '../../src/model/firewall';
import { FirewallLog } from '../../src/analysis/firewall/log';
import { joinFirewallLog } from '../../src/analysis/firewall/join';
import type { ConnectionReport, InputReport } from '../../src/model/report';
import { createConnectionTracker } from '../../src/analysis/connections';
import { buildConnectionReport } from '../../src/analysis/connection-report';
import { applyFirewallAndVantage } from '../../src/analysis/firewall/apply';

/** The analysis the eager way: every report built, then the firewall/vantage step over all of them. */
async function eagerConnections(paths: string[], year: number): Promise<ConnectionReport[]> {
  const table = new PacketTable();
  const tracker = createConnectionTracker(table);
  const inputs: InputReport[] = [];
  const log = new FirewallLog();
  const files = paths.map((p) => p.split('/').pop()!);
  log.files = files;
  for (let i = 0; i < paths.length; i++) {
    const sinks = { segments: tracker, firewall: { event: (e: unknown) => log.add(e as FirewallEvent) } };
    inputs.push(await decodeInput(source(paths[i]), i, sinks, { problems: createProblemLog(files[i]), year }));
  }
  const connections = tracker.finish();
  const reports: ConnectionReport[] = [];
  for (let i = 0; i < connections.conns.length; i++) reports.push(buildConnectionReport(connections, table, i, files));
  log.finish();
  const firewall = log.events ? { log, join: joinFirewallLog(log, true) } : null;
  const fw = applyFirewallAndVantage({ table, connections, reports, inputs, files, firewall });
  return [...reports, ...(fw.correlation?.syslogConnections ?? [])];
}

const FIX = join(import.meta.dirname, '../fixtures');
const SEED = join(FIX, 'seed');
const source = (path: string) => createBytesSource(path.split('/').pop()!, new Uint8Array(readFileSync(path)));

function expectStoreEqualsReports(s: AnalysisSession): void {
  const all = s.reports.toArray();
  expect(all).toHaveLength(s.reports.length);
  expect(summarizeList(s.reports)).toEqual(summarize(all, s.connections));
  const { summary } = s.report;
  const fromStore = { ...summarizeList(s.reports), ...(summary?.firewall ? { firewall: summary.firewall } : {}) };
  expect(summary).toEqual(fromStore);
  expect(flowColumnsOf(s.reports)).toEqual(buildFlowColumns(all));
  // The engine's way: log-only rows straight from the firewall columns.
  expect(flowColumnsOf(s.reports, logOnlyFlowRows(s))).toEqual(buildFlowColumns(all));
  // The document's connections are those reports, in order, and its JSON keeps inputs, connections, summary.
  expect(JSON.stringify(s.report.connections)).toBe(JSON.stringify(all));
  expect(Object.keys(JSON.parse(JSON.stringify(s.report)))).toEqual(['inputs', 'connections', 'summary']);
}

describe('connection reports built on demand', () => {
  it('single captures: summary and flow columns from the store equal those from reports', async () => {
    const dir = join(FIX, 'closes');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.pcap'))) {
      const s = await analyzeSources([source(join(dir, f))]);
      expect(s.reports.length).toBeGreaterThan(0);
      expectStoreEqualsReports(s);
    }
  });

  it('a generated capture of hundreds of connections: same, and reports are not kept', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'lazy-reports.pcap');
    generatePcap(file, { mb: 2, conns: 300, seed: 11 });
    const s = await analyzeSources([source(file)]);
    expect(s.reports.length).toBe(300);
    expect(s.reports.at(5)).not.toBe(s.reports.at(5)); // built afresh each time
    expect(s.reports.at(5)).toEqual(s.reports.at(5));
    expect(s.reports.at(300)).toBeUndefined();
    expectStoreEqualsReports(s);
  });

  it('seed case: vantage-merged and firewall-matched reports keep their facts, log-only ones follow', async () => {
    const files = ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt', 'asa-syslog.log'];
    const s = await analyzeSources(files.map((f) => source(join(SEED, f))), { year: 2018 });
    const all = s.reports.toArray();
    expect(all.some((r) => r.vantage)).toBe(true);
    expect(all.some((r) => r.firewall)).toBe(true);
    const firstSyslog = all.findIndex((r) => r.source === 'syslog');
    if (firstSyslog >= 0) expect(all.slice(firstSyslog).every((r) => r.source === 'syslog')).toBe(true);
    const kept = all.findIndex((r) => r.vantage);
    expect(s.reports.at(kept)).toBe(all[kept]); // kept as an object
    expectStoreEqualsReports(s);
  });

  it('one capture + firewall log: reports made only for logged pairs give the same document as all reports', async () => {
    for (const capture of ['clean-capture.txt', 'inside-capture.txt', 'outside-capture.txt']) {
      const paths = [join(SEED, capture), join(SEED, 'asa-syslog.log')];
      const s = await analyzeSources(paths.map(source), { year: 2018 });
      const eager = await eagerConnections(paths, 2018);
      expect(eager.some((r) => r.firewall)).toBe(true);
      expect(JSON.stringify(s.report.connections)).toBe(JSON.stringify(eager));
      expectStoreEqualsReports(s);
    }
  });

  it('engine: the downloaded report equals the session document; ladders come from the list', async () => {
    const engine = createEngineSession();
    const files = ['inside-capture.txt', 'outside-capture.txt', 'asa-syslog.log'];
    const inputs = files.map((f) => ({ kind: 'bytes' as const, name: f, bytes: new Uint8Array(readFileSync(join(SEED, f))) }));
    const r = await engine.load(inputs, { year: 2018 });
    const doc = await engine.report();
    expect(doc!.connections).toHaveLength(r.flows.count);
    const again = await analyzeSources(files.map((f) => source(join(SEED, f))), { year: 2018 });
    expect(JSON.stringify(doc)).toBe(JSON.stringify(again.report));
    for (let row = 0; row < r.flows.count; row++) expect((await engine.ladder({ row }))!.connection).toEqual(doc!.connections[row]);
  });
});
