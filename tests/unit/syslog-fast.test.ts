// The syslog decoder's fast path (src/decode/text/syslog-fast.ts, over a line's bytes) against the general readers, which stay the
// definition: for generated logs of every fast-path message (odd spacing, IPv6, names with digits and dots, missing
// optional fields, users, the header wrappers the decoder accepts), the records the store gets with the fast path
// on are the records of the general decoder's events (analysis/firewall/record-of.ts), line for line.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSyslogLineDecoder } from '../../src/decode/text/syslog';
import { recordOf } from '../../src/analysis/firewall/record-of';
import type { FirewallEvent } from '../../src/model/firewall';
import { FirewallRecord } from '../../src/model/firewall-record';
import { Names } from '../../src/model/names';
import { storeView } from './firewall-record-view';
import { createProblemLog } from '../../src/model/problems';

/** Decodes lines with (fast) or without the records sink; returns what the store would get, and the counts. */
function decode(lines: string[], fast: boolean, year?: number) {
  const names = new Names();
  const problems = createProblemLog('f.log');
  const report: { skipped: Record<string, number>; firewallMessages?: Record<string, number>; firewallEvents?: number } = { skipped: {} };
  const views: unknown[] = [];
  const scratch = new FirewallRecord();
  let fastRecords = 0;
  const onEvent = (e: FirewallEvent) => views.push(storeView(recordOf(e, names, scratch), names));
  const records = { names, addRecord: (r: FirewallRecord) => void (fastRecords++, views.push(storeView(r, names))) };
  const dec = createSyslogLineDecoder(0, 'f.log', onEvent, { problems, year, records: fast ? records : null }, report);
  lines.forEach((l, i) => {
    // As the line reader offers a line: its bytes inside a longer buffer (the next line's bytes follow it).
    const b = new TextEncoder().encode(`${l}\n9.9.9.9/1 (0.0.0.0/1) 12`);
    if (!fast || !dec.lineBytes(b, 0, l.length, i + 1)) dec.line(l, i + 1);
  });
  dec.finish();
  return { views, fastRecords, report, warnings: problems.warnings.map((w) => w.message) };
}

function same(lines: string[], year?: number): number {
  const general = decode(lines, false, year);
  const fast = decode(lines, true, year);
  expect(fast.views).toEqual(general.views);
  expect(fast.report).toEqual(general.report);
  expect(fast.warnings).toEqual(general.warnings);
  return fast.fastRecords;
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const addr = fc.oneof(
  { weight: 8, arbitrary: ipv4 },
  { weight: 1, arbitrary: pick('2001:db8::1', 'fe80::a:b', '010.1.2.3', '10.0.0.256', 'srv-1.example', '1.2.3') },
);
const port = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 65535 }).map(String) }, { weight: 1, arbitrary: pick('0443', 'https', '99999999999999999') });
const iface = pick('outside', 'inside', 'dmz.1', 'VLAN10', 'v1:outside', 'if-2', 'inside ', 'a b', 'x(1)');
const sp = pick(' ', ' ', ' ', '  ');
const ep = fc.tuple(iface, addr, port).map(([i, a, p]) => `${i}:${a}/${p}`);
const mapped = fc.oneof(pick('', '', ' (LOCAL\\user)', '(idfw)'), fc.tuple(addr, port).map(([a, p]) => ` (${a}/${p})`));
const connId = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 31 }).map(String) }, { weight: 1, arbitrary: pick('0', '007', '1234567890123456', '12a') });
const dur = pick('0:00:00', '0:02:05', '12:34:56', '100:00:01', '1:2', 'x');
const reason = pick('', ' TCP FINs', ' TCP Reset-I', ' SYN Timeout', ' Conn-timeout', ' Flow closed by inspection', '  TCP FINs  ', ' TCP Reset-O from outside', ' from inside', ' TCP FINs from', ' TCP FINs from ', ' TCP FINs (user)', '\tTCP FINs', ' TCP FINs from in side ', ' Flow reset by IPS', ' tcp reset - o');
const proto = pick('TCP', 'UDP', 'tcp', 'ICMP');

const built = fc.tuple(pick('inbound ', 'outbound ', '', 'Probe '), proto, connId, pick('for', 'from'), ep, mapped, ep, mapped, sp)
  .map(([dir, p, id, f, a, am, b, bm, s]) => `302013: Built ${dir}${p} connection ${id} ${f} ${a}${am}${s}to ${b}${bm}`);
const teardown = fc.tuple(pick('302014', '302016'), proto, connId, ep, ep, dur, fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }).map(String), pick('', 'x')), reason, fc.boolean())
  .map(([id, p, c, a, b, d, by, r, withDur]) => `${id}: Teardown ${p} connection ${c} for ${a} to ${b}${withDur ? ` duration ${d} bytes ${by}` : ''}${r}`);
const flags = pick('RST', 'FIN ACK', 'SYN ACK', 'PSH ACK', 'RST ACK', 'rst', '', 'XYZ');
const bare = fc.tuple(addr, port).map(([a, p]) => `${a}/${p}`);
const deny106015 = fc.tuple(bare, bare, flags, sp, pick(' on interface inside', '  on interface outside', ' on interface dmz 1.', '', ' on interface ', ' on interface inside.', 'on interface inside', 'xon interface a on interface b', ' on interface a on interface b'))
  .map(([a, b, f, s, on]) => `106015: Deny TCP (no connection) from ${a}${s}to ${b} flags ${f}${on}`);
const deny106023 = fc.tuple(pick('tcp', 'udp', 'TCP', 'icmp'), ep, ep, pick('"outside_access_in"', '"acl 1"', 'acl_unquoted', '"unclosed'), pick(' [0x0, 0x0]', '', ' (type 8, code 0)'))
  .map(([p, a, b, acl, tail]) => `106023: Deny ${p} src ${a} dst ${b} by access-group ${acl}${tail}`);
const acl106100 = fc.tuple(pick('permitted', 'denied', 'est-allowed'), pick('tcp', 'icmp'), ipv4, ipv4, pick('', ' hit-cnt 1 first hit [0x71a87d94, 0x0]'), pick('/', ''))
  .map(([act, p, a, b, hit, slash]) => `106100: access-list inside_in ${act} ${p} inside${slash}${a}(1234) -> outside/${b}(443)${hit}`);
const xlate = fc.tuple(pick('305011: Built', '305012: Teardown', '305011: Teardown'), pick('dynamic', 'static'), ep, ep, pick('', ' duration 0:00:30', ' duration x'))
  .map(([head, kind, a, b, d]) => `${head} ${kind} TCP translation from ${a} to ${b}${d}`);
const noise = pick('733100: [ Scanning] drop rate-1 exceeded.', '113005: AAA user authentication Rejected : reason = AAA failure', '302013 Built inbound TCP connection 1 for a:1.1.1.1/1 to b:2.2.2.2/2', '302013: message repeated 2 times: [ Built inbound TCP connection 1 for a:1.1.1.1/1 to b:2.2.2.2/2]');
const body = fc.oneof(built, teardown, deny106015, deny106023, acl106100, xlate, noise);

const header = fc.tuple(fc.integer({ min: 0, max: 86399 }), pick(0, 1, 2, 3, 4, 5, 6), pick(3, 5, 6))
  .map(([sec, form, level]) => {
    const hms = `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}`;
    switch (form) {
      case 0: return `<166>Jun 20 2018 ${hms} fw-a : %ASA-${level}-`;
      case 1: return `Jun 20 ${hms} fw-b %FTD-${level}-`;
      case 2: return `<166>1 2018-06-20T${hms}.123Z fw-5424 %ASA-${level}-`;
      case 3: return `<166>: 2018 Jun 20 ${hms} UTC: %FTD-${level}-`;
      case 4: return `Jun 20 2018 ${hms}: %ASA-${level}-`;
      case 5: return `Dec 31 ${hms} fw-1.site2 %ASA-${level}-`;
      default: return `fw-c: %ASA-${level}-`;
    }
  });
const line = fc.tuple(header, body).map(([h, b]) => h + b);

describe('syslog fast path', () => {
  it('gives the store the same records as the general readers, on generated logs of every fast-path message', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.option(pick(2018, 2023), { nil: undefined }), (lines, year) => {
        taken += same(lines, year);
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(200); // the fast path did read lines (it is not just falling back)
  });

  it('reads the plain shapes of each message itself, and leaves what it does not know to the general readers', () => {
    const h = '<166>Jun 20 2018 00:00:01 fw-a : %ASA-6-';
    const plain = [
      `${h}302013: Built inbound TCP connection 40000001 for outside:198.51.1.2/50000 (198.51.1.2/50000) to inside:10.20.1.5/443 (203.0.113.9/443)`,
      `${h}302014: Teardown TCP connection 40000001 for outside:198.51.1.2/50000 to inside:10.20.1.5/443 duration 0:01:02 bytes 1234 TCP Reset-I from inside`,
      `${h}106015: Deny TCP (no connection) from 10.20.1.5/443 to 198.51.1.2/50000 flags RST  on interface inside`,
      `${h}106023: Deny tcp src outside:192.0.2.1/4444 dst inside:10.20.1.9/445 by access-group "outside_access_in" [0x0, 0x0]`,
      `${h}106100: access-list inside_in permitted tcp inside/10.20.1.1(1234) -> outside/192.0.2.1(443) hit-cnt 1 first hit [0x1, 0x0]`,
      `${h}305011: Built dynamic TCP translation from inside:10.30.1.1/5555 to outside:203.0.113.5/6666`,
      `${h}305012: Teardown dynamic TCP translation from inside:10.30.1.1/5555 to outside:203.0.113.5/6666 duration 0:00:31`,
    ];
    expect(same(plain)).toBe(plain.length);
    const others = [
      `${h}302013: Built inbound TCP connection 1 for outside:2001:db8::1/5 (2001:db8::1/5) to inside:10.0.0.1/443 (10.0.0.1/443)`,
      `${h}302014: Teardown TCP connection 1 for outside:1.1.1.1/1 to inside:2.2.2.2/2 duration 0:00:01 bytes 5 TCP FINs (LOCAL\\u)`,
      `${h}106015: Deny TCP (no connection) from 10.0.0.01/1 to 1.1.1.1/2 flags RST on interface x`,
      `${h}106100: access-list a denied tcp in/1.1.1.1(1) -> out/2.2.2.2(2) hit-cnt 1`,
      `fw-a: %ASA-6-302013: Built inbound TCP connection 2 for a:1.1.1.1/1 to b:2.2.2.2/2`, // no stamp
    ];
    expect(same(others, 2018)).toBe(0);
  });
});
