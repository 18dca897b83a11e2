// Every message shape the ASA/FTD decoder reads (formats.md §1.3-§1.13), with documentation addresses.
import { describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, RST, SYN } from '../../src/model/segment';
import { decodeLines, one } from './syslog-helpers';

const H = 'Jun 20 2018 11:58:45 fw-a : ';
const ep = (iface: string | null, addr: string, port: number, mappedAddr: string | null = null, mappedPort = -1, identity: string | null = null) =>
  ({ iface, addr, port, mappedAddr, mappedPort, identity });

describe('302013/302014 TCP connections', () => {
  it('Built inbound with NAT', () => {
    const e = one(`${H}%ASA-6-302013: Built inbound TCP connection 47772320 for OUTSIDE:198.51.100.77/55132 (198.51.100.77/55132) to INSIDE:10.20.30.15/443 (203.0.113.15/443)`);
    expect(e).toMatchObject({ kind: 'built', connId: '47772320', protocol: 'tcp', direction: 'inbound', device: 'fw-a', user: null });
    expect(e.src).toEqual(ep('OUTSIDE', '198.51.100.77', 55132, '198.51.100.77', 55132));
    expect(e.dst).toEqual(ep('INSIDE', '10.20.30.15', 443, '203.0.113.15', 443));
  });

  it('Built outbound with PAT, Probe, interface names with spaces, object names, 10-digit ids', () => {
    const o = one(`${H}%ASA-6-302013: Built outbound TCP connection 4294967295 for out-v1101:192.0.2.86/2010 (192.0.2.86/2010) to ent-v1124:10.1.1.11/51444 (203.0.113.11/37785)`);
    expect(o).toMatchObject({ direction: 'outbound', connId: '4294967295' });
    expect(o.dst).toEqual(ep('ent-v1124', '10.1.1.11', 51444, '203.0.113.11', 37785));
    const p = one(`${H}%FTD-6-302013: Built inbound Probe TCP connection 7 for Outside1:192.0.2.1/5248 (198.51.100.6/40846) to Outside2:192.0.2.1/443 (192.0.2.1/443)`);
    expect(p).toMatchObject({ kind: 'built', protocol: 'tcp', connId: '7' });
    const box = one(`${H}%ASA-6-302013: Built inbound TCP connection 10 for outside:10.1.2.1/28218 (10.1.2.1/28218) to NP Identity Ifc:10.1.2.2/22 (10.1.2.2/22)`);
    expect(box.dst).toEqual(ep('NP Identity Ifc', '10.1.2.2', 22, '10.1.2.2', 22));
    const named = one(`${H}%ASA-6-302013: Built inbound TCP connection 3 for DMZ:shule/5802 (shule/5802) to SERVERS:10.10.227.121/80 (10.10.227.121/80)`);
    expect(named.src).toEqual(ep('DMZ', 'shule', 5802, 'shule', 5802));
  });

  it('Built with IPv6, identity and user annotations', () => {
    const v6 = one(`${H}%ASA-6-302013: Built inbound TCP connection 9 for OUTSIDE:2001:db8:add:4002::6fc6/62477 (2001:db8:add:4002::6fc6/62477) to OUTSIDE:2001:db8::1/443 (2001:db8::1/443) (alice@example.com)`);
    expect(v6.src).toEqual(ep('OUTSIDE', '2001:db8:add:4002::6fc6', 62477, '2001:db8:add:4002::6fc6', 62477));
    expect(v6.dst).toEqual(ep('OUTSIDE', '2001:db8::1', 443, '2001:db8::1', 443));
    expect(v6.user).toBe('alice@example.com');
    const id = one(`${H}%ASA-6-302013: Built inbound TCP connection 27 for internet:192.0.2.4/49926 (198.51.100.144/49926)(LOCAL\\alice, 9999:my_Sgt) to vlan-42:203.0.113.80/80 (203.0.113.80/80) (alice)`);
    expect(id.src).toEqual(ep('internet', '192.0.2.4', 49926, '198.51.100.144', 49926, 'LOCAL\\alice, 9999:my_Sgt'));
    expect(id.user).toBe('alice');
  });

  it('Teardown with duration, bytes, reason, initiator interface and user', () => {
    const e = one(`${H}%ASA-7-302014: Teardown TCP connection 47772320 for OUTSIDE:198.51.100.77/55132 to INSIDE:10.20.30.15/443 duration 0:02:05 bytes 107244 TCP FINs from INSIDE`);
    expect(e).toMatchObject({ kind: 'teardown', connId: '47772320', durationS: 125, bytes: 107244, reason: 'TCP FINs', teardownReason: 'fins', iface: 'INSIDE', user: null });
    expect(e.src).toEqual(ep('OUTSIDE', '198.51.100.77', 55132));
    const u = one(`${H}%ASA-6-302014: Teardown TCP connection 79 for outside:192.0.2.2/59774(LOCAL\\First Last, 9999:my_Sgt) to inside:10.0.0.3/443 duration 92:24:20 bytes 16874 TCP Reset-O from outside (First Last)`);
    expect(u).toMatchObject({ durationS: 92 * 3600 + 24 * 60 + 20, reason: 'TCP Reset-O', iface: 'outside', user: 'First Last' });
    expect(u.src?.identity).toBe('LOCAL\\First Last, 9999:my_Sgt');
    const old = one(`${H}%ASA-6-302014: Teardown TCP connection 8 for inside:10.1.1.2/12523 to NP Identity Ifc:10.1.1.1/22 duration 0:00:53 bytes 2436 TCP FINs`);
    expect(old).toMatchObject({ reason: 'TCP FINs', iface: null });
    expect(old.dst?.iface).toBe('NP Identity Ifc');
    const none = one(`${H}%ASA-6-302014: Teardown TCP connection 8 for inside:10.1.1.2/12523 to outside:192.0.2.1/22 duration 0:00:10 bytes 0`);
    expect(none).toMatchObject({ reason: null, iface: null, bytes: 0 });
  });

  const reasons = [
    'TCP FINs', 'TCP Reset-I', 'TCP Reset-O', 'TCP Reset - I', 'TCP Reset - O', 'TCP Reset-APPLIANCE', 'TCP Reset - APPLIANCE',
    'SYN Timeout', 'Conn-timeout', 'FIN Timeout', 'Idle Timeout', 'Deny Terminate', 'Failover primary closed',
    'Flow closed by inspection', 'Flow terminated by IPS', 'Flow reset by IPS', 'Flow terminated by TCP Intercept',
    'Flow timed out', 'Flow timed out with reset', 'Flow is a loopback', 'Free the flow created as result of packet injection',
    'Invalid SYN', 'IPS fail-close', 'No interfaces associated with zone', 'No valid adjacency', 'Pinhole Timeout',
    'Probe maximum retries of retransmission exceeded', 'Probe maximum retransmission time elapsed', 'Probe received RST',
    'Probe received FIN', 'Probe completed', 'Route change', 'SYN Control', 'TCP bad retransmission', 'TCP Invalid SYN',
    'TCP segment partial overlap', 'TCP unexpected window size variation', 'Tunnel has been torn down', 'Unauth Deny',
    'Unknown', 'VPN reclassify failed', 'Xlate Clear', 'Connection timeout',
  ];
  it(`reads every teardown reason (${reasons.length}), with and without "from IF" and "(user)"`, () => {
    for (const r of reasons) {
      for (const [tail, iface, user] of [['', null, null], [' from OUTSIDE', 'OUTSIDE', null], [' from dmz 2 (bob smith)', 'dmz 2', 'bob smith']] as const) {
        const e = one(`${H}%ASA-6-302014: Teardown TCP connection 5 for OUTSIDE:192.0.2.1/1 to dmz:10.0.0.1/2 duration 0:00:01 bytes 9 ${r}${tail}`);
        expect({ reason: e.reason, iface: e.iface, user: e.user }, r + tail).toEqual({ reason: r, iface, user });
      }
    }
  });

  it('state-bypass 302303/302304 use from ... to', () => {
    const e = one(`${H}%ASA-6-302304: Teardown TCP state-bypass connection 2751765169 from server.deflan:192.0.2.144/54242 to server.deflan:192.0.2.145/9101 duration 1:00:02 bytes 245 Connection timeout`);
    expect(e).toMatchObject({ kind: 'teardown', connId: '2751765169', reason: 'Connection timeout', teardownReason: 'connection-timeout', durationS: 3602 });
    expect(e.src).toEqual(ep('server.deflan', '192.0.2.144', 54242));
  });
});

describe('302015/302016 UDP and 302020/302021 ICMP connections', () => {
  it('UDP built/teardown, bare-token users, re-levelled, missing colon', () => {
    const b = one(`${H}%ASA-2-302015: Built outbound UDP connection 11758 for outside:192.0.2.32/53 (192.0.2.32/53) to inside:172.31.98.44/56132 (172.31.98.44/56132)`);
    expect(b).toMatchObject({ kind: 'built', protocol: 'udp', direction: 'outbound', connId: '11758', severity: 2 });
    const t = one(`${H}%ASA-6-302016 Teardown UDP connection 666 for outside:192.0.2.222/53 user1 to inside:10.123.1.35/52925 user2 duration 10:00:00 bytes 9999999`);
    expect(t).toMatchObject({ kind: 'teardown', protocol: 'udp', durationS: 36000, bytes: 9999999, reason: null, teardownReason: 'none' });
    expect(t.src?.identity).toBe('user1');
    expect(t.dst?.identity).toBe('user2');
  });

  it('ICMP built/teardown: faddr, gaddr as the mapped address of laddr, type/code', () => {
    const b = one(`${H}%FTD-6-302020: Built inbound ICMP connection for faddr 192.0.2.10/0 gaddr 203.0.113.144/0 laddr 10.2.2.2/0 type 3 code 3`);
    expect(b).toMatchObject({ kind: 'built', protocol: 'icmp', direction: 'inbound', connId: null, icmp: { type: 3, code: 3 } });
    expect(b.src).toEqual(ep(null, '192.0.2.10', 0));
    expect(b.dst).toEqual(ep(null, '10.2.2.2', 0, '203.0.113.144', 0));
    const t = one(`${H}%ASA-6-302021: Teardown ICMP connection for faddr 192.0.2.2/29(LOCAL\\u1, 9999:sg) gaddr 192.0.2.3/0 laddr 192.0.2.3/0 (u1) type 8 code 0 `);
    expect(t).toMatchObject({ kind: 'teardown', user: 'u1', icmp: { type: 8, code: 0 } });
    expect(t.src?.identity).toBe('LOCAL\\u1, 9999:sg');
    const v6 = one(`${H}%ASA-6-302021: Teardown ICMP connection for faddr ff02::1/0 gaddr fe80::2205:baff:fe9d:f637/0 laddr fe80::2205:baff:fe9d:f637/0 type 134 code 0`);
    expect(v6.src?.addr).toBe('ff02::1');
    expect(v6.dst?.addr).toBe('fe80::2205:baff:fe9d:f637');
  });
});

describe('deny and drop messages', () => {
  it('106015 Deny TCP (no connection): flags, two spaces before "on", names and one space', () => {
    const e = one(`${H}%ASA-6-106015: Deny TCP (no connection) from 10.20.30.15/443 to 198.51.100.77/55132 flags RST  on interface INSIDE`);
    expect(e).toMatchObject({ kind: 'deny', protocol: 'tcp', tcpFlags: RST, iface: 'INSIDE', reason: 'no connection' });
    expect(e.src).toEqual(ep(null, '10.20.30.15', 443));
    expect(e.dst).toEqual(ep(null, '198.51.100.77', 55132));
    expect(one(`${H}%ASA-6-106015: Deny TCP (no connection) from 192.0.2.2/53089 to 10.10.10.10/443 flags FIN PSH ACK  on interface out 111`))
      .toMatchObject({ tcpFlags: FIN | PSH | ACK, iface: 'out 111' });
    const n = one(`${H}%ASA-6-106015: Deny TCP (no connection) from 10.12.227.40/389 to exp-angle/54703 flags SYN ACK on interface SH_INFRA_MGT`);
    expect(n).toMatchObject({ tcpFlags: SYN | ACK, iface: 'SH_INFRA_MGT' });
    expect(n.dst?.addr).toBe('exp-angle');
  });

  it('106001 inbound TCP denied, 106006/106007 UDP denies', () => {
    expect(one(`${H}%ASA-2-106001: Inbound TCP connection denied from 192.0.2.2/43803 to 10.10.10.10/14322 flags SYN  on interface out111`))
      .toMatchObject({ kind: 'deny', direction: 'inbound', tcpFlags: SYN, iface: 'out111', src: ep(null, '192.0.2.2', 43803) });
    expect(one(`${H}%ASA-2-106006: Deny inbound UDP from 192.0.2.66/137 to 10.1.2.42/137 on interface inside`))
      .toMatchObject({ kind: 'deny', protocol: 'udp', iface: 'inside', dst: ep(null, '10.1.2.42', 137) });
    expect(one(`${H}%ASA-2-106007: Deny inbound UDP from 192.0.2.66/12981 to 10.1.2.60/53 due to DNS Query`))
      .toMatchObject({ kind: 'deny', reason: 'DNS Query', iface: null });
  });

  it('106014 ICMP deny with the type glued to the address', () => {
    const e = one(`${H}%ASA-3-106014: Deny inbound icmp src fw111:10.10.10.10 dst fw111:10.10.10.11(type 8, code 0)`);
    expect(e).toMatchObject({ kind: 'deny', protocol: 'icmp', direction: 'inbound', icmp: { type: 8, code: 0 } });
    expect(e.dst).toEqual(ep('fw111', '10.10.10.11', -1));
  });

  it('106023 access-group denies: tcp, icmp type, protocol number, identity/FQDN, no hashes', () => {
    const t = one(`${H}%ASA-4-106023: Deny tcp src outside:192.0.2.2/51982(9999:my_Sgt) dst inside:10.0.0.3/443 by access-group "outside_access_in" [0x2a9e189a, 0x0]`);
    expect(t).toMatchObject({ kind: 'deny', protocol: 'tcp', acl: 'outside_access_in' });
    expect(t.src).toEqual(ep('outside', '192.0.2.2', 51982, null, -1, '9999:my_Sgt'));
    const i = one(`${H}%ASA-4-106023: Deny icmp src Inside:10.1.1.1 dst Outside:192.0.2.1 (type 11, code 0) by access-group "Inside_access_in" [0x0, 0x0]`);
    expect(i).toMatchObject({ protocol: 'icmp', icmp: { type: 11, code: 0 } });
    expect(i.dst).toEqual(ep('Outside', '192.0.2.1', -1));
    expect(one(`${H}%ASA-4-106023: Deny protocol 47 src outside:192.0.2.144 dst inside:172.31.98.44 by access-group "inbound"`))
      .toMatchObject({ protocol: 'protocol 47', acl: 'inbound' });
    expect(one(`${H}%ASA-4-106023: Deny tcp src outside:10.10.10.2/56444 dst srv:192.0.2.2/51635(host.example.net) by access-group "global_access_1"`).dst?.identity)
      .toBe('host.example.net');
  });

  it('106100 access-list logs: permitted, denied, est-allowed; ICMP type/code in the port slots', () => {
    const p = one(`${H}%ASA-6-106100: access-list inside permitted udp inside/172.29.2.3(1065) -> outside/192.0.2.57(53) hit-cnt 144 300-second interval [0xe982c7a4, 0x0]`);
    expect(p).toMatchObject({ kind: 'permit', reason: 'permitted', acl: 'inside', protocol: 'udp' });
    expect(p.src).toEqual(ep('inside', '172.29.2.3', 1065));
    expect(p.dst).toEqual(ep('outside', '192.0.2.57', 53));
    expect(one(`${H}%ASA-5-106100: access-list acl_in est-allowed tcp inside/10.0.0.46(49840) -> outside/192.0.2.88(40443) hit-cnt 1 first hit [0x71a87d94, 0x0]`))
      .toMatchObject({ kind: 'permit', reason: 'est-allowed' });
    const d = one(`${H}%ASA-5-106100: access-list rule denied tcp insideintf/somedomainname.local(27218)(LOCAL\\u) -> OUTSIDE/192.0.2.61(53) hit-cnt 1 first hit [0x16847359, 0x00000000]`);
    expect(d).toMatchObject({ kind: 'deny', reason: 'denied' });
    expect(d.src).toEqual(ep('insideintf', 'somedomainname.local', 27218, null, -1, 'LOCAL\\u'));
    expect(one(`${H}%ASA-6-106100: access-list x permitted icmp inside/10.0.0.1(8) -> outside/192.0.2.1(0) hit-cnt 1 first hit [0x1, 0x0]`).icmp)
      .toEqual({ type: 8, code: 0 });
  });

  it('419001 normalizer drop and 419002 duplicate SYN (both spellings)', () => {
    const d = one(`${H}%ASA-4-419001: Dropping TCP packet from outside:192.0.2.155/80 to inside:10.0.10.11/49043, reason: MSS exceeded, MSS 1380, data 1460`);
    expect(d).toMatchObject({ kind: 'drop', protocol: 'tcp', reason: 'MSS exceeded, MSS 1380, data 1460' });
    expect(d.dst).toEqual(ep('inside', '10.0.10.11', 49043));
    for (const w of ['Duplicate TCP SYN', 'Received duplicate TCP SYN']) {
      const s = one(`${H}%ASA-4-419002: ${w} from OUTSIDE:192.0.2.2/65087 to INSIDE:10.10.1.6/443 with different initial sequence number.`);
      expect(s).toMatchObject({ kind: 'drop', src: ep('OUTSIDE', '192.0.2.2', 65087), dst: ep('INSIDE', '10.10.1.6', 443) });
    }
  });

  it('313001/313004/313005 ICMP', () => {
    expect(one(`${H}%ASA-3-313001: Denied ICMP type=3, code=3 from 10.2.3.5 on interface Outside`))
      .toMatchObject({ kind: 'deny', icmp: { type: 3, code: 3 }, iface: 'Outside', src: ep(null, '10.2.3.5', -1) });
    expect(one(`${H}%ASA-4-313004: Denied ICMP type=0, from laddr 172.16.30.2 on interface inside to 172.16.1.10: no matching session`))
      .toMatchObject({ kind: 'deny', iface: 'inside', src: ep(null, '172.16.30.2', -1), dst: ep(null, '172.16.1.10', -1), reason: 'no matching session' });
    const e = one(`${H}%ASA-4-313005: No matching connection for ICMP error message: icmp src outside:192.0.2.2(LOCAL\\u, 9999:sg) dst inside:10.0.0.3 (type 3, code 3) on outside interface.  Original IP payload: tcp src 10.0.0.3/443 dst 192.0.2.2/54860.`);
    expect(e).toMatchObject({ kind: 'icmp-error', iface: 'outside', icmp: { type: 3, code: 3 } });
    expect(e.inner).toEqual({ protocol: 'tcp', src: ep(null, '10.0.0.3', 443), dst: ep(null, '192.0.2.2', 54860) });
    expect(one(`${H}%ASA-ip-4-313005: No matching connection for ICMP error message: icmp src inside:10.11.15.31 dst GWAN:10.11.40.51 (type 3, code 2) on inside interface. Original IP payload: <unknown>.`).inner)
      .toBeNull();
  });
});

describe('host, xlate and to-the-box messages', () => {
  it('609001/609002 local-host', () => {
    expect(one(`${H}%ASA-7-609001: Built local-host OUTSIDE:192.0.2.44`)).toMatchObject({ kind: 'host-built', src: ep('OUTSIDE', '192.0.2.44', -1) });
    expect(one(`${H}%FTD-7-609002: Teardown local-host net:192.0.2.2 duration 0:00:16`)).toMatchObject({ kind: 'host-teardown', durationS: 16 });
  });

  it('305011/305012 xlates: real -> mapped, names, users', () => {
    const b = one(`${H}%ASA-6-305011: Built dynamic TCP translation from inside:172.31.98.44/1772 to outside:203.0.113.44/8256`);
    expect(b).toMatchObject({ kind: 'xlate-built', protocol: 'tcp', reason: 'dynamic', src: ep('inside', '172.31.98.44', 1772), dst: ep('outside', '203.0.113.44', 8256) });
    const t = one(`${H}%ASA-6-305012: Teardown static UDP translation from OUTSIDE:192.0.2.15/50120(LOCAL\\d\\U1) to OUTSIDE:192.0.2.13/50120 duration 0:02:05`);
    expect(t).toMatchObject({ kind: 'xlate-teardown', protocol: 'udp', reason: 'static', durationS: 125 });
    expect(t.src?.identity).toBe('LOCAL\\d\\U1');
    expect(one(`${H}%ASA-6-305011: Built dynamic TCP translation from fw111:10.10.10.10/61400 to out111:external-pool/61400`).dst?.addr).toBe('external-pool');
  });

  it('710002/710003 to-the-box access', () => {
    expect(one(`${H}%ASA-7-710002: TCP access permitted from 192.0.2.10/52133 to inside:10.0.0.1/https`))
      .toMatchObject({ kind: 'permit', protocol: 'tcp', src: ep(null, '192.0.2.10', 52133), dst: ep('inside', '10.0.0.1', -1) });
    expect(one(`${H}%ASA-3-710003: TCP access denied by ACL from 192.0.2.144/6370 to outside:203.0.113.61/23`))
      .toMatchObject({ kind: 'deny', dst: ep('outside', '203.0.113.61', 23) });
    expect(one(`${H}%ASA-3-710003: UDP access denied by ACL from 95.1.1.14/5000 to outside:95.1.1.13/1005`).protocol).toBe('udp');
  });
});

describe('counting and wrappers', () => {
  it('counts every message per ID, decodes only the supported ones', () => {
    const d = decodeLines([
      `${H}%ASA-6-106015: Deny TCP (no connection) from 192.0.2.1/1 to 192.0.2.2/2 flags RST  on interface x`,
      `${H}%ASA-4-733100: [ Scanning] drop rate-2 exceeded. Current burst rate is 0 per second`,
      `${H}%ASA-4-733100: [192.0.2.2] drop rate-1 exceeded.`,
      `${H}%ASA-6-113005: AAA user authorization Rejected : reason = x`,
      'Jun 20 2018 11:58:45 router %SEC_LOGIN-5-LOGIN_SUCCESS: not a firewall',
      'a line with no tag',
    ]);
    expect(d.events).toHaveLength(1);
    expect(d.messages).toEqual({ '106015': 1, '113005': 1, '733100': 2 });
  });

  it('unwraps "message repeated N times: [ ... ]"', () => {
    const e = one('Jan 23 15:10:55 10.10.10.1 %ASA-2-106006: message repeated 2 times: [ Deny inbound UDP from 192.0.2.66/137 to 10.1.2.42/137 on interface inside]');
    expect(e).toMatchObject({ repeat: 2, kind: 'deny', iface: 'inside', dst: ep(null, '10.1.2.42', 137) });
  });

  it('a supported ID in an unknown shape is counted and warned about with its line', () => {
    const d = decodeLines(['', `${H}%ASA-6-302013: something else entirely`], { year: 2018 });
    expect(d.events).toHaveLength(0);
    expect(d.skipped).toEqual({ 'unparsed 302013': 1 });
    expect(d.problems.warnings[0]).toMatchObject({ line: 2 });
  });
});
