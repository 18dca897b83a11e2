import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/model/report';

describe('isoTime', () => {
  it('prints microseconds and reuses the per-second prefix correctly across seconds', () => {
    expect(isoTime(1529496047907301)).toBe('2018-06-20T12:00:47.907301Z');
    expect(isoTime(1529496047000001)).toBe('2018-06-20T12:00:47.000001Z');
    expect(isoTime(1529496048000000)).toBe('2018-06-20T12:00:48.000000Z');
    expect(isoTime(1529496047999999)).toBe('2018-06-20T12:00:47.999999Z');
    expect(isoTime(-1500000)).toBe('1969-12-31T23:59:58.500000Z');
  });

  it('keeps the seconds of years written with six digits (a hostile stamp or duration), so the text reads back', () => {
    expect(isoTime(253402300800000000)).toBe('+010000-01-01T00:00:00.000000Z');
    expect(isoTime(-3598470543599000000)).toBe('-112061-01-04T09:00:01.000000Z');
  });
});
