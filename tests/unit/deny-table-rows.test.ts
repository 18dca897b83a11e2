/**
 * `analyze`'s deny table cells straight from the firewall columns (engine/deny-table-rows.ts) are the cells
 * cli/output.ts denyRow makes of each deny's record (engine/firewall-records.ts denyRecordMaker). Inputs: a
 * generated ASA/FTD log (bench/log-gen.ts: two devices, joined and unjoined 106015 denies, ACL denies) and
 * hand-written lines for what it has not (IPv6 written uncompressed, ICMP with and without a code, a protocol
 * without ports, no device, a rule name, a deny joined to a connection).
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { denyRecordMaker } from '../../src/engine/firewall-records';
import { denyTableRows } from '../../src/engine/deny-table-rows';
import { denyRow } from '../../src/cli/output';
import { generateLog } from '../../bench/log-gen';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const EXTRA = [
  '<166>Jun 20 2018 00:00:01 fw-c : %ASA-6-302013: Built outbound TCP connection 9 for outside:192.0.2.10/443 (192.0.2.10/443) to inside:10.0.0.3/40000 (203.0.113.3/40000)',
  '<166>Jun 20 2018 00:00:02 fw-c : %ASA-6-302014: Teardown TCP connection 9 for outside:192.0.2.10/443 to inside:10.0.0.3/40000 duration 0:00:01 bytes 10 TCP FINs',
  '<166>Jun 20 2018 00:00:03 fw-c : %ASA-6-106015: Deny TCP (no connection) from 192.0.2.10/443 to 10.0.0.3/40000 flags RST ACK  on interface outside',
  '<166>Jun 20 2018 00:00:04 fw-c : %ASA-6-106015: Deny TCP (no connection) from 2001:0db8:0000:0000:0000:0000:0000:0005/443 to 2001:db8::1/50000 flags FIN ACK  on interface outside',
  '<166>Jun 20 2018 00:00:05 fw-c : %ASA-4-106023: Deny icmp src outside:192.0.2.40 dst inside:10.0.0.6 (type 8, code 0) by access-group "out\\"side" [0x0, 0x0]',
  '<166>Jun 20 2018 00:00:06 fw-c : %ASA-2-106006: Deny inbound UDP from 192.0.2.41/53 to 10.0.0.6/53 on interface outside',
  '<166>Jun 20 2018 00:00:07 fw-c : %ASA-3-106014: Deny inbound icmp src outside:192.0.2.42 dst inside:10.0.0.6 (type 3, code 3)',
  '<166>Jun 20 2018 00:00:08 fw-c : %ASA-2-106001: Inbound TCP connection denied from 192.0.2.43/1234 to 10.0.0.6/22 flags SYN  on interface outside',
  '<166>Jun 20 2018 00:00:09 fw-c : %ASA-4-106023: Deny protocol 47 src outside:192.0.2.44 dst inside:10.0.0.6 by access-group "outside_in" [0x0, 0x0]',
  '%ASA-6-106015: Deny TCP (no connection) from 192.0.2.45/80 to 10.0.0.7/1000 flags RST  on interface outside',
];

describe('deny table cells from the firewall columns', () => {
  it('equal denyRow of each deny record', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'deny-table-rows.log');
    generateLog(file, { lines: 20_000, seed: 7 });
    const bytes = new Uint8Array(Buffer.concat([readFileSync(file), Buffer.from(`${EXTRA.join('\n')}\n`)]));
    const s = await analyzeSources([createBytesSource('asa.log', bytes)]);
    const record = denyRecordMaker(s)!;
    const rows = [...denyTableRows(s)];
    expect(rows.length).toBe(s.firewall!.log.denies.count);
    const seen = { joined: 0, ipv6: 0, icmp: 0, portless: 0, rule: 0, noDevice: 0 };
    rows.forEach((cells, j) => {
      const r = record(j);
      expect(cells).toEqual(denyRow(r));
      if (r.connection) seen.joined++;
      if (r.src?.ip.includes(':')) seen.ipv6++;
      if (r.icmp) seen.icmp++;
      if (r.src && r.src.port < 0) seen.portless++;
      if (r.acl) seen.rule++;
      if (!r.device) seen.noDevice++;
    });
    // Every kind of cell was compared, not only the generator's common shapes.
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(500);
  });
});
