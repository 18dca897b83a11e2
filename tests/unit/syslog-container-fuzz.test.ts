// Fuzz of the container readers (CSV exports, JSON lines, Kiwi) through the real syslog decoder: truncated
// quotes, nested JSON, BOMs, stray delimiters and random cuts never throw, never hang, and every problem names
// the file and a line. Seeded (fast-check), so a failure replays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../src/decode/index';
import { createTextSource } from '../../src/lib/byte-source';
import { createProblemLog } from '../../src/model/problems';
import { STORY } from './syslog-story';
import { cpuMs } from './cpu-time';

const msg = fc.constantFrom(...STORY.map(([, m]) => m), '%FTD-1-430003: SrcIP: 192.0.2.1, DstIP: 192.0.2.2, SrcPort: 1, DstPort: 2, Protocol: tcp');
const piece = fc.oneof(
  fc.constantFrom('"', '""', ',', ';', '\t', '{', '}', '[', ']', '\\', '\\"', '\\/', '\ufeff', '\r', '\n', ':', '"message":', '"_raw":"', '"result":{'),
  fc.string({ maxLength: 12 }),
  msg,
);
const csvRow = fc.tuple(fc.constantFrom('2024-03-05T11:58:45.000Z', '', 'x', '"'), msg).map(([t, m]) => `"${t}","fw","${m.replace(/"/g, '""')}"`);
const jsonRow = fc.tuple(msg, fc.nat(5)).map(([m, depth]) => {
  let o: unknown = { message: m, '@timestamp': '2024-03-05T11:58:45Z', host: { name: 'fw' } };
  for (let i = 0; i < depth; i++) o = { result: o, nested: [o] };
  return JSON.stringify(o);
});
const kiwiRow = msg.map((m) => `2024-03-05 11:58:45\tLocal4.Info\t10.0.0.1\t${m}`);

function mutate(base: string[], cuts: number[], inserts: string[]): string {
  let text = base.join('\n');
  cuts.forEach((c, i) => {
    const at = c % (text.length + 1);
    text = i % 2 ? text.slice(0, at) + (inserts[i % inserts.length] ?? '') + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + (c % 7));
  });
  return text;
}

describe('container fuzz', () => {
  const header = fc.constantFrom('"_serial","_time","host","_raw"', '\ufeff"timestamp","source","message"', 'timestamp;source;message', '');
  const file = fc.oneof(
    fc.tuple(header, fc.array(csvRow, { maxLength: 8 })).map(([h, rows]) => [h, ...rows]),
    fc.array(jsonRow, { maxLength: 8 }).map((rows) => (rows.length % 2 ? rows : ['[', ...rows.map((r) => `${r},`), ']'])),
    fc.array(kiwiRow, { maxLength: 8 }),
  );
  it('never throws or hangs; problems always name the file and a line or offset', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(4000), { maxLength: 6 }), fc.array(piece, { maxLength: 6 }), async (base, cuts, inserts) => {
        const text = mutate(base, cuts, inserts);
        const problems = createProblemLog('fuzz.csv');
        const { value: r, ms } = await cpuMs(() => decodeInput(createTextSource('fuzz.csv', text), 0, { segments: { segment() {} }, firewall: { event() {} } }, { problems }));
        expect(ms).toBeLessThan(2000);
        for (const p of [...r.warnings, ...r.errors]) {
          expect(p.file).toBe('fuzz.csv');
          expect(p.line !== undefined || p.offset !== undefined).toBe(true);
        }
      }),
      { numRuns: 400, seed: 1313 },
    );
  });

  it('an unclosed quote at the start of a huge CSV export is cut and reported, not held forever', async () => {
    const open = Array.from({ length: 4000 }, (_, i) => `${i} ${'x'.repeat(90)}`).join('\n');
    const text = `"timestamp","source","message"\n"2024-03-05T11:58:45Z","fw","${open}\n${STORY[0][1]}\n`;
    const problems = createProblemLog('open.csv');
    const r = await decodeInput(createTextSource('open.csv', text), 0, { segments: { segment() {} }, firewall: { event() {} } }, { problems });
    expect(r.warnings.map((w) => w.message)).toContain('export record open (an unclosed quote) for more than 262144 characters; read up to here');
  });
});
