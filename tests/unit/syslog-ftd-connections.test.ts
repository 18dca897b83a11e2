// FTD connection events 430002/430003 (also from NGIPS sensors) and interface-prefixed addresses, written from
// Cisco's FTD syslog guide (Key: Value fields as the FMC connection-event table names them) and the ASA format
// strings; addresses are documentation ranges.
import { describe, expect, it } from 'vitest';
import { decodeLines, iso, one } from './syslog-helpers';
import { analyzeText } from './syslog-story';

const START = 'EventPriority: Low, DeviceUUID: 5c120000-ca5e-11e7-ab3c-ad268d8b0000, InstanceID: 5, FirstPacketSecond: 2024-03-05T14:22:01Z, ConnectionID: 56696, AccessControlRuleAction: Allow, SrcIP: 198.51.100.77, DstIP: 10.20.30.15, SrcPort: 55132, DstPort: 443, Protocol: tcp, IngressInterface: outside, EgressInterface: inside, IngressZone: OUT, EgressZone: IN, IngressVRF: Global, EgressVRF: Global, ACPolicy: Production, AccessControlRuleName: Web-In, Prefilter Policy: Default Prefilter Policy, User: No Authentication Required, InitiatorPackets: 1, ResponderPackets: 0, InitiatorBytes: 74, ResponderBytes: 0, NAPPolicy: Balanced Security and Connectivity';
const END = 'EventPriority: Low, DeviceUUID: 5c120000-ca5e-11e7-ab3c-ad268d8b0000, InstanceID: 5, FirstPacketSecond: 2024-03-05T14:22:01Z, ConnectionID: 56696, AccessControlRuleAction: Allow, SrcIP: 198.51.100.77, DstIP: 10.20.30.15, SrcPort: 55132, DstPort: 443, Protocol: tcp, IngressInterface: outside, EgressInterface: inside, IngressZone: OUT, EgressZone: IN, ACPolicy: Production, AccessControlRuleName: Web-In, Prefilter Policy: Default Prefilter Policy, User: LAB\\alice, UserAgent: Mozilla/5.0 (X11, Linux x86_64), Client: Firefox, ApplicationProtocol: HTTPS, ConnectionDuration: 125, InitiatorPackets: 14, ResponderPackets: 11, InitiatorBytes: 1840, ResponderBytes: 105404, NAPPolicy: Balanced Security and Connectivity, NAT_InitiatorIP: 198.51.100.77, NAT_InitiatorPort: 55132, NAT_ResponderIP: 203.0.113.15, NAT_ResponderPort: 443, TCPFlags: FIN ACK';
const DENY = 'Deny TCP (no connection) from 10.20.30.15/443 to 198.51.100.77/55132 flags RST  on interface inside';

describe('FTD 430002 / 430003 connection events', () => {
  it('430003 decodes as a teardown: endpoints with interfaces, NAT, counts per direction, duration, flags', () => {
    const e = one(`<166>2024-03-05T14:24:06Z ftd-01 : %FTD-1-430003: ${END}`);
    expect(e).toMatchObject({
      kind: 'teardown', messageId: '430003', device: 'ftd-01', protocol: 'tcp', connId: '56696 (instance 5)',
      src: { iface: 'outside', addr: '198.51.100.77', port: 55132, mappedAddr: '198.51.100.77', mappedPort: 55132 },
      dst: { iface: 'inside', addr: '10.20.30.15', port: 443, mappedAddr: '203.0.113.15', mappedPort: 443 },
      durationS: 125, srcPackets: 14, dstPackets: 11, srcBytes: 1840, dstBytes: 105404, bytes: 107244,
      tcpFlags: 0x11, acl: 'Web-In', user: 'LAB\\alice', reason: null,
    });
    expect(iso(e)).toBe('2024-03-05T14:24:06.000Z');
  });

  it('the close reason: Reason, else AccessControlRuleReason, else a blocking action', () => {
    const reasonOf = (fields: string) => one(`2024-03-05T14:24:06Z %FTD-6-430003: SrcIP: 192.0.2.1, DstIP: 192.0.2.2, SrcPort: 1, DstPort: 2, Protocol: tcp, ${fields}`).reason;
    expect(reasonOf('AccessControlRuleAction: Block with reset')).toBe('Block with reset');
    expect(reasonOf('AccessControlRuleAction: Block, AccessControlRuleReason: File Block')).toBe('File Block');
    expect(reasonOf('AccessControlRuleAction: Allow, Reason: TCP Reset')).toBe('TCP Reset');
    expect(reasonOf('AccessControlRuleAction: Trust')).toBeNull();
  });

  it('the close reason normalised as an ASA one (the same Cisco words): an unknown text naming a reset stays a reset', () => {
    const nameOf = (fields: string) => one(`2024-03-05T14:24:06Z %FTD-6-430003: SrcIP: 192.0.2.1, DstIP: 192.0.2.2, SrcPort: 1, DstPort: 2, Protocol: tcp, ${fields}`).teardownReason;
    expect(nameOf('Reason: Flow timed out')).toBe('flow-timed-out');
    expect(nameOf('AccessControlRuleAction: Allow, Reason: TCP Reset')).toBe('other-reset');
    expect(nameOf('AccessControlRuleAction: Block, AccessControlRuleReason: File Block')).toBe('other');
    expect(nameOf('AccessControlRuleAction: Trust')).toBe('none');
  });

  it('values with commas (UserAgent, URL) do not end a field early; TCP Flags as a number', () => {
    const e = one(`2024-03-05T14:24:06Z %FTD-6-430003: SrcIP: 192.0.2.1, DstIP: 192.0.2.2, SrcPort: 40000, DstPort: 80, Protocol: tcp, UserAgent: a, b: c, URL: http://x/?a=1,b=2, TCP Flags: 20, InitiatorBytes: 5, ResponderBytes: 6`);
    expect([e.tcpFlags, e.bytes, e.dst?.port]).toEqual([0x14, 11, 80]);
  });

  it('%NGIPS- tags and events without a ConnectionID (paired by their 5-tuple); ICMP/UDP kept', () => {
    const d = decodeLines([
      `<185>2024-03-05T14:22:01Z sensor-1 %NGIPS-1-430002: AccessControlRuleAction: Allow, SrcIP: 10.0.1.20, DstIP: 192.0.2.53, SrcPort: 50074, DstPort: 53, Protocol: udp, InitiatorPackets: 1, ResponderPackets: 0, InitiatorBytes: 106, ResponderBytes: 0`,
      `<185>2024-03-05T14:22:02Z sensor-1 %NGIPS-1-430003: AccessControlRuleAction: Allow, SrcIP: 10.0.1.20, DstIP: 192.0.2.53, SrcPort: 50074, DstPort: 53, Protocol: udp, ConnectionDuration: 1, InitiatorPackets: 1, ResponderPackets: 1, InitiatorBytes: 106, ResponderBytes: 190`,
    ]);
    expect(d.events.map((e) => [e.kind, e.protocol, e.connId, e.device])).toEqual([
      ['built', 'udp', 'udp:10.0.1.20/50074>192.0.2.53/53', 'sensor-1'],
      ['teardown', 'udp', 'udp:10.0.1.20/50074>192.0.2.53/53', 'sensor-1'],
    ]);
    expect(d.messages).toEqual({ '430002': 1, '430003': 1 });
  });

  it('a 430003 without the addresses is warned about by line, never dropped silently', () => {
    const d = decodeLines(['2024-03-05T14:22:02Z %FTD-1-430003: EventPriority: Low, DeviceUUID: x']);
    expect(d.events).toEqual([]);
    expect(d.problems.warnings).toEqual([{ file: 'test.log', line: 1, message: 'message 430003 is not in a shape Teardown reads; counted only' }]);
    expect(d.skipped).toEqual({ 'unparsed 430003': 1 });
  });

  it('start and end pair into one connection like Built/Teardown, and the 106015 RST joins it', async () => {
    const log = [
      `2024-03-05T14:22:01Z ftd-01 : %FTD-1-430002: ${START}`,
      `2024-03-05T14:24:06Z ftd-01 : %FTD-1-430003: ${END}`,
      `2024-03-05T14:24:06Z ftd-01 : %FTD-6-106015: ${DENY}`,
    ].join('\n');
    const { input, connections } = await analyzeText('ftd.log', `${log}\n`);
    expect(input).toMatchObject({ firewallEvents: 3, warnings: [] });
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ client: { ip: '198.51.100.77', port: 55132 }, server: { ip: '10.20.30.15', port: 443 } });
    expect(connections[0].firewall).toMatchObject({
      device: 'ftd-01', connId: '56696 (instance 5)', built: '2024-03-05T14:22:01.000000Z',
      teardown: { time: '2024-03-05T14:24:06.000000Z' }, bytes: 107244, duration: '0:02:05',
      interfaces: { client: 'outside', server: 'inside' },
    });
    expect(connections[0].firewall!.denies).toEqual([expect.objectContaining({ messageId: '106015', flags: 'RST', afterTeardownMs: 0 })]);
  });

  it('a 430003 alone is a connection of its own (start = end - duration)', async () => {
    const { connections } = await analyzeText('ftd-end.log', `2024-03-05T14:24:06Z ftd-01 : %FTD-1-430003: ${END}\n`);
    expect(connections.map((c) => [c.start, c.end, c.firewall?.connId])).toEqual([['2024-03-05T14:22:01.000000Z', '2024-03-05T14:24:06.000000Z', '56696 (instance 5)']]);
  });
});

describe('interface-prefixed addresses: split at the last colon before the address', () => {
  it('`src v1:outside:10.8.1.9/54864` (a context or FTD prefix) in 106023', () => {
    const e = one('Mar 05 2024 14:22:01: %ASA-4-106023: Deny tcp src v1:outside:10.8.1.9/54864 dst v1:inside:10.0.0.5/443 by access-group "OUT" [0x0, 0x0]');
    expect([e.src?.iface, e.src?.addr, e.src?.port, e.dst?.iface, e.dst?.addr, e.acl]).toEqual(['v1:outside', '10.8.1.9', 54864, 'v1:inside', '10.0.0.5', 'OUT']);
  });
  it('IPv6 after an interface still splits at the first colon; after a prefixed one at the right colon', () => {
    const e = one('Mar 05 2024 14:22:01: %ASA-6-302013: Built inbound TCP connection 9 for OUTSIDE:2001:db8::7/62477 (2001:db8::7/62477) to v1:inside:2001:db8:1::5/443 (2001:db8:1::5/443)');
    expect([e.src?.iface, e.src?.addr, e.dst?.iface, e.dst?.addr, e.dst?.port]).toEqual(['OUTSIDE', '2001:db8::7', 'v1:inside', '2001:db8:1::5', 443]);
  });
  it('`faddr outside:203.0.113.20/0` in ICMP connection messages', () => {
    const e = one('Mar 05 2024 14:22:01: %ASA-6-302020: Built inbound ICMP connection for faddr outside:203.0.113.20/0 gaddr 198.51.100.1/0 laddr inside:10.0.0.1/0 type 8 code 0');
    expect([e.src?.iface, e.src?.addr, e.dst?.iface, e.dst?.addr, e.dst?.mappedAddr]).toEqual(['outside', '203.0.113.20', 'inside', '10.0.0.1', '198.51.100.1']);
    const v6 = one('Mar 05 2024 14:22:01: %ASA-6-302020: Built inbound ICMP connection for faddr 2001:db8::1/0 gaddr 2001:db8::2/0 laddr 2001:db8::3/0');
    expect([v6.src?.iface, v6.src?.addr, v6.dst?.addr]).toEqual([null, '2001:db8::1', '2001:db8::3']);
  });
});
