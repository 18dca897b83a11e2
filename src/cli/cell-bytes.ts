/**
 * Cells the readable tables' blocks (table-blocks.ts) write straight as bytes, with no string per cell: an IPv4
 * address from its value, a time as model/report.ts isoTime prints it.
 */
import type { JsonBytes } from '../lib/json-bytes';
import { inDateRange, isoTime, secondOf } from '../model/report';

/** An IPv4 address (uint32) in dotted form. */
export function ipv4Bytes(w: JsonBytes, code: number): void {
  w.room(15);
  const buf = w.buf;
  let n = w.n;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const o = (code >>> shift) & 255;
    if (o >= 100) {
      const h = (o / 100) | 0;
      buf[n++] = 48 + h;
      const t = ((o - h * 100) / 10) | 0;
      buf[n++] = 48 + t;
      buf[n++] = 48 + o - h * 100 - t * 10;
    } else if (o >= 10) {
      const t = (o / 10) | 0;
      buf[n++] = 48 + t;
      buf[n++] = 48 + o - t * 10;
    } else buf[n++] = 48 + o;
    if (shift) buf[n++] = 46;
  }
  w.n = n;
}

/**
 * isoTime(us) as bytes: the text up to the fraction kept for the last second written (logs stamp many rows with
 * one second), then the microseconds.
 */
export class TimeBytes {
  /** isoTime's text of the second `second` up to its fraction ("2018-06-20T12:00:47."). */
  private second = NaN;
  private readonly prefix = new Uint8Array(20);

  /** Writes isoTime(us) into `w`; false, with nothing written, for a time isoTime prints otherwise (a year not of four digits, out of range). */
  write(w: JsonBytes, us: number): boolean {
    if (!inDateRange(us)) return false;
    const whole = Math.floor(us);
    const second = secondOf(whole);
    const micros = whole - second * 1e6;
    const p = this.prefix;
    if (second !== this.second) {
      const s = isoTime(us);
      if (s.length !== 27) return false;
      for (let i = 0; i < 20; i++) p[i] = s.charCodeAt(i);
      this.second = second;
    }
    w.room(27);
    const buf = w.buf;
    const n = w.n;
    for (let i = 0; i < 20; i++) buf[n + i] = p[i];
    for (let i = n + 25, x = micros | 0; i > n + 19; i--) {
      const q = (x / 10) | 0;
      buf[i] = 48 + x - q * 10;
      x = q;
    }
    buf[n + 26] = 90; // Z
    w.n = n + 27;
    return true;
  }
}
