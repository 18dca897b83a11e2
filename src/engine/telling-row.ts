/**
 * Which connection to open first: the one most worth a look (denied/dropped, then RST closes). Chosen in the worker
 * with the load (LoadResult.tellingRow): a pass over a million rows is a long task on the page's thread.
 */
import type { FlowColumns } from '../model/flow-table';
import { MARK_DENIED, MARK_DROPPED } from '../model/flow-table';
import { kindCode } from '../model/close-kinds';

export function pickTellingRow(c: FlowColumns): number | null {
  if (!c.count) return null;
  const finRst = kindCode('fin-then-rst');
  const reset = kindCode('reset');
  const refused = kindCode('refused');
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < c.count; i++) {
    let s = 0;
    if (c.marks[i] & (MARK_DENIED | MARK_DROPPED)) s += 4;
    const k = c.kind[i];
    if (k === finRst) s += 3;
    else if (k === reset || k === refused) s += 2;
    if (c.anomalies[i] > 0) s += 1;
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}
