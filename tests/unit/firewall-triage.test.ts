// The firewall triage numbers through the engine session (the worker's code, in Node): the seed's own log, and a
// generated multi-day log with a rule change (bench/triage-log-gen.ts) whose truth the generator reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../../src/engine/session';
import type { InputSpec, TriageView } from '../../src/engine/api';
import { DEFAULT_QUERY, MARK_DENIED, endpointText } from '../../src/model/flow-table';
import { DENY_CLASS } from '../../src/model/firewall-triage';
import { NO_TRIAGE_FILTER } from '../../src/analysis/firewall/triage';
import { bucketGrid, findSpike } from '../../src/analysis/firewall/triage-time';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { IDLE_DENY_WINDOW_S } from '../../src/analysis/firewall/join';
import { createTextSource } from '../../src/lib/byte-source';
import { triageLogText } from '../../bench/triage-log-gen';
import { loggingAdvice } from '../../src/ui/triage/triage-filter';

const SEED_LOG = join(import.meta.dirname, '../fixtures/seed/asa-syslog.log');
const LATE = DENY_CLASS['late-close'];
const IDLE = DENY_CLASS['idle-timeout'];
const NOCON = DENY_CLASS['no-connection'];
const text = (name: string, t: string): InputSpec => ({ kind: 'text', name, text: t });

async function load(inputs: InputSpec[]) {
  const s = createEngineSession();
  const r = await s.load(inputs, { year: 2018 });
  // The table's columns as the page gets them (every row: these logs are small).
  const flows = await s.flowRows(Uint32Array.from({ length: r.flows.count }, (_, i) => i));
  return { s, r: { ...r, flows }, view: (await s.triage(NO_TRIAGE_FILTER))! };
}

describe('triage on the seed log alone', async () => {
  const { s, r, view } = await load([text('asa-syslog.log', readFileSync(SEED_LOG, 'utf8'))]);

  it('counts the one late RST as late-close, as the analyze summary does', () => {
    expect(view.total).toBe(1);
    expect(view.byClass).toEqual([1, 0, 0]);
    expect(view.total).toBe(r.summary!.firewall!.denies106015);
    expect(view.byClass[LATE]).toBe(r.summary!.firewall!.deniesLateClose);
    expect(view.noConnectionLogging).toBe(false);
  });

  it('names the teardown reasons with their side, and the example opens the late-RST connection', async () => {
    expect(view.reasons).toEqual([{ reason: 'TCP FINs', count: 2, from: [{ iface: 'INSIDE', count: 1 }, { iface: 'OUTSIDE', count: 1 }] }]);
    const row = view.examples[LATE];
    expect(endpointText(r.flows, row, 'client')).toBe('198.51.100.77:55132');
    const ladder = (await s.ladder({ row }))!;
    expect(ladder.connection.firewall!.denies.map((d) => d.flags)).toEqual(['RST']);
    // "Add beside a clean close from the same log": the other connection, torn down on FINs with no deny.
    const clean = (await s.cleanCloseFor(row))!;
    expect(endpointText(r.flows, clean, 'client')).toBe('192.0.2.44:61422');
    expect(r.flows.marks[clean] & MARK_DENIED).toBe(0);
  });

  it('filters the table by time range and deny class', async () => {
    const row = view.examples[LATE];
    const at = r.flows.startUs[row];
    expect([...(await s.query({ ...DEFAULT_QUERY, denyClasses: 1 << LATE }))]).toEqual([row]);
    expect([...(await s.query({ ...DEFAULT_QUERY, denyClasses: 1 << IDLE }))]).toEqual([]);
    expect([...(await s.query({ ...DEFAULT_QUERY, fromUs: at - 1e6, toUs: at + 1e6 }))]).toEqual([row]);
    expect((await s.query({ ...DEFAULT_QUERY, fromUs: null, toUs: null })).length).toBe(2);
  });
});

describe('triage on a generated four-day log with a rule change', async () => {
  const { text: log, truth } = triageLogText({ perHour: 40, idlePerHour: 3, scansPerHour: 2 });
  const { s, r, view } = await load([text('edge.log', log)]);

  it('classifies every deny as the generator wrote it, and the totals equal the summary', async () => {
    expect(view.byClass[LATE]).toBe(truth.lateDenies);
    expect(view.byClass[IDLE]).toBe(truth.idleDenies);
    expect(view.byClass[NOCON]).toBe(truth.scanDenies);
    const fw = r.summary!.firewall!;
    expect(view.total).toBe(fw.denies106015);
    // The summary counts the same classes (the engine makes both from one join).
    expect(fw).toMatchObject({ deniesLateClose: view.byClass[LATE], deniesIdleTimeout: view.byClass[IDLE], deniesUnknown: view.byClass[NOCON] });
    const session = await analyzeSources([createTextSource('edge.log', log)], { year: 2018 });
    const input = session.triage!;
    for (let i = 0; i < input.denies.count; i++) {
      const k = input.denies.teardown[i];
      expect(k >= 0).toBe(input.denies.cls[i] !== NOCON);
    }
  });

  it('finds where the spike began: the hour of the rule change', () => {
    expect(view.spike).not.toBeNull();
    expect(view.timeline!.bucketUs).toBe(1800e6);
    expect(Math.abs(view.spike!.startUs - truth.changeUs)).toBeLessThanOrEqual(view.timeline!.bucketUs);
    expect(view.spike!.after).toBeGreaterThan(2 * view.spike!.before);
  });

  it('says which timeout and how long after it the idle-timeout denies came', () => {
    expect(view.idle.map((x) => x.reason).sort()).toEqual(['Conn-timeout', 'Idle Timeout']);
    for (const x of view.idle) {
      expect(x.minAfterS).toBeGreaterThanOrEqual(59);
      expect(x.maxAfterS).toBeLessThanOrEqual(601);
      expect(x.medianAfterS).toBeGreaterThan(x.minAfterS);
    }
    expect(view.idleWindowS).toBe(IDLE_DENY_WINDOW_S);
    expect(view.lateWindowS).toBe(120);
    expect(view.clients[0].idle + view.clients[0].late).toBeGreaterThan(0);
    expect(view.servers.some((h) => h.host === '10.20.40.5/5432' && h.idle === truth.idleDenies)).toBe(true);
  });

  it('limits every count to a time range, a class and a host', async () => {
    const from = truth.changeUs;
    const late: TriageView = (await s.triage({ fromUs: from, toUs: null, classes: 1 << LATE, host: '' }))!;
    expect(late.shown[IDLE]).toBe(0);
    expect(late.shown[LATE]).toBeLessThan(truth.lateDenies);
    expect(late.shown[LATE]).toBeGreaterThan(truth.lateDenies * 0.9);
    // The timeline keeps the whole span (to brush again) but only the chosen class.
    let idleOnTimeline = 0;
    for (let b = 0; b < late.timeline!.count; b++) idleOnTimeline += late.timeline!.denies[b * 3 + IDLE];
    expect(idleOnTimeline).toBe(0);
    const host = late.servers[0].host;
    const one = (await s.triage({ fromUs: from, toUs: null, classes: 0, host }))!;
    expect(one.shown[LATE]).toBe(late.servers[0].late);
    expect(one.servers.map((h) => h.host)).toEqual([host]);
    // The table under the same range and class: connections with a late deny, none older than the range.
    const rows = await s.query({ ...DEFAULT_QUERY, fromUs: from, denyClasses: 1 << LATE });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(r.flows.startUs[row] + r.flows.durationUs[row]).toBeGreaterThanOrEqual(from);
  });
});

describe('triage: from a timeline bucket to a ladder', async () => {
  const { text: log } = triageLogText({ perHour: 40, idlePerHour: 3, scansPerHour: 2 });
  const { s, r, view } = await load([text('edge.log', log)]);
  const t = view.timeline!;

  it('gives every bucket with a joined deny a row whose connection has a deny in that bucket', async () => {
    let withRow = 0;
    for (let b = 0; b < t.count; b++) {
      let joined = 0;
      for (let c = 0; c < 3; c++) if (c !== NOCON) joined += t.denies[b * 3 + c];
      const row = t.rows[b];
      if (joined === 0) continue;
      expect(row).toBeGreaterThanOrEqual(0);
      withRow++;
      // The row's connection has a deny stamped inside the bucket, and is marked denied in the table.
      const ladder = (await s.ladder({ row }))!;
      const from = t.startUs + b * t.bucketUs;
      const inBucket = ladder.connection.firewall!.denies.some((d) => {
        const us = Date.parse(d.time) * 1000;
        return us >= from && us < from + t.bucketUs;
      });
      expect(inBucket).toBe(true);
      expect(r.flows.marks[row] & MARK_DENIED).not.toBe(0);
      if (withRow > 12) break;
    }
    expect(withRow).toBeGreaterThan(0);
  });

  it('prefers an RST deny of a late or idle-timeout connection', async () => {
    const late = (await s.triage({ fromUs: null, toUs: null, classes: 1 << LATE, host: '' }))!;
    let checked = 0;
    for (let b = 0; b < late.timeline!.count && checked < 6; b++) {
      const row = late.timeline!.rows[b];
      if (row < 0) continue;
      const ladder = (await s.ladder({ row }))!;
      expect(ladder.connection.firewall!.denies.some((d) => /RST/.test(d.flags))).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('triage edge cases', () => {
  it('says when the log has no connection messages at all', async () => {
    const { view } = await load([text('denies.log', '<166>Jun 20 2018 12:00:50 fw : %ASA-6-106015: Deny TCP (no connection) from 10.0.0.1/443 to 10.0.0.2/5555 flags RST  on interface inside\n')]);
    expect(view).toMatchObject({ total: 1, byClass: [0, 0, 1], noConnectionLogging: true, logFormats: ['asa-syslog'] });
    expect(loggingAdvice(view)).toBe(' (ASA/FTD: logging level 6 or above (302013/302014))');
  });

  it("advises each loaded firewall log format's own way to log connections", async () => {
    const fgt = 'date=2018-06-20 time=12:00:51 devname="fw1" devid="FG1" tz="+0000" logid="0000000007" type="traffic" subtype="forward" srcip=10.0.0.1 srcport=443 srcintf="dmz" dstip=10.0.0.2 dstport=5555 proto=6 action="deny" policyid=0 msg="no session matched"\n';
    const { view } = await load([text('fgt.log', fgt)]);
    expect(view).toMatchObject({ total: 1, noConnectionLogging: true, logFormats: ['fortigate-traffic'] });
    expect(loggingAdvice(view)).toBe(' (FortiGate: traffic logs of every session (firewall policy set logtraffic all))');
    const asa = '<166>Jun 20 2018 12:00:50 fw : %ASA-6-106015: Deny TCP (no connection) from 10.0.0.1/443 to 10.0.0.2/5555 flags RST  on interface inside\n';
    const both = (await load([text('fgt.log', fgt), text('asa.log', asa), text('fgt2.log', fgt)])).view;
    expect(both.logFormats).toEqual(['fortigate-traffic', 'asa-syslog']);
    expect(loggingAdvice(both)).toBe(' (FortiGate: traffic logs of every session (firewall policy set logtraffic all); ASA/FTD: logging level 6 or above (302013/302014))');
    expect(loggingAdvice({ logFormats: [] })).toBe('');
  });

  it('has no triage without a firewall log', async () => {
    const s = createEngineSession();
    await s.load([text('x.txt', '12:00:00.000000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 1, win 512, length 0\n')], { date: '2018-06-20' });
    expect(await s.triage(NO_TRIAGE_FILTER)).toBeNull();
  });

  it('chooses round buckets from seconds to days, and finds a step up', () => {
    expect(bucketGrid(0, 60e6).bucketUs).toBe(1e6);
    expect(bucketGrid(0, 4 * 86400e6).bucketUs).toBe(1800e6);
    expect(bucketGrid(0, 30 * 86400e6).bucketUs).toBe(21600e6);
    expect(bucketGrid(0, 3650 * 86400e6).count).toBeLessThanOrEqual(201);
    expect(findSpike([2, 3, 2, 2, 40, 50, 45])).toMatchObject({ bucket: 4 });
    expect(findSpike([0, 0, 0])).toBeNull();
  });
});

describe("teardown reasons in each vendor's words, one row per normalised reason", async () => {
  const FORTI_LOG = readFileSync(join(import.meta.dirname, '../fixtures/fortigate/two-points.log'), 'utf8');
  const names = (v: TriageView) => v.reasons.map((x) => [x.reason, x.count]);

  it("a FortiGate log's reasons are its own `action` words, not Cisco's", async () => {
    const { view } = await load([text('fortigate.log', FORTI_LOG)]);
    expect(names(view)).toEqual([['close', 1], ['server-rst', 1]]);
  });

  it("ASA texts written otherwise are one row in Cisco's spelling", async () => {
    const td = (id: number, reason: string) =>
      `Jun 20 2018 12:00:5${id}: %ASA-6-302014: Teardown TCP connection ${id} for outside:198.51.100.${id}/5000 to inside:10.0.0.5/443 duration 0:00:01 bytes 10 ${reason} from inside`;
    const { view } = await load([text('asa.log', [td(1, 'TCP Reset - I'), td(2, 'TCP Reset-I'), td(3, 'tcp reset-i'), td(4, 'Pinhole Timeout')].join('\n') + '\n')]);
    expect(names(view)).toEqual([['TCP Reset-I', 3], ['Pinhole Timeout', 1]]);
  });

  it('a load of both vendors groups by the normalised reason, its row naming both spellings', async () => {
    const { view } = await load([text('asa-syslog.log', readFileSync(SEED_LOG, 'utf8')), text('fortigate.log', FORTI_LOG)]);
    expect(names(view)).toEqual([['TCP FINs / close', 3], ['server-rst', 1]]);
  });
});
