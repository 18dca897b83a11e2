/**
 * `analyze --json`/`--ndjson` write log-only connections and denies as JSON text straight from the firewall columns
 * (engine/log-only-json.ts, engine/firewall-records.ts denyJsonMaker): the text must be exactly what
 * JSON.stringify gives for the report and the deny record the objects path builds. Inputs: the seed's real ASA log,
 * a generated ASA/FTD log (bench/log-gen.ts: two devices, NAT, every teardown reason, joined and unjoined 106015
 * denies, open connections) and hand-written lines for what neither has (IPv6 written uncompressed, ICMP and UDP
 * connections, a Teardown before its Built, a Teardown alone, a stamp out of Date's range, a name needing escapes, more denies than a report lists).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { logOnlyJson } from '../../src/engine/log-only-json';
import { denyJsonMaker, denyRecordMaker } from '../../src/engine/firewall-records';
import { generateLog } from '../../bench/log-gen';

const EXTRA = [
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302014: Teardown TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 to inside:10.0.0.1/50000 duration 0:00:03 bytes 10 TCP FINs',
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302013: Built inbound TCP connection 7 for outside:2001:0db8:0000:0000:0000:0000:0000:0005/443 (2001:db8::5/443) to inside:10.0.0.1/50000 (10.0.0.1/50000)',
  '<166>Jun 20 2018 00:00:02 fw-c : %ASA-6-302014: Teardown TCP connection 8 for outside:192.0.2.9/1234 to inside:10.0.0.2/22 duration 0:10:00 bytes 0 Idle Timeout',
  '<166>Jun 20 2018 00:00:03 fw-c : %ASA-6-302013: Built outbound TCP connection 9 for outside:192.0.2.10/443 (192.0.2.10/443) to inside:10.0.0.3/40000 (203.0.113.3/40000)',
  '<166>Jun 20 2018 00:00:04 fw-c : %ASA-6-106015: Deny TCP (no connection) from 192.0.2.9/1234 to 10.0.0.2/22 flags PSH ACK  on interface outside',
  '<166>Jun 20 2018 00:00:05 fw-c : %ASA-6-302015: Built inbound UDP connection 10 for out"side:192.0.2.20/53 (192.0.2.20/53) to in\\side:10.0.0.4/5353 (10.0.0.4/5353)',
  '<166>Jun 20 2018 00:00:06 fw-c : %ASA-6-302016: Teardown UDP connection 10 for out"side:192.0.2.20/53 to in\\side:10.0.0.4/5353 duration 0:00:01 bytes 64',
  '<166>Jun 20 2018 00:00:07 fw-c : %ASA-6-302020: Built inbound ICMP connection for faddr 192.0.2.30/7 gaddr 10.0.0.5/0 laddr 10.0.0.5/0 type 8 code 0',
  '<166>Jun 20 2018 00:00:08 fw-c : %ASA-6-302021: Teardown ICMP connection for faddr 192.0.2.30/7 gaddr 10.0.0.5/0 laddr 10.0.0.5/0 type 8 code 0',
  '<166>Jun 20 2018 00:00:09 fw-c : %ASA-6-302014: Teardown TCP connection 11 for outside:192.0.2.1/443 to inside:10.0.0.1/50001 duration 999999999:00:00 bytes 10 TCP Reset-O from outside',
  '<166>Jun 20 2018 00:00:10 fw-c : %ASA-4-106023: Deny icmp src outside:192.0.2.40 dst inside:10.0.0.6 (type 8, code 0) by access-group "out\\"side" [0x0, 0x0]',
  // A connection with more denies joined than a report lists (deniesNotListed).
  '<166>Jun 20 2018 00:00:11 fw-c : %ASA-6-302013: Built outbound TCP connection 12 for outside:192.0.2.50/443 (192.0.2.50/443) to inside:10.0.0.7/40001 (10.0.0.7/40001)',
  '<166>Jun 20 2018 00:00:12 fw-c : %ASA-6-302014: Teardown TCP connection 12 for outside:192.0.2.50/443 to inside:10.0.0.7/40001 duration 0:00:01 bytes 100 TCP FINs',
  ...Array.from({ length: 103 }, () => '<166>Jun 20 2018 00:00:13 fw-c : %ASA-6-106015: Deny TCP (no connection) from 192.0.2.50/443 to 10.0.0.7/40001 flags RST  on interface outside'),
];

/** Every log-only connection and deny through both paths; returns how many connections had denies joined. */
function compare(s: AnalysisSession): { conns: number; joined: number; notListed: number; denies: number } {
  const make = logOnlyJson(s)!;
  const list = s.reports;
  let joined = 0;
  let notListed = 0;
  const logOnly = list.length - list.packetCount;
  for (let k = 0; k < logOnly; k++) {
    const text = make(k);
    const r = list.at(list.packetCount + k)!;
    const report = JSON.stringify(r);
    if (r.firewall?.denies.length) joined++;
    if (r.firewall?.deniesNotListed) notListed++;
    expect(text).toBe(report);
    expect(make(k, '{"record":"connection",')).toBe(`{"record":"connection",${report.slice(1)}`);
  }
  const records = denyRecordMaker(s)!;
  const texts = denyJsonMaker(s)!;
  const count = s.firewall!.log.denies.count;
  for (let j = 0; j < count; j++) expect(texts(j)).toBe(JSON.stringify(records(j)));
  expect(make(logOnly)).toBe(null);
  return { conns: logOnly, joined, notListed, denies: count };
}

describe('log-only connections and denies as JSON text from the firewall columns', () => {
  it('equal the reports and records on a generated log with hand-written extras', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'log-only-json.log');
    generateLog(file, { lines: 20_000, seed: 5 });
    const bytes = new Uint8Array(Buffer.concat([readFileSync(file), Buffer.from(`${EXTRA.join('\n')}\n`)]));
    const s = await analyzeSources([createBytesSource('asa.log', bytes)]);
    const n = compare(s);
    // Not two empty lists: connections with and without joined denies.
    expect(n.conns).toBeGreaterThan(3000);
    expect(n.joined).toBeGreaterThan(100);
    expect(n.joined).toBeLessThan(n.conns / 2);
    expect(n.notListed).toBe(1);
    expect(n.denies).toBeGreaterThan(500);
  });

  it('equal the reports and records on the seed log, with two inputs (files listed per connection)', async () => {
    const seed = readFileSync(join(import.meta.dirname, '../fixtures/seed/asa-syslog.log'));
    const s = await analyzeSources([
      createBytesSource('asa-syslog.log', new Uint8Array(seed)),
      createBytesSource('extra.log', new TextEncoder().encode(`${EXTRA.join('\n')}\n`)),
    ]);
    const n = compare(s);
    expect(n.conns).toBeGreaterThan(0);
    expect(n.joined).toBeGreaterThan(0);
  });
});
