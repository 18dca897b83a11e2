import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeReport, analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { ladderData } from '../../src/engine/session';
import { isoTime } from '../../src/model/report';
import { formatClock, formatDateTime, formatDuration, formatOffset, formatOffsetPrecise } from '../../src/render/format';
import { layoutLadders } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS } from '../../src/render/ladder-types';
import { farFuturePcapng } from './hostile-inputs';

// Issue 15 item 4: a 576-byte pcapng whose stamps lie past the JavaScript date range blanked the page on hover
// ("Invalid time value"). Every time formatter is total: such times print as raw seconds.
describe('time formatters are total', () => {
  const fns = { isoTime, formatClock, formatDateTime, formatDuration, formatOffset, formatOffsetPrecise };
  it('never throw and never print NaN dates, for any number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), fc.constantFrom(8.64e18, 8.64e18 + 1e6, -8.64e18 - 1, Number.MAX_VALUE)), (t) => {
        for (const [name, fn] of Object.entries(fns)) {
          const s = fn(t);
          expect(typeof s, name).toBe('string');
          expect(s.length, name).toBeGreaterThan(0);
          expect(s, name).not.toMatch(/NaN:|Invalid/);
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('print out-of-range times as raw seconds', () => {
    expect(formatDateTime(1e22)).toBe('10000000000000000 s');
    expect(isoTime(-1e19)).toBe('-10000000000000 s');
    expect(formatClock(Number.NaN)).toBe('NaN s');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDateTime(1529496047907301)).toBe('2018-06-20 12:00:47.907301');
  });

  it('a capture stamped past the date range analyses, lays out and labels every packet', async () => {
    const bytes = farFuturePcapng();
    expect(bytes.length).toBeLessThan(700);
    const s = await analyzeSources([createBytesSource('far-future.pcapng', bytes)]);
    expect(s.reports.length).toBe(1);
    const conn = s.reports.at(0)!;
    expect(conn.start).toMatch(/^invalid time \(\d+ µs\)$/);
    const d = ladderData(s, conn);
    expect(d.packets.length).toBe(5);
    for (const p of d.packets) expect(formatDateTime(p.timeUs)).toMatch(/^\d+(\.\d+)? s$/);
    for (const focus of ['close', 'whole'] as const) {
      const [g] = layoutLadders([d], { width: 600, timeMode: 'compressed', focus, labels: DEFAULT_LABELS, zoom: 1 });
      expect(g.arrows.length).toBeGreaterThan(0);
    }
    expect(JSON.stringify(analyzeReport(s))).toContain('far-future.pcapng');
  });
});
