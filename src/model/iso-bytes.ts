/**
 * A time's JSON text (isoTime's, quoted) written as bytes: `"2018-06-20T12:00:47.` made once per second (by
 * isoSecondText, isoTime's own, so the text has one definition) and kept in a slot by second, then the six digits of
 * the microsecond and `Z"`. For the millions of stamps of `analyze --json`/`--ndjson` on a big log, which kept each
 * distinct time's bytes in a map by its microsecond (a hashed heap number per stamp). One per member written (a
 * writer's own state, none shared): a member's rows in log order fall in the last few minutes' seconds.
 */
import type { JsonBytes } from '../lib/json-bytes';
import { inDateRange, isoSecondText, secondOf } from './report';

export class IsoBytes {
  /** By slot (second mod SLOTS): the second kept there, and `"` + isoTime's text of it up to its `.` (≤ 32 bytes). */
  private readonly seconds = new Float64Array(SLOTS).fill(NaN);
  private readonly prefixes = new Uint8Array(SLOTS * 32);
  private readonly lengths = new Uint8Array(SLOTS);

  /** Writes `"` + isoTime(timeUs) + `"` into w; false (nothing written) for a time isoTime writes as raw seconds. */
  write(w: JsonBytes, timeUs: number): boolean {
    if (!inDateRange(timeUs)) return false;
    const whole = Math.floor(timeUs);
    const second = secondOf(whole);
    const slot = second & (SLOTS - 1);
    if (this.seconds[slot] !== second) this.keep(slot, second);
    const p = this.prefixes;
    const at = slot * 32;
    const len = this.lengths[slot];
    w.room(len + 8);
    const buf = w.buf;
    let n = w.n;
    for (let j = 0; j < len; j++) buf[n + j] = p[at + j];
    n += len;
    // The microsecond, 0 to 999,999, as six digits (integer division: in 31 bits).
    let x = (whole - second * 1e6) | 0;
    for (let d = 5; d >= 0; d--) {
      const q = (x / 10) | 0;
      buf[n + d] = 48 + x - q * 10;
      x = q;
    }
    buf[n + 6] = 90; // Z
    buf[n + 7] = 34;
    w.n = n + 8;
    return true;
  }

  private keep(slot: number, second: number): void {
    const text = isoSecondText(second); // ASCII
    const len = text.length + 2; // `"`, the text and `.`
    const at = slot * 32;
    this.prefixes[at] = 34;
    for (let j = 1; j < len - 1; j++) this.prefixes[at + j] = text.charCodeAt(j - 1);
    this.prefixes[at + len - 1] = 46;
    this.lengths[slot] = len;
    this.seconds[slot] = second;
  }
}

/** Seconds kept (the last SLOTS seconds written, if consecutive): a log's connection ends are minutes apart at most. */
const SLOTS = 256;
