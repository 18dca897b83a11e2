// The FortiGate decoder's fast path (src/decode/text/fortigate-fast.ts, over a line's bytes) against its text reader
// (fortigate.ts), which stays the definition: for generated FortiOS traffic logs (fields in any order, quoted or
// bare, missing, repeated or odd; denies, "no session matched", start and end logs of the same session, statistics,
// event logs, headers), the records the store gets with the fast path on are the records of the text reader's events
// (analysis/firewall/record-of.ts), line for line, interned in the same order, with the same counts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFortigateLineDecoder } from '../../src/decode/text/fortigate';
import { recordOf } from '../../src/analysis/firewall/record-of';
import type { FirewallEvent } from '../../src/model/firewall';
import { FirewallRecord } from '../../src/model/firewall-record';
import { Names } from '../../src/model/names';
import { storeView } from './firewall-record-view';
import type { InputReport } from '../../src/model/report';
import { generateFortigateLog } from '../../bench/fortigate-gen';

/** Decodes lines with (fast) or without the records sink: what the store would get, the names in order, the counts. */
function decode(lines: string[], fast: boolean) {
  const names = new Names();
  const report: Pick<InputReport, 'firewallMessages' | 'firewallEvents'> = {};
  const views: unknown[] = [];
  const texts: [string | undefined, number | undefined][] = [];
  const scratch = new FirewallRecord();
  let fastRecords = 0;
  const onEvent = (e: FirewallEvent, text: string, at: number) => {
    views.push(storeView(recordOf(e, names, scratch), names));
    texts.push([text, at]);
  };
  const records = {
    names,
    wantsText: true,
    addRecord: (r: FirewallRecord, text?: string, at?: number) => {
      fastRecords++;
      views.push(storeView(r, names));
      texts.push([text, at]);
    },
  };
  const dec = createFortigateLineDecoder(0, 'f.log', onEvent, { zone: null, records: fast ? records : null }, report);
  lines.forEach((l, i) => {
    // As the line reader offers a line: its bytes inside a longer buffer (the next line's bytes follow it).
    const b = new TextEncoder().encode(`${l}\nsrcip=9.9.9.9 x="`);
    if (!fast || !dec.lineBytes(b, 0, l.length, i + 1)) dec.line(l, i + 1);
  });
  dec.finish();
  return { views, texts, names: names.list, fastRecords, report, tagged: dec.tagged, events: dec.events };
}

function same(lines: string[]): number {
  const text = decode(lines, false);
  const fast = decode(lines, true);
  expect(fast.views).toEqual(text.views);
  expect(fast.names).toEqual(text.names);
  expect(fast.texts).toEqual(text.texts);
  expect([fast.report, fast.tagged, fast.events]).toEqual([text.report, text.tagged, text.events]);
  return fast.fastRecords;
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const addr = fc.oneof({ weight: 8, arbitrary: ipv4 }, { weight: 1, arbitrary: pick('2001:db8::1', '010.1.2.3', '10.0.0.256', 'host-1', '1.2.3', '') });
const num = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 65535 }).map(String) }, { weight: 1, arbitrary: pick('0443', 'x', '', '0x1bb', '0X01', '0x123456789abcdef0', '99999999999999999999', '-1') });
const quoted = (v: string) => fc.constantFrom(`"${v}"`, v);
/** One field as FortiOS or FortiAnalyzer writes it, or an odd form of it. */
const field = (key: string, value: fc.Arbitrary<string>, q = true) =>
  fc.oneof({ weight: 6, arbitrary: value.chain((v) => (q ? quoted(v) : fc.constant(v)).map((t) => `${key}=${t}`)) }, { weight: 1, arbitrary: fc.constant('') });
const logid = pick('0000000013', '0000000013', '0000000013', '0000000007', '0000000015', '0000000020', '0100032001', '13', '0x0d', 'abc', '');
const eventtime = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 1700000000000000000n, max: 1800000000000000000n }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: 1600000000, max: 1800000000 }).chain((s) => pick(String(s), `${s}123`, `${s}123456`, `${s}12`, `0x${s}`)) },
);
const action = pick('close', 'close', 'client-rst', 'server-rst', 'timeout', 'accept', 'deny', 'deny', 'start', 'dns', 'ip-conn', '', 'reset', 'Close');
const sessionid = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }).map(String) }, { weight: 1, arbitrary: pick('007', '0', '1234567890123456', 'x1') });
const fields = fc.tuple(
  field('logid', logid),
  field('type', pick('traffic', 'traffic', 'traffic', 'event', 'utm')),
  field('subtype', pick('forward', 'local')),
  field('eventtime', eventtime, false),
  fc.oneof(field('date', pick('2026-12-06', '2026-13-01'), false), fc.constant('')),
  fc.oneof(field('time', pick('07:45:03', '7:45'), false), fc.constant('')),
  fc.oneof(field('tz', pick('+0100', '-0700', 'x')), fc.constant('')),
  field('devname', pick('FGT-EDGE', 'FGT CORE', 'fw\\"1', '')),
  field('devid', pick('FGVM02TM26000001', 'FG100')),
  field('sessionid', sessionid, false),
  field('proto', pick('6', '6', '6', '17', '1', '58', '47', '300', 'tcp', ''), false),
  field('action', action),
  field('srcip', addr, false),
  field('srcport', num, false),
  field('srcintf', pick('port2', 'port 1', 'lan', '')),
  field('dstip', addr, false),
  field('dstport', num, false),
  field('dstintf', pick('port1', 'wan1')),
  fc.tuple(field('trandisp', pick('snat', 'dnat', 'noop')), field('transip', addr, false), field('transport', num, false), field('tranip', addr, false), field('tranport', num, false)).map((x) => x.join(' ')),
  fc.tuple(field('icmpid', pick('0x0001', '0x1f2e', '7')), field('icmptype', pick('0x08', '0x00', '3')), field('icmpcode', pick('0x00', '0x01', 'x'))).map((x) => x.join(' ')),
  fc.tuple(field('policyid', pick('0', '1', '12', 'x'), false), fc.oneof(field('policyname', pick('LAN-to-WAN', 'block smb')), fc.constant(''))).map((x) => x.join(' ')),
  fc.tuple(field('duration', pick('0', '1', '4', '3600', 'x', '-1'), false), field('sentbyte', num, false), field('rcvdbyte', num, false)).map((x) => x.join(' ')),
  fc.oneof(field('msg', pick('no session matched', 'no session matched ', 'iprope_in_check() check failed, drop', 'a \\"quoted\\" = b')), fc.constant('')),
);
const header = pick('', '<189>', 'Dec  6 07:45:03 fgt-edge ', '<189>1 2026-12-06T07:45:03Z fgt - - - ', 'x=', '"', 'Dec 6 07:45:03 relay ');
const sep = pick(' ', ' ', ' ', '  ', '\t');
const line = fc.tuple(header, fields, fc.boolean(), sep, fc.boolean())
  .map(([h, fs, shuffle, s, repeat]) => {
    const parts = fs.filter((f) => f !== '');
    if (shuffle) parts.reverse();
    if (repeat && parts.length > 2) parts.push(parts[1].replace(/=.*/, '=repeated'));
    return h + parts.join(s);
  });
const noise = pick('', 'no pairs here', 'Dec  6 07:45:03 relay01 syslog-ng[812]: Syslog connection established', 'logid', 'logid=', 'logid="0000000013');

describe('FortiGate fast path', () => {
  it('gives the store the same records as the text reader, on generated lines of every shape', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 9, arbitrary: line }, { weight: 1, arbitrary: noise }), { minLength: 1, maxLength: 12 }), (lines) => {
        taken += same(lines);
      }),
      { numRuns: 500 },
    );
    expect(taken).toBeGreaterThan(100); // the fast path did read lines (it is not just handing them back)
  });

  it('reads the bench generator\'s log (every action, NAT, denies, start and statistics logs) as the text reader does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fgt-'));
    try {
      const file = join(dir, 'fgt.log');
      generateFortigateLog(file, { lines: 3000, seed: 7 });
      const lines = readFileSync(file, 'latin1').split('\n').filter((l) => l !== '');
      expect(lines.length).toBe(3000);
      // Nearly every traffic line is the fast path's (start logs go to the text reader).
      expect(same(lines)).toBeGreaterThan(1500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves session-start logs and lines timed by date and time alone to the text reader', () => {
    const end = 'logid="0000000013" type="traffic" eventtime=1796543103466212000 devname="F" srcip=10.0.0.1 srcport=5 dstip=10.0.0.2 dstport=443 sessionid=9 proto=6 action="close" duration=1';
    const start = end.replace('0000000013', '0000000015').replace('"close"', '"start"');
    const dated = end.replace('eventtime=1796543103466212000', 'date=2026-12-06 time=07:45:03');
    expect(same([end])).toBe(2); // its Built (from the duration) and Teardown
    expect(same([start, end])).toBe(1); // the start log is the Built (text reader); the end log gives the Teardown
    expect(same([dated])).toBe(0);
  });
});
