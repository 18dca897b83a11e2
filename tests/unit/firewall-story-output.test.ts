// The whole story of a firewall log in `analyze`'s outputs (the real command, as a user runs it): UDP and ICMP
// connections are rows with their protocol, every deny is a row of the deny table, an entry of `--json`'s `denies`
// and a `--ndjson` record, and the summary counts them by message, cause and protocol. Lines from Cisco's documented
// formats (formats.md §1.4, §1.5, §1.7), documentation addresses.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeReport } from '../../src/model/report';
import type { DenyRecord } from '../../src/model/deny-record';

const ROOT = join(import.meta.dirname, '../..');
const OUT = join(import.meta.dirname, '../out/story');
const H = (s: number) => `<166>Oct 10 2018 12:34:${String(s).padStart(2, '0')} asa-01 : `;
const LINES = [
  `${H(1)}%ASA-6-302015: Built outbound UDP connection 11758 for outside:192.0.2.32/53 (192.0.2.32/53) to inside:10.31.98.44/56132 (198.51.100.44/56132)`,
  `${H(1)}%ASA-6-302020: Built inbound ICMP connection for faddr 192.0.2.10/7 gaddr 198.51.100.144/7 laddr 10.2.2.2/7 type 8 code 0`,
  `${H(2)}%ASA-6-302013: Built inbound TCP connection 5 for outside:192.0.2.9/40000 (192.0.2.9/40000) to inside:10.2.2.2/443 (198.51.100.2/443)`,
  `${H(3)}%ASA-6-302021: Teardown ICMP connection for faddr 192.0.2.10/7 gaddr 198.51.100.144/7 laddr 10.2.2.2/7 type 8 code 0`,
  `${H(4)}%ASA-6-302016: Teardown UDP connection 11758 for outside:192.0.2.32/53 to inside:10.31.98.44/56132 duration 0:00:03 bytes 148`,
  `${H(5)}%ASA-6-302014: Teardown TCP connection 5 for outside:192.0.2.9/40000 to inside:10.2.2.2/443 duration 0:00:03 bytes 900 TCP FINs`,
  `${H(6)}%ASA-6-106015: Deny TCP (no connection) from 10.2.2.2/443 to 192.0.2.9/40000 flags RST  on interface inside`,
  `${H(7)}%ASA-4-106023: Deny udp src outside:192.0.2.66/5353 dst inside:10.1.2.42/5353 by access-group "outside_in" [0x0, 0x0]`,
  `${H(8)}%ASA-2-106006: Deny inbound UDP from 192.0.2.66/137 to 10.1.2.42/137 on interface outside`,
  `${H(9)}%ASA-3-106014: Deny inbound icmp src outside:192.0.2.70 dst inside:10.1.2.42(type 8, code 0)`,
  `${H(10)}%ASA-4-106023: Deny protocol 47 src outside:192.0.2.144 dst inside:10.31.98.44 by access-group "outside_in"`,
];

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('analyze shows the whole log', () => {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'story.log');
  writeFileSync(file, `${LINES.join('\n')}\n`);

  it('--json: connections of every protocol, every deny, and the counts', () => {
    const r = run(['--json', file]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as AnalyzeReport;
    expect(doc.connections.map((c) => [c.protocol ?? 'tcp', `${c.client.ip}:${c.client.port}`, `${c.server.ip}:${c.server.port}`, c.firewall?.messageIds])).toEqual([
      ['udp', '10.31.98.44:56132', '192.0.2.32:53', ['302015', '302016']],
      ['icmp', '192.0.2.10:7', '10.2.2.2:7', ['302020', '302021']],
      ['tcp', '192.0.2.9:40000', '10.2.2.2:443', ['302013', '302014']],
    ]);
    expect(doc.connections[1].firewall?.icmp).toEqual({ type: 8, code: 0 });
    expect(doc.connections[1].firewall?.connId).toBeNull();
    const denies = doc.denies!;
    expect(denies.map((d) => [d.messageId, d.cause, d.protocol, d.class, d.acl, d.line])).toEqual([
      ['106015', 'no-connection', 'tcp', 'late-close', null, 7],
      ['106023', 'access-rule', 'udp', null, 'outside_in', 8],
      ['106006', 'security-policy', 'udp', null, null, 9],
      ['106014', 'security-policy', 'icmp', null, null, 10],
      ['106023', 'access-rule', 'gre', null, 'outside_in', 11],
    ]);
    expect(denies[0].connection).toBe('syslog-2');
    expect(denies[3]).toMatchObject({ src: { ip: '192.0.2.70', port: -1 }, icmp: { type: 8, code: 0 }, interface: 'outside' });
    expect(doc.summary?.firewall).toMatchObject({
      deniesByMessage: { '106015': 1, '106023': 2, '106006': 1, '106014': 1 },
      deniesByCause: { 'no-connection': 1, 'access-rule': 2, 'security-policy': 2 },
      deniesByProtocol: { tcp: 1, udp: 2, icmp: 1, gre: 1 },
      connectionsByProtocol: { tcp: 1, udp: 1, icmp: 1 },
      deniesLateClose: 1,
    });
  });

  it('--ndjson: a deny record per deny line, the same as the JSON\'s', () => {
    const json = JSON.parse(run(['--json', file]).out) as AnalyzeReport;
    const lines = run(['--ndjson', file]).out.trimEnd().split('\n').map((l) => JSON.parse(l) as { record: string });
    const denies = lines.filter((l) => l.record === 'deny') as DenyRecord[];
    expect(denies).toEqual(json.denies);
    expect(lines.filter((l) => l.record === 'connection')).toHaveLength(3);
  });

  it('the readable table: a proto column, then the deny table naming file and line, then the counts', () => {
    const r = run([file]);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n');
    expect(rows[0]).toMatch(/^id\s+stream\s+client\s+server\s+start\s+.*\s+proto$/);
    expect(rows[1]).toMatch(/^syslog-0\s.*10\.31\.98\.44:56132\s+192\.0\.2\.32:53\s.*\sudp$/);
    expect(rows[2]).toMatch(/^syslog-1\s.*\sicmp$/);
    expect(r.out).toMatch(/firewall denies, drops and ICMP errors:\ntime\s+device\s+message\s+cause\s+proto/);
    expect(r.out).toMatch(/106023\s+access-rule\s+gre\s+192\.0\.2\.144\s+10\.31\.98\.44\s+-\s+outside\s+outside_in\s+1\s+-\s+\S*story\.log:11/);
    expect(r.out).toMatch(/106014\s+security-policy\s+icmp\s+192\.0\.2\.70\s+10\.1\.2\.42\s+type 8 code 0/);
    expect(r.out).toContain('firewall connections by protocol: icmp 1, tcp 1, udp 1');
    expect(r.out).toMatch(/by cause: .*access-rule 2.*; by protocol: .*gre 1/);
  });
});
