/**
 * The firewall explanation's stamps (analysis/firewall/explain.ts): timeOfDay is the time of day of isoTime's text,
 * counted from the second, for any time: whole and fractional microseconds, before 1970, past the year 9999, at
 * second and day boundaries, asked in and out of order (it keeps the last second's text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeOfDay } from '../../src/analysis/firewall/explain';
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
