// Firewall correlation rules: Built/Teardown pairing per device, late-deny window, NAT-mapped joins, clock
// offset, log-only connections, and that it scales linearly (maps keyed by 4-tuple).
import { describe, expect, it } from 'vitest';
import { LATE_DENY_WINDOW_S } from '../../src/analysis/firewall/correlate';
import { pairFirewallConnections } from '../../src/analysis/firewall/pairing';
import type { AnalysisSession } from '../../src/engine/analyze-sources';
import { decodeLines } from './syslog-helpers';
import { analyzeLog, firewallOf } from './firewall-session-helpers';
import { connectionLines } from './capture-lines';
import { cpuMs } from './cpu-time';

const hms = (sec: number) => {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}`;
};
const at = (sec: number, dev = 'fw1') => `<166>Jun 20 2018 ${hms(sec)} ${dev} : `;
const built = (sec: number, id: number, cport: number, dev = 'fw1', server = '10.0.0.5', mapped = '203.0.113.5') =>
  `${at(sec, dev)}%ASA-6-302013: Built inbound TCP connection ${id} for outside:198.51.100.9/${cport} (198.51.100.9/${cport}) to inside:${server}/443 (${mapped}/443)`;
const teardown = (sec: number, id: number, cport: number, reason = 'TCP FINs from inside', dev = 'fw1', server = '10.0.0.5') =>
  `${at(sec, dev)}%ASA-6-302014: Teardown TCP connection ${id} for outside:198.51.100.9/${cport} to inside:${server}/443 duration 0:00:10 bytes 999 ${reason}`;
const deny = (sec: number, from: string, to: string, flags = 'RST', iface = 'inside', dev = 'fw1') =>
  `${at(sec, dev)}%ASA-6-106015: Deny TCP (no connection) from ${from} to ${to} flags ${flags}  on interface ${iface}`;

const events = (lines: string[]) => decodeLines(lines, { year: 2018 }).events;
const T0 = 12 * 3600;

/** A captured connection from 198.51.100.9/cport to the server, handshake at startSec, FINs at endSec. */
const captured = (cport: number, startSec: number, endSec: number, server = '10.0.0.5.443') =>
  connectionLines({ client: `198.51.100.9.${cport}`, server, startSec, endSec, close: 'clean' });
/** The captured connections' reports, in capture order (log-only ones left out). */
const packetReports = (s: AnalysisSession) => s.reports.toArray().filter((r) => (r.source ?? 'packets') === 'packets');

describe('pairing Built/Teardown', () => {
  it('pairs per device and connection id, folds duplicate lines, orients by direction', () => {
    const ev = events([
      built(T0, 7, 1000), built(T0, 7, 1000), // duplicate line
      built(T0, 7, 2000, 'fw2'), // same id, other device
      teardown(T0 + 10, 7, 1000), teardown(T0 + 10, 7, 1000),
      teardown(T0 + 20, 7, 2000, 'TCP Reset-O', 'fw2'),
      `${at(T0)}%ASA-6-302013: Built outbound TCP connection 8 for outside:192.0.2.80/80 (192.0.2.80/80) to inside:10.0.0.6/40000 (203.0.113.6/61000)`,
    ]);
    const conns = pairFirewallConnections(ev);
    expect(conns.map((c) => [c.device, c.connId, c.client.port, c.server.port, c.teardown?.reason ?? null])).toEqual([
      ['fw1', '7', 1000, 443, 'TCP FINs'],
      ['fw2', '7', 2000, 443, 'TCP Reset-O'],
      ['fw1', '8', 40000, 80, null],
    ]);
    expect(conns[2].client).toMatchObject({ iface: 'inside', addr: '10.0.0.6', mappedAddr: '203.0.113.6', mappedPort: 61000 });
  });

  it('a Teardown without its Built: start = teardown - duration, server by the lower port', () => {
    const c = pairFirewallConnections(events([teardown(T0 + 10, 9, 50000)]))[0];
    expect(c).toMatchObject({ clientBy: 'port-heuristic', built: null });
    expect(c.client.port).toBe(50000);
    expect(c.endUs - c.startUs).toBe(10e6);
  });
});

describe('106015 late denies', () => {
  const base = [built(T0, 1, 1000), teardown(T0 + 10, 1, 1000)];

  it(`joins a deny up to ${LATE_DENY_WINDOW_S} s after the teardown, real or mapped addresses, either direction`, async () => {
    const r = firewallOf(await analyzeLog([
      ...base,
      deny(T0 + 10, '10.0.0.5/443', '198.51.100.9/1000'), // same second, real
      deny(T0 + 40, '198.51.100.9/1000', '203.0.113.5/443', 'FIN ACK', 'outside'), // mapped server address
      deny(T0 + 10 + LATE_DENY_WINDOW_S, '10.0.0.5/443', '198.51.100.9/1000'), // at the edge
      deny(T0 + 11 + LATE_DENY_WINDOW_S, '10.0.0.5/443', '198.51.100.9/1000'), // too late
      deny(T0 + 8, '10.0.0.5/443', '198.51.100.9/1000'), // before the teardown: not a late packet
      deny(T0 + 12, '10.0.0.5/443', '198.51.100.9/1001'), // other port: unknown
      deny(T0 + 12, '10.0.0.5/443', '198.51.100.9/1000', 'RST', 'inside', 'fw2'), // other device
    ]));
    expect(r.summary).toMatchObject({ denies106015: 7, deniesLateClose: 3, deniesUnknown: 4 });
    const only = r.correlation.syslogConnections.at(0)!;
    expect(only.firewall!.denies.map((d) => [d.afterTeardownMs, d.flags, d.interface])).toEqual([
      [0, 'RST', 'inside'], [30000, 'FIN ACK', 'outside'], [LATE_DENY_WINDOW_S * 1000, 'RST', 'inside'],
    ]);
    expect(only.firewall!.explanation).toContain('in the same second as the teardown');
  });

  it('a deny goes to the most recent torn-down connection of a reused 4-tuple', async () => {
    const r = firewallOf(await analyzeLog([
      built(T0, 1, 1000), teardown(T0 + 10, 1, 1000),
      built(T0 + 20, 2, 1000), teardown(T0 + 30, 2, 1000),
      deny(T0 + 31, '10.0.0.5/443', '198.51.100.9/1000'),
    ]));
    expect(r.correlation.syslogConnections.toArray().map((c) => [c.firewall!.connId, c.firewall!.denies.length])).toEqual([['1', 0], ['2', 1]]);
  });
});

describe('packet connections', () => {
  it('attach to the firewall connection of their 4-tuple and time; the rest stay log-only', async () => {
    const log = [built(T0, 1, 1000), teardown(T0 + 10, 1, 1000), built(T0 + 100, 2, 1000), teardown(T0 + 110, 2, 1000), built(T0, 3, 3000), teardown(T0 + 5, 3, 3000)];
    const s = await analyzeLog(log, { capture: [...captured(1000, T0 + 101, T0 + 109.5), ...captured(1000, T0 + 1, T0 + 9.2)] });
    const reports = packetReports(s);
    expect(reports.map((p) => [p.start.slice(11, 19), p.firewall?.connId])).toEqual([['12:00:01', '1'], ['12:01:41', '2']]);
    expect(firewallOf(s).correlation.matched).toBe(2);
    expect(firewallOf(s).correlation.syslogConnections.toArray().map((c) => c.firewall!.connId)).toEqual(['3']);
  });

  it('a packet connection the log has no connection for still gets its 106015 denies (asymmetric routing)', async () => {
    const s = await analyzeLog([
      deny(T0 + 5, '198.51.100.9/4000', '10.0.0.5/443', 'ACK', 'outside'),
      deny(T0 + 6, '198.51.100.9/4000', '10.0.0.5/443', 'PSH ACK', 'outside'),
      deny(T0 + 3000, '198.51.100.9/4001', '10.0.0.5/443', 'ACK', 'outside'), // long after: not this one
    ], { capture: [...captured(4000, T0, T0 + 30), ...captured(4001, T0, T0 + 30)] });
    const reports = packetReports(s);
    expect(firewallOf(s).summary).toMatchObject({ denies106015: 3, deniesLateClose: 0, deniesUnknown: 3 });
    expect(reports.map((p) => p.client.port)).toEqual([4000, 4001]);
    expect(reports[0].firewall).toMatchObject({ connId: null, teardown: null, denies: [{ flags: 'ACK' }, { flags: 'PSH ACK' }] });
    expect(reports[0].firewall!.explanation).toMatch(/no connection entry .* denied 2 of its packets \(from the client\)/);
    expect(reports[1].firewall).toBeUndefined();
  });

  it('match through the NAT-mapped server address (outside capture)', async () => {
    const s = await analyzeLog([built(T0, 1, 1000), teardown(T0 + 10, 1, 1000)], { capture: captured(1000, T0 + 1, T0 + 9.5, '203.0.113.5.443') });
    const reports = packetReports(s);
    expect(reports).toHaveLength(1);
    expect(reports[0].firewall).toMatchObject({ connId: '1', mapped: { server: { ip: '203.0.113.5', port: 443 } } });
  });

  it('estimates a capture clock that is an hour behind the firewall and still matches', async () => {
    const lines: string[] = [];
    const capture: string[] = [];
    for (let i = 0; i < 20; i++) {
      lines.push(built(T0 + i * 30, 100 + i, 2000 + i), teardown(T0 + i * 30 + 10, 100 + i, 2000 + i));
      capture.push(...captured(2000 + i, T0 + i * 30 - 3600 + 1, T0 + i * 30 - 3600 + 10.3)); // torn down at x.3: stamped x
    }
    const s = await analyzeLog(lines, { capture });
    const r = firewallOf(s);
    const reports = packetReports(s);
    expect(Math.round(r.correlation.clockOffsetUs / 1e6)).toBe(3600);
    expect(reports.map((p) => p.firewall?.connId)).toEqual(reports.map((_, i) => String(100 + i)));
    expect(Math.round(reports[0].firewall!.clockOffsetMs! / 1000)).toBe(3600);
    expect(r.correlation.syslogConnections).toHaveLength(0);
  });

  it('scales: 40k connections and 20k denies read and correlate in well under 5 s', async () => {
    const n = 40_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const cport = 1024 + (i % 60000);
      const server = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      lines.push(built(T0 + (i % 3000), i, cport, 'fw1', server), teardown(T0 + (i % 3000) + 5, i, cport, 'TCP FINs from inside', 'fw1', server));
      if (i % 2 === 0) lines.push(deny(T0 + (i % 3000) + 5, `${server}/443`, `198.51.100.9/${cport}`));
    }
    const { value: r, ms } = await cpuMs(async () => firewallOf(await analyzeLog(lines)));
    const s = ms / 1000;
    expect(r.correlation.syslogConnections).toHaveLength(n);
    expect(r.summary).toMatchObject({ denies106015: n / 2, deniesLateClose: n / 2 });
    console.log(`firewall-correlate: ${n} connections + ${n / 2} denies read and correlated in ${s.toFixed(2)} CPU-s`);
    expect(s).toBeLessThan(20); // a guard against quadratic joins; the benchmark measures speed
  });
});
