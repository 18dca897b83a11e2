// The columnar firewall log (analysis/firewall/log.ts, join.ts): columns and interning, the 106015 classes
// (late-close, idle-timeout, no-connection), duplicate folding, order independence, the per-connection deny cap,
// and that recurring 4-tuples join by index (as fast per deny as unique ones).
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createTextSource } from '../../src/lib/byte-source';
import { DENIES_PER_CONNECTION, IDLE_DENY_WINDOW_S, LATE_DENY_WINDOW_S } from '../../src/analysis/firewall/join';
import { DENY_CLASS, DENY_CLASSES } from '../../src/model/firewall-triage';
import { analyzeLog, firewallOf } from './firewall-session-helpers';
import { cpuMs } from './cpu-time';

const hms = (sec: number) => {
  const h = Math.floor(sec / 3600) % 24;
  const m = Math.floor((sec % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}`;
};
const at = (sec: number, dev = 'fw1') => `<166>Jun 20 2018 ${hms(sec)} ${dev} : `;
const built = (sec: number, id: number, cport: number, dev = 'fw1') =>
  `${at(sec, dev)}%ASA-6-302013: Built inbound TCP connection ${id} for outside:198.51.100.9/${cport} (198.51.100.9/${cport}) to inside:10.0.0.5/443 (203.0.113.5/443)`;
const dur = (s: number) => `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
const teardown = (sec: number, id: number, cport: number, reason: string, life = 10, dev = 'fw1') =>
  `${at(sec, dev)}%ASA-6-302014: Teardown TCP connection ${id} for outside:198.51.100.9/${cport} to inside:10.0.0.5/443 duration ${dur(life)} bytes 999 ${reason}`;
const deny = (sec: number, cport: number, flags = 'RST', dev = 'fw1') =>
  `${at(sec, dev)}%ASA-6-106015: Deny TCP (no connection) from 10.0.0.5/443 to 198.51.100.9/${cport} flags ${flags}  on interface inside`;
const T0 = 12 * 3600;

async function classes(lines: string[]) {
  const { log, join } = firewallOf(await analyzeLog(lines));
  const out: string[] = [];
  for (let j = 0; j < log.denies.count; j++) if (log.names.list[log.denies.messageId[j]] === '106015') out.push(DENY_CLASSES[join.denyClass[j]].name);
  return { out, log, join };
}

async function analyze(files: [string, string[]][]) {
  return analyzeSources(files.map(([name, lines]) => createTextSource(name, `${lines.join('\n')}\n`)), { year: 2018 });
}

describe('columns', () => {
  it('keeps one row per connection and per deny, strings interned once', async () => {
    const lines: string[] = [];
    for (let k = 0; k < 50; k++) lines.push(built(T0 + k, 100 + k, 2000 + k), teardown(T0 + k + 5, 100 + k, 2000 + k, 'TCP FINs from inside', 5), deny(T0 + k + 6, 2000 + k));
    const { log } = await classes(lines);
    expect(log.conns.count).toBe(50);
    expect(log.denies.count).toBe(50);
    // Device, interfaces, reason and the server's addresses once each; client ports do not make strings.
    expect(log.names.list.filter((s) => s === 'fw1' || s === 'TCP FINs' || s === '10.0.0.5')).toHaveLength(3);
    expect(log.names.list.length).toBeLessThan(15);
    expect(log.connIdText(7)).toBe('107');
  });
});

describe('106015 classes', () => {
  it('late-close within 120 s of a FIN/Reset teardown; no-connection after that or without a connection', async () => {
    const { out } = await classes([
      built(T0, 1, 1000), teardown(T0 + 10, 1, 1000, 'TCP FINs from inside'),
      deny(T0 + 10, 1000), deny(T0 + 10 + LATE_DENY_WINDOW_S, 1000), deny(T0 + 11 + LATE_DENY_WINDOW_S, 1000),
      built(T0, 2, 1001), teardown(T0 + 10, 2, 1001, 'TCP Reset-O from outside'), deny(T0 + 12, 1001),
      deny(T0 + 12, 4444),
    ]);
    expect(out).toEqual(['late-close', 'late-close', 'no-connection', 'late-close', 'no-connection']);
  });

  it('idle-timeout: denies 1-10 minutes after Idle Timeout / Conn-timeout teardowns, counted apart from late closes', async () => {
    const lines: string[] = [];
    const reasons = ['Idle Timeout', 'Conn-timeout', 'FIN Timeout', 'SYN Timeout'];
    for (let k = 0; k < 8; k++) {
      const t = T0 + k * 1000;
      lines.push(built(t, 10 + k, 3000 + k), teardown(t + 3600, 10 + k, 3000 + k, reasons[k % 4], 3600), deny(t + 3600 + 60 + k * 70, 3000 + k, 'PSH ACK'));
    }
    // A timeout long ago (beyond the idle window) does not explain a deny.
    lines.push(built(T0, 50, 5000), teardown(T0 + 5, 50, 5000, 'Idle Timeout', 5), deny(T0 + 5 + IDLE_DENY_WINDOW_S + 1, 5000));
    const { out } = await classes(lines);
    expect(out).toEqual([...Array(8).fill('idle-timeout'), 'no-connection']);

    const s = await analyze([['idle.log', lines]]);
    const fw = s.summary!.firewall!;
    expect(fw).toMatchObject({ denies106015: 9, deniesLateClose: 0, deniesIdleTimeout: 8, deniesUnknown: 1, connectionLogging: true });
    expect(fw.deniesByClass).toEqual({ 'late-close': 0, 'idle-timeout': 8, 'no-connection': 1 });
    const c = s.reports.toArray().find((r) => r.firewall?.connId === '11')!;
    expect(c.firewall!.explanation).toMatch(/Conn-timeout.*still using a connection the firewall had forgotten.*keep-alives/);
    expect(c.firewall!.explanation).toMatch(/came 2 min after/);
    // The triage columns carry the same classes, joined to the teardown rows.
    const tri = s.triage!;
    expect(Array.from(tri.denies.cls)).toEqual([...Array(8).fill(DENY_CLASS['idle-timeout']), DENY_CLASS['no-connection']]);
    expect(tri.names.at(tri.teardowns.reasonId[tri.denies.teardown[1]])).toBe('Conn-timeout');
    expect(tri.denies.teardown[8]).toBe(-1);
    expect(tri.noConnectionLogging).toBe(false);
  });

  it('a log with no connection messages says so once, every deny is no-connection', async () => {
    const s = await analyze([['denies.log', [deny(T0, 1000), deny(T0 + 1, 1001)]]]);
    expect(s.summary!.firewall).toMatchObject({ denies106015: 2, deniesUnknown: 2, connectionLogging: false });
    expect(s.triage!.noConnectionLogging).toBe(true);
    // The triage names its denies by the log's own message ids.
    expect(s.triage!.messageIds).toEqual(['106015']);
  });

  it('connection logging is read from connection events of any protocol, not from a list of message ids', async () => {
    // ICMP connection messages (302020/302021, level 6 like 302013) mean connection logging is on: the TCP denies
    // are of no connection in this log, not of a log without connection messages.
    const icmp = `${at(T0 - 5)}%ASA-6-302020: Built inbound ICMP connection for faddr 198.51.100.9/7 gaddr 203.0.113.5/0 laddr 10.0.0.5/0 type 8 code 0`;
    const s = await analyze([['icmp.log', [icmp, deny(T0, 1000)]]]);
    expect(s.summary!.firewall).toMatchObject({ denies106015: 1, deniesUnknown: 1, connectionLogging: true, connectionsByProtocol: { icmp: 1 } });
    expect(s.triage!.noConnectionLogging).toBe(false);
    // A connection line repeated by a relay (folded) still counts; a log of lines not connection messages does not.
    const dup = built(T0 - 5, 7, 999);
    expect((await analyze([['dup.log', [dup, dup, deny(T0, 1000)]]])).summary!.firewall!.connectionLogging).toBe(true);
    const other = `${at(T0 - 5)}%ASA-6-305011: Built dynamic TCP translation from inside:10.0.0.5/443 to outside:203.0.113.5/443`;
    expect((await analyze([['xlate.log', [other, deny(T0, 1000)]]])).summary!.firewall!.connectionLogging).toBe(false);
  });
});

describe('duplicates and order', () => {
  const day = [
    built(T0, 1, 1000), teardown(T0 + 10, 1, 1000, 'TCP FINs from inside'), deny(T0 + 11, 1000),
    built(T0 + 20, 2, 1001), teardown(T0 + 30, 2, 1001, 'TCP Reset-I from inside'), deny(T0 + 31, 1001), deny(T0 + 31, 1001),
  ];

  it('the same lines in two overlapping inputs count once, and say how many were folded', async () => {
    const one = await analyze([['a.log', day]]);
    const two = await analyze([['a.log', day], ['b.log', day.slice(2)]]);
    const strip = (x: object) => JSON.stringify({ ...x, duplicateLines: 0, messagesById: {} });
    expect(strip(two.summary!.firewall!)).toBe(strip(one.summary!.firewall!));
    expect(two.summary!.firewall!.duplicateLines).toBe(5);
    // Identical lines within one input are real repeats (the same RST denied twice in one second): both count.
    expect(one.summary!.firewall!.denies106015).toBe(3);
    expect(one.summary!.firewall!.deniesLateClose).toBe(3);
  });

  it('rotated files in any order and a Teardown stamped before its Built give the same connections', async () => {
    const older = [built(T0, 1, 1000), built(T0 + 5, 2, 1001)];
    const newer = [teardown(T0 + 10, 1, 1000, 'TCP FINs from inside', 10), teardown(T0 + 20, 2, 1001, 'TCP FINs from inside', 15), deny(T0 + 21, 1001)];
    const conns = async (files: [string, string[]][]) =>
      (await analyze(files)).reports.toArray().map((r) => [r.firewall!.connId, r.firewall!.built, r.firewall!.teardown?.time, r.firewall!.denies.length]);
    const inOrder = await conns([['asa.log.1', older], ['asa.log', newer]]);
    expect(inOrder).toHaveLength(2);
    expect(await conns([['asa.log', newer], ['asa.log.1', older]])).toEqual(inOrder);
    const sameSecond = await conns([['asa.log', [teardown(T0 + 10, 1, 1000, 'TCP FINs from inside', 0), built(T0 + 10, 1, 1000)]]]);
    expect(sameSecond).toEqual([['1', '2018-06-20T12:00:10.000000Z', '2018-06-20T12:00:10.000000Z', 0]]);
  });
});

describe('bounded and indexed', () => {
  it(`lists at most ${DENIES_PER_CONNECTION} denies per connection and counts the rest`, async () => {
    const lines = [built(T0, 1, 1000), teardown(T0 + 10, 1, 1000, 'TCP FINs from inside')];
    for (let k = 0; k < 5000; k++) lines.push(deny(T0 + 11 + (k % 60), 1000));
    const s = await analyze([['flood.log', lines]]);
    const f = s.reports.at(0)!.firewall!;
    expect(f.denies).toHaveLength(DENIES_PER_CONNECTION);
    expect(f.deniesNotListed).toBe(5000 - DENIES_PER_CONNECTION);
    expect(f.explanation).toContain(`${5000 - DENIES_PER_CONNECTION} more denies of this connection are counted but not listed`);
    expect(s.summary!.firewall!.deniesLateClose).toBe(5000);
  });

  it('a 4-tuple that recurs thousands of times joins each deny to its own connection', async () => {
    const lines: string[] = [];
    const n = 3000;
    for (let k = 0; k < n; k++) {
      const t = T0 + k * 20;
      lines.push(built(t, 1000 + k, 7777), teardown(t + 5, 1000 + k, 7777, 'TCP FINs from inside', 5), deny(t + 6, 7777));
    }
    const { value: { log, join }, ms } = await cpuMs(() => classes(lines));
    expect(Array.from(join.denyConn)).toEqual(Array.from({ length: log.denies.count }, (_, j) => j));
    expect(ms).toBeLessThan(5000);
  });
});
