// Fuzzing the text capture decoders like the binary ones: mutated lines, random text and random bytes never
// make them throw; every problem names the file and a line inside the input; undamaged packet lines are kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeText } from './text-helpers';

const FIX = new URL('../fixtures/', import.meta.url);
const seedLines = ['inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt']
  .flatMap((f) => readFileSync(new URL(`seed/${f}`, FIX), 'utf8').split('\n').filter(Boolean));
const tcpdumpLines = [
  '    1  2020-06-10 09:21:03.720289 IP 192.168.1.11.33779 > 209.87.249.18.53: Flags [S], seq 603899916, win 64240, options [mss 1460,sackOK,TS val 2044906138 ecr 0,nop,wscale 7], length 0',
  '    2  2020-06-10 09:21:03.846908 IP 209.87.249.18.53 > 192.168.1.11.33779: Flags [S.], seq 2043824403, ack 603899917, win 64240, options [mss 1460], length 0',
  '1591780863.720289 IP6 2001:db8::1.33779 > 2001:db8:0:1::53.443: Flags [P.], seq 1:59, ack 1, win 64240, length 58',
  '   2: 13:22:17.200000 0050.56b3.50d1 0050.56b3.9d03 0x0800 Length: 62',
  '      192.168.1.2.80 > 192.168.1.1.50863: S [tcp sum ok] 2416274753:2416274753(0) ack 2755830645 win 65535 <mss 1350,sackOK,eol> (ttl 60, id 37726)',
  '   1: 09:41:12.535281       802.1Q vlan#2 P0 192.0.2.1.51234 > 198.51.100.1.443: S 3624439037:3624439037(0) win 8192 <mss 1460,nop,wscale 8,nop,nop,sackOK>',
];
const samples = [...seedLines, ...tcpdumpLines];

const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 6 }), fc.nat())
  .map(([line, edits, cut]) => {
    let s = line;
    for (const [a, n, ins] of edits) {
      const i = a % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(Math.min(s.length, i + n));
    }
    return cut % 5 === 0 ? s.slice(0, cut % (s.length + 1)) : s;
  });

async function check(lines: string[], format: 'asa-show-capture' | 'tcpdump-text') {
  const text = lines.join('\n');
  const { segs, problems, report } = await decodeText(text, format, { date: '2018-06-20', name: 'fuzz.txt', slice: 17 });
  expect(report.errors).toEqual([]);
  for (const p of problems.warnings) {
    expect(p.file).toBe('fuzz.txt');
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines.length);
  }
  // Undamaged one-line packet records are kept, with their header fields.
  let offset = 0;
  for (const l of lines) {
    if (seedLines.includes(l)) {
      const alone = (await decodeText(l, format, { date: '2018-06-20' })).segs[0];
      const got = segs.find((s) => s.offset === offset);
      expect(got, l).toBeDefined();
      // seq/ack (inferred from context) and the day (midnight roll-over after a random earlier stamp) may differ
      expect({ ...got!, seq: 0, ack: 0, offset: 0, time: got!.time.slice(10), timeUs: 0 }).toEqual({ ...alone, seq: 0, ack: 0, offset: 0, time: alone.time.slice(10), timeUs: 0 });
    }
    offset += new TextEncoder().encode(l).length + 1;
  }
  for (const s of segs) {
    expect(Number.isFinite(s.timeUs)).toBe(true);
    expect(s.seq).toBeGreaterThanOrEqual(0);
    expect(s.seq).toBeLessThan(2 ** 32);
  }
}

describe('text capture fuzzing', () => {
  for (const format of ['asa-show-capture', 'tcpdump-text'] as const) {
    it(`${format}: mutated lines and random text`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(fc.oneof(mutated, fc.constantFrom(...samples), fc.string({ maxLength: 60 })), { maxLength: 25 }), (lines) => check(lines, format)), { numRuns: 250 });
    });
  }
  it('random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
      const { problems, report } = await decodeText(bytes, 'tcpdump-text', { name: 'b.txt', slice: 64 });
      expect(report.errors).toEqual([]);
      for (const p of problems.warnings) expect(p).toMatchObject({ file: 'b.txt', line: expect.any(Number) });
    }), { numRuns: 200 });
  });
});
