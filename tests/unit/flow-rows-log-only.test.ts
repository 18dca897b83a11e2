/**
 * The flow table's rows of connections known only from a firewall log, filled straight from the firewall columns
 * (engine/firewall-records.ts logOnlyFlowRows; no report per row): what each row says, from log lines whose meaning
 * is plain (ASA 302013/302014/106015 as Cisco documents them), and that the engine's table is made that way.
 * Inputs: hand-written lines for the shapes a generated log lacks (IPv6 written uncompressed, a Teardown before its
 * Built, a Teardown alone and its late deny, a Built never torn down, a duration of a billion hours) and a
 * generated ASA/FTD log (bench/log-gen.ts: two devices, NAT, every teardown reason, 106015 denies).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { MARK_DENIED, MARK_FIREWALL, MARK_SYSLOG_ONLY, type FlowColumns } from '../../src/model/flow-table';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { logOnlyFlowRows } from '../../src/engine/firewall-records';
import { createEngineSession } from '../../src/engine/session';
import { generateLog } from '../../bench/log-gen';

const LINES = [
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302014: Teardown TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 to inside:10.0.0.1/50000 duration 0:00:03 bytes 10 TCP FINs',
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302013: Built inbound TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 (2001:db8::5/443) to inside:10.0.0.1/50000 (10.0.0.1/50000)',
  '<166>Jun 20 2018 00:00:02 fw-c : %ASA-6-302014: Teardown TCP connection 8 for outside:192.0.2.9/1234 to inside:10.0.0.2/22 duration 0:10:00 bytes 0 Idle Timeout',
  '<166>Jun 20 2018 00:00:03 fw-c : %ASA-6-302013: Built outbound TCP connection 9 for outside:192.0.2.10/443 (192.0.2.10/443) to inside:10.0.0.3/40000 (203.0.113.3/40000)',
  '<166>Jun 20 2018 00:00:04 fw-c : %ASA-6-106015: Deny TCP (no connection) from 192.0.2.9/1234 to 10.0.0.2/22 flags PSH ACK  on interface outside',
  '<166>Jun 20 2018 00:00:05 fw-c : %ASA-6-302014: Teardown TCP connection 17 for outside:192.0.2.1/443 to inside:10.0.0.1/50000 duration 999999999:00:00 bytes 10 TCP FINs',
];

const S = (iso: string) => Date.parse(iso) * 1000;
const rowOf = (f: FlowColumns, r: number) => ({
  client: `${f.strings[f.clientIp[r]]} ${f.clientPort[r]}`, server: `${f.strings[f.serverIp[r]]} ${f.serverPort[r]}`,
  startUs: f.startUs[r], durationUs: f.durationUs[r], reason: f.reason[r] ? f.strings[f.reason[r]] : '',
  marks: f.marks[r], proto: f.proto[r], message: f.message[r],
  none: [f.packets[r], f.bytes[r], f.kind[r], f.initiator[r], f.anomalies[r], f.tcpStream[r]],
});
const NONE = [0, 0, 255, 0, 0, -1]; // no packets, no close facts, no tcp.stream
const LOG_ONLY = MARK_FIREWALL | MARK_SYSLOG_ONLY;

describe('flow table rows of log-only connections', () => {
  it('say what the log lines say', async () => {
    const s = await analyzeSources([createBytesSource('asa.log', new TextEncoder().encode(`${LINES.join('\n')}\n`))]);
    const f = flowColumnsOf(s.reports, logOnlyFlowRows(s));
    const rows = Array.from({ length: f.count }, (_, r) => rowOf(f, r));
    expect(rows).toEqual([
      // The Teardown came first; its Built (same second) names the client: IPv6 written compressed.
      { client: '2001:db8::5 443', server: '10.0.0.1 50000', startUs: S('2018-06-20T00:00:01Z'), durationUs: 0, reason: 'TCP FINs', marks: LOG_ONLY, proto: 6, message: 302013, none: NONE },
      // A Teardown alone starts its duration before its stamp; the 106015 after it is its deny.
      { client: '192.0.2.9 1234', server: '10.0.0.2 22', startUs: S('2018-06-19T23:50:02Z'), durationUs: 600e6, reason: 'Idle Timeout', marks: LOG_ONLY | MARK_DENIED, proto: 6, message: 302014, none: NONE },
      // Built, never torn down: no reason, no duration; the client is the inside host (outbound).
      { client: '10.0.0.3 40000', server: '192.0.2.10 443', startUs: S('2018-06-20T00:00:03Z'), durationUs: 0, reason: '', marks: LOG_ONLY, proto: 6, message: 302013, none: NONE },
      // A billion hours: the start is that long before the Teardown, as its report writes it.
      { client: '10.0.0.1 50000', server: '192.0.2.1 443', startUs: S('2018-06-20T00:00:05Z') - 999999999 * 3600e6, durationUs: 999999999 * 3600e6, reason: 'TCP FINs', marks: LOG_ONLY, proto: 6, message: 302014, none: NONE },
    ]);
    const reports = s.reports.toArray();
    expect(reports.map((c) => c.start)).toEqual(['2018-06-20T00:00:01.000000Z', '2018-06-19T23:50:02.000000Z', '2018-06-20T00:00:03.000000Z', '-112061-01-04T09:00:05.000000Z']);
  });

  it('a generated log: one row per connection, and the engine\'s table is these rows', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'log-only-columns.log');
    const gen = generateLog(file, { lines: 20_000, seed: 3 });
    const bytes = new Uint8Array(readFileSync(file));
    const s = await analyzeSources([createBytesSource('asa.log', bytes)]);
    const f = flowColumnsOf(s.reports, logOnlyFlowRows(s));
    expect(f.count).toBe(gen.connections);
    expect(f.count).toBe(s.reports.length);
    const rows = Array.from({ length: f.count }, (_, r) => rowOf(f, r));
    expect(rows.every((r) => (r.marks & ~MARK_DENIED) === LOG_ONLY && r.proto === 6 && r.none.join() === NONE.join())).toBe(true);
    expect(rows.filter((r) => r.marks & MARK_DENIED).length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.reason === 'TCP FINs').length).toBeGreaterThan(100);
    const engine = createEngineSession();
    const r = await engine.load([{ kind: 'bytes', name: 'asa.log', bytes }], {});
    expect(r.flows.count).toBe(f.count);
    // The page asks for windows of rows (model/flow-window.ts): each says what the engine's own row says.
    for (let from = 0; from < f.count; from += 5000) {
      const ids = Uint32Array.from({ length: Math.min(5000, f.count - from) }, (_, k) => from + k);
      const w = await engine.flowRows(ids);
      expect(Array.from(ids, (_, k) => rowOf(w, k))).toEqual(Array.from(ids, (row) => rowOf(f, row)));
    }
  });
});
