/**
 * The firewall explanation's stamps (analysis/firewall/explain.ts): timeOfDay is the time of day of isoTime's text,
 * counted from the second, for any time: whole and fractional microseconds, before 1970, past the year 9999, at
 * second and day boundaries, asked in and out of order (it keeps the last second's text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapText, timeOfDay } from '../../src/analysis/firewall/explain';
import { isoTime } from '../../src/model/report';

describe('timeOfDay', () => {
  it("is isoTime's hours, minutes and seconds", () => {
    const edges = [0, 999_999, 1_000_000, 86_399_999_999, 86_400_000_000, -1, -0.5, 1529452800e6 - 0.25, 253402300799e6 + 999_999, 253402300800e6, -62198755200e6];
    for (const t of edges) expect(timeOfDay(t), String(t)).toBe(isoTime(t).slice(11, 19));
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1e15, max: 8.64e18 }), fc.double({ min: -8.64e18, max: 8.64e18, noNaN: true }), fc.integer({ min: 1529452800e6, max: 1529539200e6 })), (t) => {
        expect(timeOfDay(t)).toBe(isoTime(t).slice(11, 19));
        expect(timeOfDay(t + 1)).toBe(isoTime(t + 1).slice(11, 19));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('gapText', () => {
  it('is the gap in ms or s, the same text when asked again (it keeps the texts of gaps it was asked for)', () => {
    const expected = (us: number) => {
      const a = Math.abs(us);
      if (a < 1000) return `${(us / 1000).toFixed(3)} ms`;
      if (a < 1e6) return `${(us / 1000).toFixed(1)} ms`;
      return `${(us / 1e6).toFixed(a < 10e6 ? 2 : 0)} s`;
    };
    const gaps = [0, -0, 1, -999, 999.5, 1000, 54321, 999999, 1e6, -1e6, 2e6, 9999999, 1e7, 12345678901, NaN, Infinity];
    for (const round of [1, 2]) for (const us of gaps) expect(gapText(us), `${us}, round ${round}`).toBe(expected(us));
    expect(gapText(-0)).toBe('0.000 ms');
    fc.assert(fc.property(fc.double({ min: -1e12, max: 1e12 }), (us) => gapText(us) === expected(us) && gapText(us) === expected(us)), { numRuns: 5000 });
  });
});
