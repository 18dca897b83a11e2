/**
 * Cells the readable tables' blocks (table-blocks.ts) write straight as bytes, with no string per cell: an IPv4
 * address from its value (a time's cells: model/iso-bytes.ts, unquoted).
 */
import { dottedIpv4, type JsonBytes } from '../lib/json-bytes';

/** An IPv4 address (uint32) in dotted form. */
export function ipv4Bytes(w: JsonBytes, code: number): void {
  w.room(15);
  w.n = dottedIpv4(w.buf, w.n, code);
}
