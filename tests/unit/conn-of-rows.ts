// Each packet-table row's connection, from the connections' row lists (the table keeps no such column).
import type { TrackedConnections } from '../../src/analysis/tracked';

export function connOfRows(t: TrackedConnections, rows: number): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  for (let i = 0; i < t.count; i++) for (const row of t.rows(i)) out[row] = i;
  return out;
}
