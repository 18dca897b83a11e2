import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inDateRange, isoTime, parseIsoUs } from '../../src/model/report';
import { IsoBytes } from '../../src/model/iso-bytes';
import { JsonBytes } from '../../src/lib/json-bytes';

describe('isoTime', () => {
  it('prints microseconds and reuses the per-second prefix correctly across seconds', () => {
    expect(isoTime(1529496047907301)).toBe('2018-06-20T12:00:47.907301Z');
    expect(isoTime(1529496047000001)).toBe('2018-06-20T12:00:47.000001Z');
    expect(isoTime(1529496048000000)).toBe('2018-06-20T12:00:48.000000Z');
    expect(isoTime(1529496047999999)).toBe('2018-06-20T12:00:47.999999Z');
    expect(isoTime(-1500000)).toBe('1969-12-31T23:59:58.500000Z');
  });

  it('gives the same text as Date for times asked in any order (seconds sharing a cache slot, 64 s apart)', () => {
    const ref = (us: number) => {
      const s = Math.floor(us / 1e6);
      return `${new Date(s * 1000).toISOString().slice(0, -5)}.${String(us - s * 1e6).padStart(6, '0')}Z`;
    };
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const base = 1529496047e6;
    for (let k = 0; k < 5000; k++) {
      const us = base + rand(200) * 64e6 + rand(3) * 1e6 + (rand(2) ? rand(1e6) : 0);
      expect(isoTime(us)).toBe(ref(us));
    }
  });

  it('keeps the seconds of years written with six digits (a hostile stamp or duration), so the text reads back', () => {
    expect(isoTime(253402300800000000)).toBe('+010000-01-01T00:00:00.000000Z');
    expect(isoTime(-3598470543599000000)).toBe('-112061-01-04T09:00:01.000000Z');
  });

  it('reads back (parseIsoUs) as the whole microseconds it printed, before 1970 and to the end of the date range', () => {
    const back = (us: number) => parseIsoUs(isoTime(us)).us === Math.floor(us);
    fc.assert(fc.property(fc.double({ min: -8.64e18, max: 8.64e18, noNaN: true }), back), { numRuns: 3000 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 52 }), fc.integer({ min: 0, max: 999 }), (us, ns) => back(us + ns / 1000)), { numRuns: 3000 });
    for (const us of [0, -1, -0.5, 1591780863720289.999, 8.64e18, -8.64e18]) expect(back(us)).toBe(true);
  });

  it('as JSON bytes (IsoBytes): the quoted isoTime, for times in any order and across the kept seconds; nothing for raw seconds', () => {
    const iso = new IsoBytes();
    const w = new JsonBytes(new Uint8Array(4));
    const decoder = new TextDecoder();
    const written = (us: number) => {
      w.n = 0;
      return iso.write(w, us) ? decoder.decode(w.buf.subarray(0, w.n)) : null;
    };
    const same = (us: number) => written(us) === (inDateRange(us) ? JSON.stringify(isoTime(us)) : null);
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let k = 0; k < 5000; k++) expect(same(1529496047e6 + rand(300) * 256e6 + rand(3) * 1e6 + (rand(2) ? rand(1e6) : 0))).toBe(true);
    fc.assert(fc.property(fc.double({ min: -8.7e18, max: 8.7e18 }), same), { numRuns: 3000 });
    for (const us of [0, -1, -0.5, 253402300800000000, -3598470543599000000, 8.64e18, 8.64e18 + 1e6, NaN, Infinity]) expect(same(us)).toBe(true);
    expect(written(NaN)).toBe(null);
  });

  it('unquoted (the tables\' cells): isoTime itself, or nothing for raw seconds and years not of four digits', () => {
    const iso = new IsoBytes(false);
    const w = new JsonBytes(new Uint8Array(4));
    const decoder = new TextDecoder();
    const written = (us: number) => {
      w.n = 0;
      return iso.write(w, us) ? decoder.decode(w.buf.subarray(0, w.n)) : null;
    };
    const want = (us: number) => (inDateRange(us) && isoTime(us).length === 27 ? isoTime(us) : null);
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let k = 0; k < 5000; k++) {
      const us = 1529496047e6 + rand(300) * 256e6 + rand(3) * 1e6 + (rand(2) ? rand(1e6) : 0);
      expect(written(us)).toBe(want(us));
    }
    fc.assert(fc.property(fc.double({ min: -8.7e18, max: 8.7e18 }), (us) => written(us) === want(us)), { numRuns: 3000 });
    for (const us of [0, -1, 253402300800000000, -3598470543599000000, NaN]) expect(written(us)).toBe(want(us));
    expect(written(1529496047907301)).toBe('2018-06-20T12:00:47.907301Z');
  });
});
