/**
 * The search box's free text (model/filter/free-text.ts) decides each part once per pooled value; it must answer
 * exactly as the substring test over each row's whole text (flowRowText) it replaced, for any text: random tables of
 * IPv4 and IPv6 endpoints, kinds and firewall reasons with spaces, searched with pieces of their own rows' text (across
 * the colons, brackets and spaces between parts) and with random text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFlowColumns, queryFlows, DEFAULT_QUERY } from '../../src/model/flow-table';
import { CLOSE_KINDS, kindCode } from '../../src/model/close-kinds';
import { flowRowText, freeTextMatcher } from '../../src/model/filter/free-text';
import { classifySearch } from '../../src/model/filter/classify';

const IPS = ['10.0.0.1', '10.30.13.1', '192.0.2.44', '2001:db8::1', 'fe80::a:b', '198.51.100.7', '1.2.3.4'];
const REASONS = ['', 'TCP FINs', 'TCP Reset-O', 'TCP Reset-I', 'Idle Timeout', 'SYN Timeout', 'Conn-timeout'];

const rowArb = fc.record({
  c: fc.nat(IPS.length - 1), s: fc.nat(IPS.length - 1), cp: fc.nat(65535), sp: fc.constantFrom(0, 22, 80, 443, 4433, 8443, 65535),
  kind: fc.oneof(fc.constant(255), fc.nat(CLOSE_KINDS.length - 1)), reason: fc.nat(REASONS.length - 1),
});

function table(rows: { c: number; s: number; cp: number; sp: number; kind: number; reason: number }[]) {
  const { c, intern } = createFlowColumns(rows.length);
  rows.forEach((r, i) => {
    c.clientIp[i] = intern(IPS[r.c]);
    c.serverIp[i] = intern(IPS[r.s]);
    c.clientPort[i] = r.cp;
    c.serverPort[i] = r.sp;
    c.kind[i] = r.kind;
    c.reason[i] = intern(REASONS[r.reason]);
  });
  return c;
}

describe('free-text search without a text per row', () => {
  it('answers as the substring test over each row text', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.nat(), fc.nat(), fc.nat(30), fc.string({ maxLength: 6 }),
        (rows, pick, from, len, random) => {
          const c = table(rows);
          const own = flowRowText(c, pick % c.count);
          const start = from % own.length;
          for (const raw of [own.slice(start, start + len + 1), random]) {
            const t = raw.trim().toLowerCase();
            if (!t) continue;
            const match = freeTextMatcher(c, t);
            for (let i = 0; i < c.count; i++) expect(match(i), `"${t}" on "${flowRowText(c, i)}"`).toBe(flowRowText(c, i).includes(t));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds endpoints, ports, kinds and reasons through the query', () => {
    const c = table([
      { c: 1, s: 2, cp: 12734, sp: 443, kind: kindCode('clean'), reason: 1 },
      { c: 3, s: 4, cp: 5000, sp: 22, kind: kindCode('reset'), reason: 2 },
      { c: 0, s: 5, cp: 443, sp: 80, kind: 255, reason: 0 },
    ]);
    const rows = (text: string) => {
      const s = classifySearch(text);
      expect(s.mode).toBe('text');
      return [...queryFlows(c, { ...DEFAULT_QUERY, text })];
    };
    expect(rows('10.30.13.1:12734')).toEqual([0]);
    expect(rows('[2001:db8::1]:5000')).toEqual([1]);
    expect(rows(':443')).toEqual([0, 2]);
    expect(rows('tcp fins')).toEqual([0]);
    expect(rows('443 198.51')).toEqual([2]);
    expect(rows('reset-o')).toEqual([1]);
  });
});
