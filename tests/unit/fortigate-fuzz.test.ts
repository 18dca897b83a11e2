// Fuzzing the FortiGate traffic log decoder like the other decoders: mutated lines (cut quotes, stray `=` and
// spaces, lost fields), random text and random bytes never make it throw or hang, every problem names the file and
// a line inside the input, and an undamaged line among damaged ones still gives the events it gives alone. Seeded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTextInput } from '../../src/decode/text/index';
import { copyFirewallEvent, type FirewallEvent } from '../../src/model/firewall';
import { createProblemLog } from '../../src/model/problems';
import type { InputReport } from '../../src/model/report';
import { sliced } from './text-helpers';
import { cpuMs } from './cpu-time';

const H = 'date=2025-03-05 time=14:22:01 devname="fw 1" devid="FG100F" eventtime=1741184521123456789 tz="+0100" logid="0000000013" type="traffic" subtype="forward"';
const samples = [
  `<189>${H} srcip=10.1.100.11 srcport=58012 srcintf="port12" dstip=203.0.113.35 dstport=443 dstintf="port11" sessionid=105048 proto=6 action="close" policyid=7 trandisp="snat" transip=198.51.100.2 transport=61001 duration=116 sentbyte=1188 rcvdbyte=1224`,
  `${H} srcip=198.51.100.9 srcport=40000 srcintf="wan1" dstip=10.0.0.5 dstport=22 dstintf="internal" sessionid=77 proto=6 action="deny" policyid=0 msg="a \\"quoted\\" word"`,
  `Mar  5 14:22:02 relay ${H.replace('0000000013', '0000000015')} srcip=2001:db8::1 srcport=5353 dstip=2001:db8::2 dstport=53 sessionid=9 proto=17 action="start"`,
  'itime=2025-03-05 14:22:09 date=2025-03-05 time=14:22:01 tz=-0700 devname=fw-lab logid=13 type=traffic action=timeout srcip=192.168.1.5 srcport=1 dstip=192.0.2.2 dstport=2 sessionid=5 proto=6 duration=3600',
  'date=2018-06-20 time=12:00:50 logid="0000000007" type="traffic" srcip=10.20.30.15 srcport=443 dstip=198.51.100.77 dstport=55132 proto=6 action="deny" policyid=0 msg="no session matched"',
  `${H} srcip=10.0.0.1 dstip=10.0.0.2 sessionid=8 proto=1 icmpid=0x0001 icmptype=0x08 icmpcode=0x00 action="accept" duration=2`,
];

const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom('', '"', '=', ' ', '\\', 'x=', '0x', '-', '99999999999999999999')), { minLength: 1, maxLength: 6 }))
  .map(([line, edits]) => {
    let s = line;
    for (const [a, n, ins] of edits) {
      const i = a % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(Math.min(s.length, i + n));
    }
    return s;
  });

async function decode(bytes: Uint8Array, slice: number) {
  const problems = createProblemLog('fuzz.log');
  const report: InputReport = { file: 'fuzz.log', format: 'fortigate-traffic', bytes: 0, linkTypes: [], packets: 0, tcpPackets: 0, skipped: {}, warnings: [], errors: [] };
  const events: FirewallEvent[] = [];
  const { ms } = await cpuMs(() => decodeTextInput('fortigate-traffic', sliced('fuzz.log', bytes, slice), 0, { segments: { segment() {}, streamOnly() {} }, firewall: { event: (e) => events.push(copyFirewallEvent(e as FirewallEvent)) } }, { problems }, report));
  expect(ms).toBeLessThan(2000);
  expect(report.errors).toEqual([]);
  for (const p of problems.warnings) {
    expect(p.file).toBe('fuzz.log');
    expect(p.line).toBeGreaterThanOrEqual(1);
  }
  return { events, report };
}

const alone = new Map<string, FirewallEvent[]>();
async function eventsAlone(line: string): Promise<FirewallEvent[]> {
  if (!alone.has(line)) alone.set(line, (await decode(new TextEncoder().encode(line), 1 << 16)).events);
  return alone.get(line)!;
}

describe('FortiGate decoder fuzzing', () => {
  it('mutated lines and random text: no throw, problems name a line, undamaged lines keep their events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(mutated, fc.constantFrom(...samples), fc.string({ maxLength: 80 })), { maxLength: 20 }), fc.integer({ min: 7, max: 300 }), async (lines, slice) => {
        const { events } = await decode(new TextEncoder().encode(lines.join('\n')), slice);
        for (const e of events) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines.length);
        }
        for (let i = 0; i < lines.length; i++) {
          if (!samples.includes(lines[i])) continue;
          const want = (await eventsAlone(lines[i])).map((e) => ({ ...e, line: i + 1 }));
          expect(events.filter((e) => e.line === i + 1)).toEqual(want);
        }
      }),
      { numRuns: 300, seed: 1414 },
    );
  });

  it('random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 5, max: 500 }), async (bytes, slice) => {
      await decode(bytes, slice);
    }), { numRuns: 200, seed: 1415 });
  });
});
