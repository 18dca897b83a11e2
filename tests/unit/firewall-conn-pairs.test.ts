// The join's address-pair index is filled while the log is read (analysis/firewall/conn-pairs.ts): a row goes in
// once its endpoints are final. These are the rows that must wait: a Teardown read before its Built (the Built sets
// the NAT-mapped addresses), and a row with an address that is not dotted IPv4 (normalised only at the end). Deny
// rows are looked up as they are read too (a batch at a time): those whose connection comes later in the log are
// looked up again by the join.
import { describe, expect, it } from 'vitest';
import { DENY_CLASSES } from '../../src/model/firewall-triage';
import { analyzeLog, firewallOf } from './firewall-session-helpers';

const at = (sec: number) => `<166>Jun 20 2018 12:00:${String(sec).padStart(2, '0')} fw1 : `;

async function joined(lines: string[]) {
  const { log, join } = firewallOf(await analyzeLog(lines));
  const out: [string, number][] = [];
  for (let j = 0; j < log.denies.count; j++) out.push([DENY_CLASSES[join.denyClass[j]].name, join.denyConn[j]]);
  return { out, rows: log.conns.count };
}

describe('address pairs indexed while the log is read', () => {
  it('a Teardown before its Built: the Built\'s mapped address joins a deny', async () => {
    const { out, rows } = await joined([
      `${at(10)}%ASA-6-302014: Teardown TCP connection 7 for outside:198.51.100.9/1000 to inside:10.0.0.5/443 duration 0:00:10 bytes 999 TCP FINs from inside`,
      // Rows of other connections in between: the index adds rows a batch at a time.
      ...Array.from({ length: 20 }, (_, k) => `${at(1)}%ASA-6-302013: Built inbound TCP connection ${100 + k} for outside:198.51.100.8/${2000 + k} (198.51.100.8/${2000 + k}) to inside:10.0.0.5/443 (10.0.0.5/443)`),
      `${at(0)}%ASA-6-302013: Built inbound TCP connection 7 for outside:198.51.100.9/1000 (198.51.100.9/1000) to inside:10.0.0.5/443 (203.0.113.5/443)`,
      // From the server's mapped address: only a pair with the Built's mapping finds the connection.
      `${at(12)}%ASA-6-106015: Deny TCP (no connection) from 203.0.113.5/443 to 198.51.100.9/1000 flags RST  on interface outside`,
      `${at(13)}%ASA-6-106015: Deny TCP (no connection) from 203.0.113.6/443 to 198.51.100.9/1000 flags RST  on interface outside`,
    ]);
    expect(rows).toBe(21);
    expect(out).toEqual([['late-close', 0], ['no-connection', -1]]);
  });

  it('IPv6 addresses written two ways join as one address', async () => {
    const { out } = await joined([
      `${at(0)}%ASA-6-302013: Built inbound TCP connection 5 for outside:2001:db8::9/5000 (2001:db8::9/5000) to inside:2001:0db8:0:0::5/443 (2001:0db8:0:0::5/443)`,
      `${at(1)}%ASA-6-302013: Built inbound TCP connection 6 for outside:198.51.100.9/5001 (198.51.100.9/5001) to inside:10.0.0.5/443 (10.0.0.5/443)`,
      `${at(5)}%ASA-6-302014: Teardown TCP connection 5 for outside:2001:db8::9/5000 to inside:2001:0db8:0:0::5/443 duration 0:00:05 bytes 999 TCP FINs from inside`,
      `${at(6)}%ASA-6-302014: Teardown TCP connection 6 for outside:198.51.100.9/5001 to inside:10.0.0.5/443 duration 0:00:05 bytes 999 TCP Reset-O from outside`,
      `${at(7)}%ASA-6-106015: Deny TCP (no connection) from 2001:db8::5/443 to 2001:db8::9/5000 flags RST  on interface inside`,
      `${at(8)}%ASA-6-106015: Deny TCP (no connection) from 10.0.0.5/443 to 198.51.100.9/5001 flags RST  on interface inside`,
    ]);
    expect(out).toEqual([['late-close', 0], ['late-close', 1]]);
  });

  it('denies looked up as they are read: before their connection\'s lines (looked up again) and after them', async () => {
    // More than a batch of denies each side (the read-time lookups go by batches), of two flows: one the
    // connection has (a late packet in either case), one no connection has.
    const deny = (sec: number, port: number) => `${at(sec)}%ASA-6-106015: Deny TCP (no connection) from 10.0.0.5/443 to 198.51.100.9/${port} flags RST  on interface inside`;
    const early = Array.from({ length: 40 }, (_, k) => deny(20 + (k % 5), k % 2 ? 1000 : 1001));
    const late = Array.from({ length: 40 }, (_, k) => deny(30 + (k % 5), k % 2 ? 1000 : 1001));
    const { log, join } = firewallOf(await analyzeLog([
      ...early,
      `${at(0)}%ASA-6-302013: Built inbound TCP connection 7 for outside:198.51.100.9/1000 (198.51.100.9/1000) to inside:10.0.0.5/443 (10.0.0.5/443)`,
      `${at(10)}%ASA-6-302014: Teardown TCP connection 7 for outside:198.51.100.9/1000 to inside:10.0.0.5/443 duration 0:00:10 bytes 999 TCP FINs from inside`,
      // Other connections: the index adds connection rows a batch at a time, so that connection 7 is in it before the late denies.
      ...Array.from({ length: 10 }, (_, k) => `${at(11)}%ASA-6-302013: Built inbound TCP connection ${100 + k} for outside:198.51.100.8/${2000 + k} (198.51.100.8/${2000 + k}) to inside:10.0.0.6/443 (10.0.0.6/443)`),
      ...late,
    ]));
    expect(log.conns.count).toBe(11);
    // The late denies of the connection's flow were found as they were read.
    expect(log.pairs.foundN).toBeGreaterThanOrEqual(16);
    const classes = new Set<string>();
    for (let j = 0; j < log.denies.count; j++) {
      const port = log.denies.dstPort[j];
      classes.add(`${port} ${DENY_CLASSES[join.denyClass[j]].name} ${join.denyConn[j]}`);
    }
    expect([...classes].sort()).toEqual(['1000 late-close 0', '1001 no-connection -1']);
    expect(log.denies.count).toBe(80);
  });

  it('rows with three or four pairs (NAT on both sides) join through each of them', async () => {
    // Connections 0, 2, 4 NAT both sides (four pairs each), the others one pair or two, more than a batch of rows.
    const lines: string[] = [];
    for (let k = 0; k < 12; k++) {
      const client = `198.51.100.${10 + k}/${1000 + k}`;
      const server = `10.0.0.${10 + k}/443`;
      const cMapped = k % 2 === 0 || k % 3 === 0 ? `203.0.113.${10 + k}/${2000 + k}` : client;
      const sMapped = k % 2 === 0 ? `203.0.114.${10 + k}/443` : server;
      lines.push(`${at(0)}%ASA-6-302013: Built inbound TCP connection ${k} for outside:${client} (${cMapped}) to inside:${server} (${sMapped})`);
    }
    for (let k = 0; k < 12; k++) {
      lines.push(`${at(10)}%ASA-6-302014: Teardown TCP connection ${k} for outside:198.51.100.${10 + k}/${1000 + k} to inside:10.0.0.${10 + k}/443 duration 0:00:10 bytes 999 TCP FINs from inside`);
    }
    const want: number[] = [];
    for (let k = 0; k < 12; k++) {
      const clients = [`198.51.100.${10 + k}/${1000 + k}`, ...(k % 2 === 0 || k % 3 === 0 ? [`203.0.113.${10 + k}/${2000 + k}`] : [])];
      const servers = [`10.0.0.${10 + k}/443`, ...(k % 2 === 0 ? [`203.0.114.${10 + k}/443`] : [])];
      for (const c of clients) for (const sv of servers) {
        lines.push(`${at(12)}%ASA-6-106015: Deny TCP (no connection) from ${sv} to ${c} flags RST  on interface outside`);
        want.push(k);
      }
    }
    const { log, join } = firewallOf(await analyzeLog(lines));
    expect(log.conns.count).toBe(12);
    expect(want.filter((k) => k === 0)).toHaveLength(4);
    const got = Array.from({ length: log.denies.count }, (_, j) => (DENY_CLASSES[join.denyClass[j]].name === 'late-close' ? join.denyConn[j] : -1));
    expect(got).toEqual(want);
  });
});
