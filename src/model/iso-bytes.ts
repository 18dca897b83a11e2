/**
 * A time's JSON text (isoTime's, quoted) written as bytes: `"2018-06-20T` made once per day (by isoSecondText,
 * isoTime's own), then the time of day, the six digits of the microsecond and `Z"` from numbers. For the millions of
 * stamps of `analyze --json`/`--ndjson` on a big log, which kept each distinct time's bytes in a map by its
 * microsecond (a hashed heap number per stamp). One per member written (a writer's own state, none shared).
 */
import type { JsonBytes } from '../lib/json-bytes';
import { inDateRange, isoSecondText, isoTime, secondOf } from './report';

export class IsoBytes {
  /** The day (since 1970) of `dayText`: `"2018-06-20T`, from isoSecondText. */
  private day = NaN;
  private readonly dayText = new Uint8Array(12);

  /** Writes `"` + isoTime(timeUs) + `"` into w; false (nothing written) for a time isoTime writes as raw seconds. */
  write(w: JsonBytes, timeUs: number): boolean {
    if (!inDateRange(timeUs)) return false;
    const whole = Math.floor(timeUs);
    const second = secondOf(whole);
    const day = Math.floor(second / 86400);
    if (day !== this.day && !this.keepDay(day)) {
      w.str(isoTime(timeUs));
      return true;
    }
    w.room(32);
    const buf = w.buf;
    const n = w.n;
    const d = this.dayText;
    for (let j = 0; j < 12; j++) buf[n + j] = d[j];
    // HH:MM:SS of the second in its day, then the microsecond, 0 to 999,999, as six digits.
    let x = second - day * 86400;
    two(buf, n + 12, (x / 3600) | 0);
    buf[n + 14] = 58;
    x %= 3600;
    two(buf, n + 15, (x / 60) | 0);
    buf[n + 17] = 58;
    two(buf, n + 18, x % 60);
    buf[n + 20] = 46;
    x = (whole - second * 1e6) | 0;
    for (let k = 26; k > 20; k--) {
      const q = (x / 10) | 0;
      buf[n + k] = 48 + x - q * 10;
      x = q;
    }
    buf[n + 27] = 90; // Z
    buf[n + 28] = 34;
    w.n = n + 29;
    return true;
  }

  /** Keeps day's `"YYYY-MM-DDT`; false for a year not written with four digits (then the whole text is made). */
  private keepDay(day: number): boolean {
    const text = isoSecondText(day * 86400); // 2018-06-20T00:00:00 (ASCII)
    if (text.length !== 19) return false;
    this.dayText[0] = 34;
    for (let j = 0; j < 11; j++) this.dayText[j + 1] = text.charCodeAt(j);
    this.day = day;
    return true;
  }
}

/** Two digits of v (0-99) at buf[at]. */
function two(buf: Uint8Array, at: number, v: number): void {
  const t = (v / 10) | 0;
  buf[at] = 48 + t;
  buf[at + 1] = 48 + v - t * 10;
}
