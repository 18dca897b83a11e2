/**
 * A time as isoTime writes it, as bytes: `2018-06-20T` made once per day (by isoSecondText, isoTime's own), the
 * time of day once per second (a log's rows in a run mostly share theirs), then the six digits of the microsecond
 * and `Z` from numbers. Quoted for JSON (`analyze --json` and
 * `--ndjson` on a big log, which had kept each distinct time's bytes in a map by its microsecond: a hashed heap
 * number per stamp), bare for the readable tables' cells (cli/table-blocks.ts). One per member or column written
 * (a writer's own state, none shared).
 */
import type { JsonBytes } from '../lib/json-bytes';
import { inDateRange, isoSecondText, isoTime, secondOf } from './report';

export class IsoBytes {
  /** The day (since 1970) of `dayText`: `"2018-06-20T` (quoted) or `2018-06-20T`, from isoSecondText. */
  private day = NaN;
  private readonly dayText: Uint8Array;
  /** The second (since 1970) of `secondText`: `dayText` then `HH:MM:SS` (rows in a run of a log often share it). */
  private second = NaN;
  private readonly secondText: Uint8Array;
  /** 1 when quoted (the opening quote's byte), else 0. */
  private readonly q: number;

  /** `quoted`: a JSON string (`"` + isoTime + `"`), else isoTime's text alone. */
  constructor(quoted = true) {
    this.q = quoted ? 1 : 0;
    this.dayText = new Uint8Array(11 + this.q);
    this.secondText = new Uint8Array(19 + this.q);
  }

  /**
   * Writes isoTime(timeUs) into w, quoted or not; false (nothing written) for a time isoTime writes as raw seconds,
   * and, unquoted, for a year not written with four digits (quoted, its text is then written as a string).
   */
  write(w: JsonBytes, timeUs: number): boolean {
    if (!inDateRange(timeUs)) return false;
    const whole = Math.floor(timeUs);
    const second = secondOf(whole);
    if (second !== this.second && !this.keepSecond(second)) {
      if (!this.q) return false;
      w.str(isoTime(timeUs));
      return true;
    }
    w.room(32);
    const buf = w.buf;
    const t = this.secondText;
    const at = w.n;
    // Its 19 or 20 bytes stored one by one, not in a loop: a loop over them took about twice as long (the bench's
    // writer of u1m.log's log-only records and denies, ~1 M times a pass: 450 -> 410 ms a pass).
    buf[at] = t[0]; buf[at + 1] = t[1]; buf[at + 2] = t[2]; buf[at + 3] = t[3]; buf[at + 4] = t[4]; buf[at + 5] = t[5];
    buf[at + 6] = t[6]; buf[at + 7] = t[7]; buf[at + 8] = t[8]; buf[at + 9] = t[9]; buf[at + 10] = t[10]; buf[at + 11] = t[11];
    buf[at + 12] = t[12]; buf[at + 13] = t[13]; buf[at + 14] = t[14]; buf[at + 15] = t[15]; buf[at + 16] = t[16]; buf[at + 17] = t[17];
    buf[at + 18] = t[18];
    if (this.q) buf[at + 19] = t[19];
    // From here offsets are those of the unquoted text, after the opening quote when there is one.
    const n = at + this.q - 1;
    buf[n + 20] = 46;
    // The microsecond, 0 to 999,999, as six digits (three pairs, no loop, as above).
    const x = (whole - second * 1e6) | 0;
    if (x === 0) {
      buf[n + 21] = 48; buf[n + 22] = 48; buf[n + 23] = 48; buf[n + 24] = 48; buf[n + 25] = 48; buf[n + 26] = 48;
    } else {
      const hi = (x / 10000) | 0;
      const lo = x - hi * 10000;
      const mid = (lo / 100) | 0;
      two(buf, n + 21, hi);
      two(buf, n + 23, mid);
      two(buf, n + 25, lo - mid * 100);
    }
    buf[n + 27] = 90; // Z
    if (this.q) buf[n + 28] = 34;
    w.n = n + 28 + this.q;
    return true;
  }

  /** Keeps second's `"YYYY-MM-DDTHH:MM:SS` (or unquoted); false for a year not written with four digits. */
  private keepSecond(second: number): boolean {
    const day = Math.floor(second / 86400);
    if (day !== this.day && !this.keepDay(day)) return false;
    const t = this.secondText;
    t.set(this.dayText);
    // HH:MM:SS of the second in its day, at offsets of the unquoted text.
    const n = this.q - 1;
    let x = second - day * 86400;
    two(t, n + 12, (x / 3600) | 0);
    t[n + 14] = 58;
    x %= 3600;
    two(t, n + 15, (x / 60) | 0);
    t[n + 17] = 58;
    two(t, n + 18, x % 60);
    this.second = second;
    return true;
  }

  /** Keeps day's `"YYYY-MM-DDT` (or unquoted); false for a year not written with four digits. */
  private keepDay(day: number): boolean {
    const text = isoSecondText(day * 86400); // 2018-06-20T00:00:00 (ASCII)
    if (text.length !== 19) return false;
    if (this.q) this.dayText[0] = 34;
    for (let j = 0; j < 11; j++) this.dayText[j + this.q] = text.charCodeAt(j);
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
