// The flow table's times come straight from the store (engine/flow-columns.ts reportedUs): they must equal what a
// report's text gives back when parsed, for any capture time, including fractions of a microsecond (nanosecond
// pcaps), times before 1970 and times a damaged capture puts out of range.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { reportedUs } from '../../src/engine/flow-columns';
import { safeIsoTime } from '../../src/analysis/connection-report';
import { parseIsoUs } from '../../src/model/report';

it('reportedUs(us) equals parseIsoUs(safeIsoTime(us))', () => {
  const same = (us: number) => {
    const viaText = parseIsoUs(safeIsoTime(us)).us;
    const direct = reportedUs(us);
    return Number.isNaN(viaText) ? Number.isNaN(direct) : viaText === direct;
  };
  fc.assert(fc.property(fc.double({ min: -1e16, max: 1e16, noNaN: true }), same), { numRuns: 5000 });
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 52 }), fc.integer({ min: 0, max: 999 }), (us, ns) => same(us + ns / 1000)), { numRuns: 5000 });
  for (const us of [0, 1591780863720289, 1591780863720289.999, -1, -0.5, 8.64e18, Infinity, NaN]) expect(same(us)).toBe(true);
});
