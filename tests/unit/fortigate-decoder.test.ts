/**
 * The FortiGate traffic log decoder (decode/text/fortigate.ts): lines in the shapes FortiOS writes them (syslog with a
 * header, disk and FortiAnalyzer exports with bare values), hand-written after Fortinet's log message reference and
 * sample logs (tests/fixtures/fortigate/PROVENANCE.md). A session-end log is a Built and a Teardown, a deny a deny
 * with a normalised cause, statistics and event logs are counted only; the format is recognised from the content and
 * a FortiGate log correlates with captures of the same flows (real stacks: tests/fixtures/two-points).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFortigateLineDecoder } from '../../src/decode/text/fortigate';
import { parseZoneOption } from '../../src/decode/text/syslog-zones';
import { decodeInput } from '../../src/decode/index';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { copyFirewallEvent, type FirewallEvent } from '../../src/model/firewall';
import { createProblemLog } from '../../src/model/problems';
import { createEngineSession } from '../../src/engine/session';
import { placeFirewallEvents } from '../../src/render/ladder-events';
import { FIN, RST } from '../../src/model/segment';
import type { InputReport } from '../../src/model/report';
import { analyzeLog, firewallOf } from './firewall-session-helpers';

function decode(lines: string[], tz?: string) {
  const events: FirewallEvent[] = [];
  const report: Pick<InputReport, 'firewallMessages' | 'firewallEvents'> = {};
  const zone = tz === undefined ? null : parseZoneOption(tz);
  if (typeof zone === 'string') throw new Error(zone);
  const dec = createFortigateLineDecoder(0, 'fgt.log', (e) => events.push(copyFirewallEvent(e)), { zone }, report);
  lines.forEach((l, i) => dec.line(l, i + 1));
  dec.finish();
  return { events, report };
}

const iso = (us: number) => new Date(us / 1000).toISOString();

const HEAD = 'date=2025-03-05 time=14:22:01 devname="fw-branch" devid="FG100FTK00000001" eventtime=1741184521123456789 tz="+0100" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root"';
const END = `${HEAD} srcip=10.1.100.11 srcport=58012 srcintf="port12" srcintfrole="lan" dstip=203.0.113.35 dstport=443 dstintf="port11" dstintfrole="wan" sessionid=105048 proto=6 action="client-rst" policyid=7 policytype="policy" service="HTTPS" trandisp="snat" transip=198.51.100.2 transport=61001 duration=116 sentbyte=1188 rcvdbyte=1224 sentpkt=17 rcvdpkt=16`;

describe('FortiGate traffic log decoder', () => {
  it('a session-end log is a Built (log time minus duration) and a Teardown with the action as reason', () => {
    const { events, report } = decode([`<189>${END}`]);
    expect(events.map((e) => [e.kind, iso(e.timeUs), e.timeUs % 1e6, e.precisionUs])).toEqual([
      ['built', '2025-03-05T14:20:05.000Z', 0, 1e6],
      ['teardown', '2025-03-05T14:22:01.123Z', 123456, 1],
    ]);
    const td = events[1];
    expect(td).toMatchObject({
      messageId: '0000000013', device: 'fw-branch', connId: '105048', protocol: 'tcp', initiator: 'src', reason: 'client-rst', teardownReason: 'reset-client',
      durationS: 116, bytes: 2412, srcBytes: 1188, dstBytes: 1224, line: 1,
      src: { iface: 'port12', addr: '10.1.100.11', port: 58012, mappedAddr: '198.51.100.2', mappedPort: 61001 },
      dst: { iface: 'port11', addr: '203.0.113.35', port: 443, mappedAddr: '203.0.113.35', mappedPort: 443 },
    });
    expect(report).toEqual({ firewallMessages: { '0000000013': 1 }, firewallEvents: 2 });
  });

  it('reads the pairs past any header: RFC 5424, a relay stamp and host, none', () => {
    const headers = ['', '<189>1 2025-03-05T14:22:01.123+01:00 fw-branch - - - ', 'Mar  5 14:22:02 relay01 ', '2025-03-05T13:22:02Z 192.0.2.7 '];
    for (const h of headers) {
      const { events } = decode([h + END]);
      expect(events.map((e) => e.kind), h).toEqual(['built', 'teardown']);
      expect(events[1].src?.addr).toBe('10.1.100.11');
    }
  });

  it('bare values (a FortiAnalyzer export): the date and time in the zone the line names, logid as printed', () => {
    const line = 'itime=2025-03-05 14:22:09 logver=70 date=2025-03-05 time=14:22:01 tz=-0700 devname=fw-lab devid=FGVM01 logid=13 type=traffic subtype=forward action=close ' +
      'srcip=192.168.1.205 srcport=50925 srcintf=port2 dstip=192.0.2.22 dstport=80 dstintf=port1 sessionid=91254 proto=6 duration=23 sentbyte=578 rcvdbyte=4831 policyid=5 trandisp=noop';
    const { events } = decode([line]);
    expect(events.map((e) => [e.kind, iso(e.timeUs), e.messageId, e.reason, e.device])).toEqual([
      ['built', '2025-03-05T21:21:38.000Z', '13', null, 'fw-lab'],
      ['teardown', '2025-03-05T21:22:01.000Z', '13', 'close', 'fw-lab'],
    ]);
    // No translation: no mapped side.
    expect(events[1].src?.mappedAddr).toBeNull();
    // Without tz in the line, the zone option; without either, UTC.
    const noTz = line.replace(' tz=-0700', '');
    expect(iso(decode([noTz], 'Europe/Berlin').events[1].timeUs)).toBe('2025-03-05T13:22:01.000Z');
    expect(iso(decode([noTz]).events[1].timeUs)).toBe('2025-03-05T14:22:01.000Z');
  });

  it('eventtime in seconds, milliseconds, microseconds or nanoseconds', () => {
    const at = (v: string) => decode([END.replace('eventtime=1741184521123456789', `eventtime=${v}`)]).events[1];
    expect([at('1741184521'), at('1741184521123'), at('1741184521123456'), at('1741184521123456789')].map((e) => [iso(e.timeUs), e.precisionUs])).toEqual([
      ['2025-03-05T14:22:01.000Z', 1e6], ['2025-03-05T14:22:01.123Z', 1e3], ['2025-03-05T14:22:01.123Z', 1], ['2025-03-05T14:22:01.123Z', 1],
    ]);
    expect(at('1741184521123456').timeUs).toBe(1741184521123456);
  });

  it('a start log is the Built; its end log then gives only the Teardown', () => {
    const start = END.replace('logid="0000000013"', 'logid="0000000015"').replace('action="client-rst"', 'action="start"').replace(/ duration=\d+/, ' duration=0');
    const { events } = decode([start, END]);
    expect(events.map((e) => [e.kind, e.messageId])).toEqual([['built', '0000000015'], ['teardown', '0000000013']]);
  });

  it('the action is the vendor\'s reason text, with its normalised reason', () => {
    const reasons = ['close', 'client-rst', 'server-rst', 'timeout', 'accept', 'ip-rst'].map((a) => decode([END.replace('"client-rst"', `"${a}"`)]).events[1]);
    expect(reasons.map((e) => [e.reason, e.teardownReason])).toEqual([
      ['close', 'fins'], ['client-rst', 'reset-client'], ['server-rst', 'reset-server'], ['timeout', 'idle-timeout'], ['accept', 'other'], ['ip-rst', 'other-reset'],
    ]);
  });

  it('deny: the implicit deny (policy 0) is security-policy, a policy of its own access-rule; the logid is the id', () => {
    const deny = (policy: string) => `${HEAD} srcip=198.51.100.9 srcport=40000 srcintf="wan1" dstip=10.0.0.5 dstport=22 dstintf="internal" sessionid=77 proto=6 action="deny" ${policy} policytype="policy" service="SSH" duration=0 sentbyte=0 rcvdbyte=0`;
    const { events } = decode([deny('policyid=0'), deny('policyid=12 policyname="block-ssh"'), deny('policyid=12')]);
    expect(events.map((e) => [e.kind, e.cause, e.acl, e.messageId, e.iface, e.protocol, e.src?.port, e.dst?.port])).toEqual([
      ['deny', 'security-policy', '0', '0000000013', 'wan1', 'tcp', 40000, 22],
      ['deny', 'access-rule', 'block-ssh', '0000000013', 'wan1', 'tcp', 40000, 22],
      ['deny', 'access-rule', '12', '0000000013', 'wan1', 'tcp', 40000, 22],
    ]);
  });

  it('"no session matched" (message 7, log-invalid-packet) is a no-connection deny: a late packet of a closed session is classed so', async () => {
    const at = (t: string, rest: string) => `date=2018-06-20 time=${t} devname="fw1" devid="FG1" tz="+0000" type="traffic" subtype="forward" ${rest}`;
    const lines = [
      at('12:00:50', 'logid="0000000013" srcip=198.51.100.77 srcport=55132 srcintf="wan1" dstip=10.20.30.15 dstport=443 dstintf="dmz" sessionid=4777 proto=6 action="close" policyid=3 duration=125 sentbyte=5000 rcvdbyte=102244'),
      at('12:00:50', 'logid="0000000007" level="warning" srcip=10.20.30.15 srcport=443 srcintf="dmz" dstip=198.51.100.77 dstport=55132 dstintf=unknown-0 proto=6 action="deny" policyid=0 policytype="policy" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 msg="no session matched"'),
      at('12:00:51', 'logid="0000000007" level="warning" srcip=10.20.30.16 srcport=1 srcintf="dmz" dstip=198.51.100.77 dstport=2 proto=6 action="deny" policyid=0 msg="iprope_in_check() check failed on policy 0, drop"'),
    ];
    const { events } = decode(lines);
    expect(events.slice(2).map((e) => [e.kind, e.cause, e.messageId, e.reason])).toEqual([
      ['deny', 'no-connection', '0000000007', 'no session matched'],
      ['deny', 'other', '0000000007', 'iprope_in_check() check failed on policy 0, drop'],
    ]);
    const r = firewallOf(await analyzeLog(lines));
    expect(r.summary).toMatchObject({ denies106015: 1, deniesLateClose: 1, deniesUnknown: 0, connectionLogging: true });
    const fw = r.correlation.syslogConnections.at(0)!.firewall!;
    expect(fw.denies.map((d) => [d.messageId, d.cause])).toEqual([['0000000007', 'no-connection']]);
    expect(fw.explanation).toContain('"no connection" (0000000007 on dmz)');
    expect(fw.explanation).toContain('"close", a normal close with FINs');
    // After a session that timed out, the same deny is classed as after an idle timeout.
    const timedOut = await analyzeLog([
      at('12:00:50', 'logid="0000000013" srcip=198.51.100.77 srcport=55132 dstip=10.20.30.15 dstport=443 sessionid=4777 proto=6 action="timeout" policyid=3 duration=3725'),
      at('12:01:10', 'logid="0000000007" srcip=10.20.30.15 srcport=443 srcintf="dmz" dstip=198.51.100.77 dstport=55132 proto=6 action="deny" policyid=0 msg="no session matched"'),
    ]);
    expect(firewallOf(timedOut).summary).toMatchObject({ denies106015: 1, deniesIdleTimeout: 1, deniesLateClose: 0 });
  });

  it('UDP and ICMP sessions, IPv6; statistics and event logs are counted only', () => {
    const udp = END.replace('proto=6', 'proto=17').replace('action="client-rst"', 'action="accept"');
    const icmp = `${HEAD} srcip=2001:db8::1 srcintf="port2" dstip=2001:db8:1::53 dstintf="port1" sessionid=9 proto=58 action="accept" policyid=1 icmpid=0x0007 icmptype=0x80 icmpcode=0x00 duration=1`;
    const stat = END.replace('logid="0000000013"', 'logid="0000000020"').replace('action="client-rst"', 'action="accept"');
    const event = 'date=2025-03-05 time=14:22:01 devname="fw-branch" logid="0100032001" type="event" subtype="system" level="information" action="login" status="success"';
    const { events, report } = decode([udp, icmp, stat, event, 'not a log line']);
    expect(events.map((e) => [e.kind, e.protocol, e.reason, e.teardownReason])).toEqual([
      ['built', 'udp', null, null], ['teardown', 'udp', 'accept', 'other'], ['built', 'icmp6', null, null], ['teardown', 'icmp6', 'accept', 'other'],
    ]);
    expect(events[3]).toMatchObject({ src: { addr: '2001:db8::1', port: 7 }, dst: { addr: '2001:db8:1::53', port: 7 }, icmp: { type: 128, code: 0 } });
    expect(report.firewallMessages).toEqual({ '0000000013': 2, '0000000020': 1, '0100032001': 1 });
  });

  it('is recognised from the content, and an ASA log still is ASA syslog', async () => {
    const fmt = async (name: string, text: string) => {
      const problems = createProblemLog(name);
      const r = await decodeInput(createBytesSource(name, new TextEncoder().encode(text)), 0, { segments: { segment() {}, streamOnly() {} }, firewall: { event() {} } }, { problems });
      return [r.format, r.packets, r.firewallEvents, r.skipped, problems.warnings.length];
    };
    expect(await fmt('fgt.log', `<189>${END}\nnoise\n`)).toEqual(['fortigate-traffic', 2, 2, { 'no FortiGate logid': 1 }, 0]);
    const asa = readFileSync(new URL('../fixtures/seed/asa-syslog.log', import.meta.url), 'utf8');
    expect((await fmt('asa.log', asa))[0]).toBe('asa-syslog');
  });

  it('correlates with captures of the same flows, inside (real addresses) and outside (source-NATed)', async () => {
    const dir = new URL('../fixtures/', import.meta.url);
    const files = ['fortigate/two-points.log', 'two-points/clean-inside.pcap', 'two-points/late-rst-outside.pcap'];
    const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, dir))))));
    expect(s.inputs.map((i) => i.format)).toEqual(['fortigate-traffic', 'pcap', 'pcap']);
    const reports = s.reports.toArray();
    // Both packet connections got their firewall connection, and no log-only connection is left over.
    expect(reports.map((r) => [r.source ?? 'packets', r.client.ip, r.firewall?.connId, r.firewall?.teardown?.reason, r.firewall?.mapped?.client.ip])).toEqual([
      ['packets', '10.19.0.2', '3141', 'close', '198.51.100.1'],
      ['packets', '198.51.100.1', '3142', 'server-rst', '198.51.100.1'],
    ]);
    expect(reports[0].firewall).toMatchObject({ device: 'FGT-EDGE', messageIds: ['0000000013', '0000000013'], interfaces: { client: 'port2', server: 'port1' }, bytes: 1000 });
    expect(reports[1].firewall!.explanation).toContain('torn down at 07:45:08.701523 after 0:00:04 (1212 bytes): "server-rst", an RST from the server.');
  });

  it('reads its teardown stamps as logged after the close, not as clock skew, and still marks the closing packets', async () => {
    // The end logs are 1.0 s and 16 ms after each capture's last packet (a FortiGate logs a session when it leaves
    // the table, after its timers). Read as stamps of the close, they made the log's clock 508 ms ahead of the
    // captures and put the second teardown 0.49 s before the RSTs that closed it.
    const dir = new URL('../fixtures/', import.meta.url);
    const files = ['fortigate/two-points.log', 'two-points/clean-inside.pcap', 'two-points/late-rst-outside.pcap'];
    const s = createEngineSession();
    await s.load(files.map((f) => ({ kind: 'bytes' as const, name: f, bytes: new Uint8Array(readFileSync(new URL(f, dir))) })), {});
    for (const row of [0, 1]) {
      const l = (await s.ladder({ row }))!;
      const fw = l.connection.firewall!;
      expect([fw.clockOffsetMs, fw.teardownLogged, fw.builtFrom]).toEqual([0, 'after-close', 'duration']);
      const { marks, clock } = placeFirewallEvents(l.connection, l.packets);
      expect(clock!.offsetUs).toBe(0);
      const built = marks.find((m) => m.kind === 'built')!;
      const teardown = marks.find((m) => m.kind === 'teardown')!;
      // The Built after the SYN; the teardown after the last FIN of a close, the first RST of a reset.
      expect(built.after).toBe(0);
      const closing = row === 0 ? l.packets.map((p) => p.flags & FIN).lastIndexOf(FIN) : l.packets.findIndex((p) => p.flags & RST);
      expect(closing).toBeGreaterThan(0);
      expect(teardown.after).toBe(closing);
      expect(teardown.detail).toContain('after the close');
    }
  });
});
