// The whole story of a firewall log in its columns (model/firewall-store.ts): UDP and ICMP connections paired like
// TCP ones, and every deny, drop and ICMP error kept as a row with its protocol, normalised cause and the vendor's
// message id. Lines are the shapes Cisco's ASA syslog guide documents (formats.md §1.4, §1.5, §1.7, §1.10, §1.11,
// the VERBATIM samples there, with documentation addresses), and FTD 430002/430003 connection events.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FirewallLog } from '../../src/analysis/firewall/log';
import { DENY_CAUSES } from '../../src/model/deny-causes';
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP, protoCode, protoName } from '../../src/model/firewall-store';
import { decodeLines } from './syslog-helpers';
import { analyzeLog, firewallOf } from './firewall-session-helpers';

const H = '<166>Oct 10 2018 12:34:56 asa-01 : ';
const UDP_BUILT = `${H}%ASA-6-302015: Built outbound UDP connection 11758 for outside:192.0.2.32/53 (192.0.2.32/53) to inside:10.31.98.44/56132 (198.51.100.44/56132)`;
const UDP_TEARDOWN = `${H}%ASA-6-302016: Teardown UDP connection 11758 for outside:192.0.2.32/53 to inside:10.31.98.44/56132 duration 0:00:00 bytes 148`;
const ICMP_BUILT = `${H}%ASA-6-302020: Built inbound ICMP connection for faddr 192.0.2.10/7 gaddr 198.51.100.144/7 laddr 10.2.2.2/7 type 8 code 0`;
const ICMP_TEARDOWN = `<166>Oct 10 2018 12:34:58 asa-01 : %ASA-6-302021: Teardown ICMP connection for faddr 192.0.2.10/7 gaddr 198.51.100.144/7 laddr 10.2.2.2/7 type 8 code 0`;
const DENIES: [string, { messageId: string; proto: number; cause: string; acl?: string; icmp?: [number, number]; src: string; dst: string }][] = [
  [`${H}%ASA-6-106015: Deny TCP (no connection) from 192.0.2.2/53089 to 10.10.10.10/443 flags FIN PSH ACK  on interface out111`,
    { messageId: '106015', proto: PROTO_TCP, cause: 'no-connection', src: '192.0.2.2/53089', dst: '10.10.10.10/443' }],
  [`${H}%ASA-2-106001: Inbound TCP connection denied from 192.0.2.2/43803 to 10.10.10.10/14322 flags SYN  on interface out111`,
    { messageId: '106001', proto: PROTO_TCP, cause: 'security-policy', src: '192.0.2.2/43803', dst: '10.10.10.10/14322' }],
  [`${H}%ASA-2-106006: Deny inbound UDP from 192.0.2.66/137 to 10.1.2.42/137 on interface inside`,
    { messageId: '106006', proto: PROTO_UDP, cause: 'security-policy', src: '192.0.2.66/137', dst: '10.1.2.42/137' }],
  [`${H}%ASA-2-106007: Deny inbound UDP from 192.0.2.67/12981 to 10.1.2.60/53 due to DNS Query`,
    { messageId: '106007', proto: PROTO_UDP, cause: 'inspection', src: '192.0.2.67/12981', dst: '10.1.2.60/53' }],
  [`${H}%ASA-3-106014: Deny inbound icmp src fw111:10.10.10.10 dst fw111:10.10.10.11(type 8, code 0)`,
    { messageId: '106014', proto: PROTO_ICMP, cause: 'security-policy', icmp: [8, 0], src: '10.10.10.10/-1', dst: '10.10.10.11/-1' }],
  [`${H}%ASA-4-106023: Deny tcp src outside:192.0.2.254/80 dst inside:10.31.98.44/8277 by access-group "inbound" [0x0, 0x0]`,
    { messageId: '106023', proto: PROTO_TCP, cause: 'access-rule', acl: 'inbound', src: '192.0.2.254/80', dst: '10.31.98.44/8277' }],
  [`${H}%ASA-4-106023: Deny udp src Inside:10.123.123.123/57621(LOCAL\\Elastic) dst Outside:192.0.2.123/57621 by access-group "Inside_access_in" [0x0, 0x0]`,
    { messageId: '106023', proto: PROTO_UDP, cause: 'access-rule', acl: 'Inside_access_in', src: '10.123.123.123/57621', dst: '192.0.2.123/57621' }],
  [`${H}%ASA-4-106023: Deny icmp src Inside:10.123.123.123 dst Outside:192.0.2.124 (type 11, code 0) by access-group "Inside_access_in" [0x0, 0x0]`,
    { messageId: '106023', proto: PROTO_ICMP, cause: 'access-rule', acl: 'Inside_access_in', icmp: [11, 0], src: '10.123.123.123/-1', dst: '192.0.2.124/-1' }],
  [`${H}%ASA-4-106023: Deny protocol 47 src outside:192.0.2.144 dst inside:10.31.98.44 by access-group "inbound"`,
    { messageId: '106023', proto: 47, cause: 'access-rule', acl: 'inbound', src: '192.0.2.144/-1', dst: '10.31.98.44/-1' }],
  [`${H}%ASA-3-710003: TCP access denied by ACL from 192.0.2.144/6370 to outside:192.0.2.61/23`,
    { messageId: '710003', proto: PROTO_TCP, cause: 'access-rule', src: '192.0.2.144/6370', dst: '192.0.2.61/23' }],
  [`${H}%ASA-4-419002: Duplicate TCP SYN from OUTSIDE:10.10.66.2/65087 to INSIDE:10.10.1.6/443 with different initial sequence number.`,
    { messageId: '419002', proto: PROTO_TCP, cause: 'normalizer', src: '10.10.66.2/65087', dst: '10.10.1.6/443' }],
  [`${H}%ASA-3-106010: Deny inbound protocol 103 src inside:10.31.98.44 dst inside:192.0.2.2`,
    { messageId: '106010', proto: 103, cause: 'security-policy', src: '10.31.98.44/-1', dst: '192.0.2.2/-1' }],
  [`${H}%ASA-3-106010: Deny inbound sctp src fw111:10.10.10.10/5114 dst fw111:10.10.10.11/2`,
    { messageId: '106010', proto: 132, cause: 'security-policy', src: '10.10.10.10/5114', dst: '10.10.10.11/2' }],
  [`${H}%ASA-2-106016: Deny IP spoof from (0.0.0.0) to 192.0.2.47 on interface Mobile_Traffic`,
    { messageId: '106016', proto: 0, cause: 'spoofing', src: '0.0.0.0/-1', dst: '192.0.2.47/-1' }],
  [`${H}%ASA-4-106021: Deny TCP reverse path check from 192.0.2.2 to 10.10.10.10 on interface fw111`,
    { messageId: '106021', proto: PROTO_TCP, cause: 'spoofing', src: '192.0.2.2/-1', dst: '10.10.10.10/-1' }],
  [`${H}%ASA-1-106022: Deny udp connection spoof from 192.0.2.3 to 10.10.10.10 on interface outside`,
    { messageId: '106022', proto: PROTO_UDP, cause: 'spoofing', src: '192.0.2.3/-1', dst: '10.10.10.10/-1' }],
  [`${H}%ASA-4-313005: No matching connection for ICMP error message: icmp src outside:192.0.2.9 dst inside:10.11.40.51 (type 3, code 3) on outside interface. Original IP payload: udp src 10.11.40.51/5353 dst 192.0.2.9/53.`,
    { messageId: '313005', proto: PROTO_UDP, cause: 'no-connection', icmp: [3, 3], src: '10.11.40.51/5353', dst: '192.0.2.9/53' }],
];

describe('every protocol and every deny in the columns', () => {
  const lines = [UDP_BUILT, ICMP_BUILT, ICMP_TEARDOWN, UDP_TEARDOWN, ...DENIES.map(([l]) => l)];
  const decoded = decodeLines(lines, { year: 2018 });
  let log: FirewallLog;
  beforeAll(async () => {
    log = firewallOf(await analyzeLog(lines)).log;
  });

  it('decodes every line (nothing only counted)', () => {
    expect(decoded.problems.warnings).toEqual([]);
    expect(decoded.events).toHaveLength(lines.length);
  });

  it('pairs a UDP connection by its ID and an ICMP connection (no ID) by its endpoints', () => {
    expect(log.conns.count).toBe(2);
    const c = log.conns;
    const n = log.names;
    const udp = [0, 1].find((i) => c.proto[i] === PROTO_UDP)!;
    const icmp = [0, 1].find((i) => c.proto[i] === PROTO_ICMP)!;
    expect(c.seen[udp]).toBe(3);
    expect([log.names.list[c.builtMsg[udp]], log.names.list[c.tdMsg[udp]]]).toEqual(['302015', '302016']);
    // Outbound: the `to` endpoint (inside) opened it.
    expect(`${n.at(c.cAddr[udp])}/${c.cPort[udp]} -> ${n.at(c.sAddr[udp])}/${c.sPort[udp]}`).toBe('10.31.98.44/56132 -> 192.0.2.32/53');
    expect(n.at(c.cMapped[udp])).toBe('198.51.100.44');
    expect(c.tdBytes[udp]).toBe(148);
    expect(c.seen[icmp]).toBe(3);
    expect([log.names.list[c.builtMsg[icmp]], log.names.list[c.tdMsg[icmp]]]).toEqual(['302020', '302021']);
    expect(log.connIdText(icmp)).toBe('');
    expect([c.icmpType[icmp], c.icmpCode[icmp]]).toEqual([8, 0]);
    // Inbound: faddr opened it; gaddr is laddr's mapped address.
    expect(`${n.at(c.cAddr[icmp])} -> ${n.at(c.sAddr[icmp])} (${n.at(c.sMapped[icmp])})`).toBe('192.0.2.10 -> 10.2.2.2 (198.51.100.144)');
    expect(c.tdUs[icmp] - c.builtUs[icmp]).toBe(2e6);
  });

  it('keeps each deny with its protocol, cause, vendor id, rule and ICMP type', () => {
    const d = log.denies;
    const n = log.names;
    expect(d.count).toBe(DENIES.length);
    DENIES.forEach(([line, want], j) => {
      const got = {
        messageId: log.names.list[d.messageId[j]], proto: d.proto[j], cause: DENY_CAUSES[d.cause[j]].name,
        ...(want.acl ? { acl: n.at(d.acl[j]) } : {}),
        ...(want.icmp ? { icmp: [d.icmpType[j], d.icmpCode[j]] } : {}),
        src: `${n.at(d.srcAddr[j])}/${d.srcPort[j]}`, dst: `${n.at(d.dstAddr[j])}/${d.dstPort[j]}`,
      };
      expect(got, line).toEqual(want);
      expect(d.line[j]).toBe(5 + j);
    });
    // Only TCP flows with ports join connections.
    expect([...d.joinable]).toEqual(DENIES.map(([, w]) => (w.proto === PROTO_TCP && !w.src.endsWith('/-1') ? 1 : 0)));
  });
});

describe('FTD connection events: the initiator fields say who the client is', () => {
  const ev = (id: number, sec: number, extra: string) =>
    `<166>2024-03-05T14:22:${sec}Z ftd-01 : %FTD-1-${id}: InstanceID: 2, ConnectionID: 77, SrcIP: 10.20.30.40, DstIP: 192.0.2.53, SrcPort: 53, DstPort: 40000, Protocol: udp, IngressInterface: inside, EgressInterface: outside${extra}`;
  it('a start and end whose initiator port is lower than the responder\'s keep the initiator as client', async () => {
    const { log } = firewallOf(await analyzeLog([ev(430002, 10, ''), ev(430003, 12, ', ConnectionDuration: 2, InitiatorBytes: 80, ResponderBytes: 120')]));
    const c = log.conns;
    expect(c.count).toBe(1);
    expect(c.proto[0]).toBe(PROTO_UDP);
    expect([log.names.list[c.builtMsg[0]], log.names.list[c.tdMsg[0]], c.byPort[0]]).toEqual(['430002', '430003', 0]);
    expect(`${log.names.at(c.cAddr[0])}/${c.cPort[0]} -> ${log.names.at(c.sAddr[0])}/${c.sPort[0]}`).toBe('10.20.30.40/53 -> 192.0.2.53/40000');
  });
  it('an end alone does too (no port guess)', async () => {
    const { log } = firewallOf(await analyzeLog([ev(430003, 12, ', ConnectionDuration: 2')]));
    const c = log.conns;
    expect(c.byPort[0]).toBe(0);
    expect(log.names.at(c.cAddr[0])).toBe('10.20.30.40');
  });
});

describe('protocol codes', () => {
  it('reads the names logs use and writes them back', () => {
    expect(['tcp', 'UDP', 'icmp', 'icmp6', 'gre', 'protocol 47', '103', 'bogus', null].map(protoCode)).toEqual([6, 17, 1, 58, 47, 47, 103, 0, 0]);
    expect([6, 17, 1, 58, 47, 103, 0].map(protoName)).toEqual(['tcp', 'udp', 'icmp', 'icmp6', 'gre', 'pim', 'ip']);
    expect(protoName(253)).toBe('ip-253');
  });
});
