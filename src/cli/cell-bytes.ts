/**
 * Cells the readable tables' blocks (table-blocks.ts) write straight as bytes, with no string per cell: an IPv4
 * address from its value (a time's cells: model/iso-bytes.ts, unquoted).
 */
import type { JsonBytes } from '../lib/json-bytes';

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
