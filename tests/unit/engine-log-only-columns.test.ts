/**
 * The flow table's log-only rows are filled straight from the firewall columns (engine/firewall-records.ts
 * logOnlyFlowRows), never from a report per row: they must equal what buildFlowColumns reads from the reports.
 * Inputs: a generated ASA/FTD log (bench/log-gen.ts: two devices, NAT, every teardown reason, joined and unjoined
 * 106015 denies, connections still open at the end) plus hand-written lines for what it does not make: IPv6
 * written uncompressed (reports print it compressed), a Teardown before its Built, a Teardown alone, a Built whose
 * Teardown never comes, a stamp out of Date's range.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { buildFlowColumns, MARK_DENIED, MARK_SYSLOG_ONLY } from '../../src/model/flow-table';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { logOnlyFlowRows } from '../../src/engine/firewall-records';
import { createEngineSession } from '../../src/engine/session';
import { generateLog } from '../../bench/log-gen';

const EXTRA = [
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302014: Teardown TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 to inside:10.0.0.1/50000 duration 0:00:03 bytes 10 TCP FINs',
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302013: Built inbound TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 (2001:db8::5/443) to inside:10.0.0.1/50000 (10.0.0.1/50000)',
  '<166>Jun 20 2018 00:00:02 fw-c : %ASA-6-302014: Teardown TCP connection 8 for outside:192.0.2.9/1234 to inside:10.0.0.2/22 duration 0:10:00 bytes 0 Idle Timeout',
  '<166>Jun 20 2018 00:00:03 fw-c : %ASA-6-302013: Built outbound TCP connection 9 for outside:192.0.2.10/443 (192.0.2.10/443) to inside:10.0.0.3/40000 (203.0.113.3/40000)',
  '<166>Jun 20 2018 00:00:04 fw-c : %ASA-6-106015: Deny TCP (no connection) from 192.0.2.9/1234 to 10.0.0.2/22 flags PSH ACK  on interface outside',
];

describe('log-only flow table rows from the firewall columns', () => {
  it('equal the rows read from each log-only report, and the engine uses them', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'log-only-columns.log');
    generateLog(file, { lines: 20_000, seed: 3 });
    const bytes = new Uint8Array(Buffer.concat([readFileSync(file), Buffer.from(`${EXTRA.join('\n')}\n`)]));
    const s = await analyzeSources([createBytesSource('asa.log', bytes)]);
    const rows = logOnlyFlowRows(s);
    expect(rows?.length).toBe(s.reports.length); // a log alone: every connection is log-only
    const fromReports = buildFlowColumns(s.reports.toArray());
    const direct = flowColumnsOf(s.reports, rows);
    expect(direct).toEqual(fromReports);
    // What the rows hold (so equality above is not two empty tables): IPv6 compressed, denies marked.
    expect(direct.count).toBeGreaterThan(3000);
    expect(direct.strings).toContain('2001:db8::5');
    expect(direct.marks.some((m) => m & MARK_DENIED)).toBe(true);
    expect(direct.marks.every((m) => m & MARK_SYSLOG_ONLY)).toBe(true);
    const engine = createEngineSession();
    const r = await engine.load([{ kind: 'bytes', name: 'asa.log', bytes }], {});
    expect(r.flows).toEqual(fromReports);
  });

  it('a Teardown stamped out of Date range gives the row no start, as its report does', async () => {
    writeFileSync(join(import.meta.dirname, '../out/.keep'), '');
    const line = '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302014: Teardown TCP connection 7 for outside:192.0.2.1/443 to inside:10.0.0.1/50000 duration 999999999:00:00 bytes 10 TCP FINs';
    const s = await analyzeSources([createBytesSource('asa.log', new TextEncoder().encode(`${line}\n`))]);
    expect(flowColumnsOf(s.reports, logOnlyFlowRows(s))).toEqual(buildFlowColumns(s.reports.toArray()));
  });
});
