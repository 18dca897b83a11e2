// Sweep over the ASA/FTD samples in ../shared/corpus/asa (Elastic-2.0 files are read there, never copied).
// Every line whose tag carries a supported ID must decode into an event with sane fields; nothing throws.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_IDS } from '../../src/decode/text/syslog-messages';
import { decodeLines } from './syslog-helpers';

const DIR = new URL('../../../shared/corpus/asa/', import.meta.url);
const present = existsSync(DIR);
if (!present) console.log('syslog-corpus: ../shared/corpus/asa does not exist; corpus sweep skipped');

const TAG = /%?(?:ASA|FTD|PIX|FDT)[^%\s]{0,20}?-(\d{6})\b/;

describe.runIf(present)('ASA corpus sweep (../shared/corpus/asa)', () => {
  const files = present ? readdirSync(DIR).filter((f) => f.endsWith('.log')) : [];
  let decoded = 0;
  for (const f of files) {
    it(`${f}: every supported message decodes`, () => {
      const lines = readFileSync(new URL(f, DIR), 'utf8').split('\n');
      const d = decodeLines(lines, { year: 2020, file: f });
      const want = lines.map((l, i) => [i + 1, TAG.exec(l)?.[1]] as const).filter(([, id]) => id && SUPPORTED_IDS.has(Number(id)));
      expect(d.skipped).toEqual({});
      expect(d.events.map((e) => e.line)).toEqual(want.map(([n]) => n));
      for (const e of d.events) {
        const where = `${f}:${e.line}`;
        expect(e.src, where).not.toBeNull();
        expect(e.file).toBe(f);
        if (e.kind === 'built' || e.kind === 'teardown') {
          expect(e.dst, where).not.toBeNull();
          if (e.protocol === 'tcp' || e.protocol === 'udp') {
            expect(e.connId, where).toMatch(/^\d+$/);
            expect(e.src!.port, where).toBeGreaterThanOrEqual(0);
            expect(e.dst!.port, where).toBeGreaterThanOrEqual(0);
            expect(e.src!.iface, where).toBeTruthy();
          }
        }
        if (e.kind === 'teardown' && e.protocol === 'tcp' && e.bytes >= 0) expect(e.durationS, where).toBeGreaterThanOrEqual(0);
        if (e.messageId === '106015') expect(e.tcpFlags, where).toBeGreaterThan(0);
        if (!/^\s*<\d+>%|<\d+>:: |<\d+>[A-Za-z][\w-]* %/.test(lines[e.line - 1])) expect(Number.isFinite(e.timeUs), where).toBe(true);
      }
      decoded += d.events.length;
    });
  }
  it('decoded a meaningful number of events', () => {
    console.log(`syslog-corpus: ${decoded} events decoded from ${files.length} files`);
    expect(decoded).toBeGreaterThan(300);
  });

  it('reads the 106015-after-teardown and user-name details of test-sample.log', () => {
    const f = 'elastic__cisco_asa-test-sample.log';
    if (!files.includes(f)) return;
    const d = decodeLines(readFileSync(new URL(f, DIR), 'utf8').split('\n'), { year: 2020 });
    const fins = d.events.filter((e) => e.reason === 'TCP FINs' && e.iface === 'OUTSIDE');
    expect(fins.length).toBeGreaterThan(0);
    expect(fins[0].user).toBe('domain\\USER001');
    expect(d.events.some((e) => e.messageId === '106015' && e.tcpFlags === 4 && e.iface === 'outside')).toBe(true);
    expect(d.events.some((e) => e.src?.addr === '2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6' && e.src.port === 62477)).toBe(true);
  });
});
