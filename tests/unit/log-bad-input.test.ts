/**
 * Bad input in firewall logs, at modest size with the bound shown by counting (the full-size runs are in
 * bench/hostile/logs.ts): one flow's denies past the per-flow row cap, Built lines that never tear down, 100 KB
 * lines, NUL bytes, bytes that are not UTF-8. Each gives a warning naming the file and line, keeps the rest of the
 * log decodable and never throws.
 */
import { isAscii } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { readLines, setAsciiDecoder } from '../../src/lib/line-reader';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { createSyslogLineDecoder } from '../../src/decode/text/syslog';
import { createProblemLog } from '../../src/model/problems';
import { FirewallLog } from '../../src/analysis/firewall/log';
import { DenyFlowCap, DENY_ROWS_PER_FLOW } from '../../src/analysis/firewall/deny-cap';
import { joinFirewallLog } from '../../src/analysis/firewall/join';
import { formatProblem } from '../../src/model/problems';
import { sliced } from './text-helpers';

const stamp = (s: number) => `<166>Jun 20 2018 ${String(Math.floor(s / 3600) % 24).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} fw-a : %ASA-`;
const deny = (s: number, flags = 'RST') => `${stamp(s)}6-106015: Deny TCP (no connection) from 192.0.2.1/1234 to 10.0.0.2/22 flags ${flags}  on interface outside`;
const built = (s: number, id: number) => `${stamp(s)}6-302013: Built inbound TCP connection ${id} for outside:198.51.${(id >> 8) & 255}.${id & 255}/${1024 + (id % 60000)} (198.51.${(id >> 8) & 255}.${id & 255}/${1024 + (id % 60000)}) to inside:10.0.0.1/443 (203.0.113.1/443)`;
const bytesOf = (...parts: (string | Uint8Array)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

/** Lines through the real syslog decoder into a FirewallLog (whose cap may be lowered), warnings collected. */
function logOf(lines: string[], cap?: number) {
  const problems = createProblemLog('flood.log');
  const log = new FirewallLog();
  log.files = ['flood.log'];
  log.problems = problems;
  if (cap) log.denyCap = new DenyFlowCap(cap);
  const dec = createSyslogLineDecoder(0, 'flood.log', (e, text, at) => log.add(e, text, at), { problems, year: 2018 }, { skipped: {} });
  lines.forEach((l, i) => dec.line(l, i + 1));
  dec.finish();
  log.finish();
  return { log, problems };
}

afterEach(() => setAsciiDecoder(null));

describe('firewall logs: bad input', () => {
  it("one flow's denies: rows stop at the per-flow cap, every deny still counted and classed, a warning names the line", () => {
    const lines = Array.from({ length: 3000 }, (_, k) => deny(k >> 3, k % 2 ? 'RST' : 'RST ACK'));
    const { log, problems } = logOf(lines, 200);
    expect(log.denies.count).toBe(200);
    expect(log.deniesNoConnectionTcp).toBe(3000);
    let repeats = 0;
    for (let j = 0; j < log.denies.count; j++) repeats += log.denies.repeat[j];
    expect(repeats).toBe(3000);
    const join = joinFirewallLog(log);
    expect(join.byClass.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(problems.warnings.map(formatProblem)).toEqual([
      'flood.log line 201: more than 200 denies of one flow (192.0.2.1/1234 to 10.0.0.2/22): from this line on, each is counted with the last one listed instead of being listed (memory stays bounded)',
    ]);
    // Other flows keep their rows; the engine's log uses the default cap.
    const other = logOf([...lines.slice(0, 300), deny(99).replace('10.0.0.2/22', '10.0.0.3/22')], 200);
    expect(other.log.denies.count).toBe(201);
    expect(new FirewallLog().denyCap.cap).toBe(DENY_ROWS_PER_FLOW);
    // Any protocol: a UDP flow's 106006 denies.
    const udp = logOf(Array.from({ length: 300 }, (_, k) => `${stamp(k)}2-106006: Deny inbound UDP from 192.0.2.1/5353 to 10.0.0.2/53 on interface outside`), 200);
    expect([udp.log.denies.count, udp.problems.warnings.map((p) => p.line)]).toEqual([200, [201]]);
  });

  it('Built lines that never tear down: one row each, a fixed number of column bytes per row, no warning', () => {
    const n = 20_000;
    const { log, problems } = logOf(Array.from({ length: n }, (_, k) => built(k >> 4, 1000 + k)));
    expect(log.conns.count).toBe(n);
    let bytes = 0;
    for (const v of Object.values(log.conns)) if (ArrayBuffer.isView(v)) bytes += v.byteLength;
    expect(bytes / n).toBeLessThanOrEqual(200); // trimmed at finish: no doubling slack left
    expect(problems.warnings).toEqual([]);
  });

  it('100 KB lines, NUL bytes and bytes that are not UTF-8: warnings name the lines, the rest is read', async () => {
    for (const host of [false, true]) {
      // The command line's ASCII decoder, and without it (the browser's path).
      setAsciiDecoder(host ? (b) => (isAscii(b) ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1') : null) : null);
      const long = `${built(1, 7)} ${'x'.repeat(100_000)}\n`;
      const input = bytesOf(
        `${built(0, 1)}\n`,
        ...Array.from({ length: 12 }, () => long), // lines 2-13
        new Uint8Array(3000), '\n', // line 14: a run of NULs
        `${built(2, 2).replace('inside', 'ins\0ide')}\n`, // line 15
        `${built(3, 3)} `, new Uint8Array([0xff, 0xfe, 0xc3]), '\n', // line 16
        `${built(4, 4)} \u00e9`.replace('\u00e9', ''), Buffer.from('\u00e9 \uFFFD ok\n', 'utf8'), // line 17: valid UTF-8, U+FFFD written as such
        `${built(5, 5)}\n`,
      );
      const s = await analyzeSources([createBytesSource('bad.log', input)]);
      const w = s.inputs[0].warnings.map(formatProblem);
      expect(w.filter((x) => /^bad\.log line \d+: line longer/.test(x)).map((x) => x.split(':')[0])).toEqual(Array.from({ length: 10 }, (_, k) => `bad.log line ${k + 2}`));
      expect(w).toContain('bad.log: 12 lines in all (first at line 2, the first 10 named): line longer than 64 KiB; only its start was read');
      expect(w).toContain('bad.log line 14: NUL bytes in the line (a damaged or preallocated file); read without them');
      expect(w).toContain('bad.log line 15: NUL bytes in the line (a damaged or preallocated file); read without them');
      expect(w).toContain('bad.log line 16: bytes that are not UTF-8 in the line; each bad sequence read as U+FFFD');
      expect(w.some((x) => x.includes('line 17'))).toBe(false);
      // Connections 1, 7 (the long lines' heads), 2 (NUL removed), 3, 4 and 5 are all read.
      expect(s.reports.toArray().map((r) => r.firewall?.connId).sort()).toEqual(['1', '2', '3', '4', '5', '7']);
    }
  });

  it('the line reader reports damage with exact offsets and leaves clean slices alone', async () => {
    const input = bytesOf('ok\n', 'a\0b\n', 'c', new Uint8Array([0xc3]), 'd\n', 'fine\n');
    const seen: [number, number, string][] = [];
    const out: string[] = [];
    await readLines(sliced('t', input, 3), (l) => out.push(l), { onDamagedLine: (n, o, what) => seen.push([n, o, what]) });
    expect(out).toEqual(['ok', 'ab', 'c\ufffdd', 'fine']);
    expect(seen).toEqual([[2, 3, 'nul'], [3, 7, 'utf8']]);
  });
});
