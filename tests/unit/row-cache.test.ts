// The flow table's row cache on the page (src/ui/row-cache.ts): what it plans to fetch (the view first, a window
// ahead in the scroll direction, the ends), that it holds what it was given, and that it stays bounded, dropping the
// windows used least recently and never the one just fetched. Windows come from the worker's own flowWindow over a
// table of made-up rows.
import { describe, expect, it } from 'vitest';
import { AHEAD, ENDS, PAD, RowCache } from '../../src/ui/row-cache';
import { flowWindow } from '../../src/model/flow-window';
import type { FlowColumns } from '../../src/model/flow-table';

const N = 10_000; // MAX_WINDOW_ROWS: one flowWindow makes the whole table
/** A table whose row r starts at r µs and has r packets (so a held entry says which row it is). */
function table(): FlowColumns {
  const w = flowWindow({ count: 0 } as FlowColumns, new Uint32Array(N));
  for (let r = 0; r < N; r++) {
    w.startUs[r] = r;
    w.packets[r] = r;
  }
  return { ...w, count: N };
}
const all = table();
/** A query answer: the rows in descending order. */
const rows = Uint32Array.from({ length: N }, (_, i) => N - 1 - i);
const fetch = (c: RowCache, ids: Uint32Array) => c.add(ids, flowWindow(all, ids));

describe('RowCache', () => {
  it('plans the view first, then both sides, then ahead in the scroll direction, then the ends', () => {
    const c = new RowCache();
    const { ids, need } = c.plan(rows, 1000, 1039, 1);
    expect(need).toBe(40);
    expect([...ids.slice(0, 40)]).toEqual([...rows.slice(1000, 1040)]);
    const planned = new Set(ids);
    for (let i = 1000 - PAD; i < 1040 + AHEAD; i++) expect(planned.has(rows[i])).toBe(true);
    expect(planned.has(rows[1000 - PAD - 1])).toBe(false); // nothing far behind
    for (let i = 0; i < ENDS; i++) expect(planned.has(rows[i]) && planned.has(rows[N - 1 - i])).toBe(true);
    // Scrolling up: the window ahead is above.
    const up = new Set(c.plan(rows, 5000, 5039, -1).ids);
    expect(up.has(rows[5000 - AHEAD])).toBe(true);
    expect(up.has(rows[5039 + PAD + 1])).toBe(false);
  });

  it('holds what it fetched, and plans nothing more for a view it holds', () => {
    const c = new RowCache();
    fetch(c, c.plan(rows, 2000, 2039, 1).ids);
    expect(c.covers(rows, 2000, 2039)).toBe(true);
    expect(c.plan(rows, 2000, 2039, 1).ids.length).toBe(0);
    const got = c.get(rows[2500])!;
    expect(got.c.packets[got.k]).toBe(rows[2500]);
    expect(c.get(rows[2000 + AHEAD + 100])).toBeNull();
    // A view a screen further down needs nothing new: it was fetched ahead.
    expect(c.covers(rows, 2400, 2439)).toBe(true);
  });

  it('stays bounded, dropping the windows used least recently', () => {
    const c = new RowCache(5000);
    const ids = (from: number) => Uint32Array.from({ length: 1000 }, (_, i) => from + i);
    for (let w = 0; w < 5; w++) fetch(c, ids(w * 1000));
    expect(c.size).toBe(5000);
    // The first window is in view again: the second is now the least recently used.
    expect(c.covers(Uint32Array.from(ids(0)), 0, 999)).toBe(true);
    fetch(c, ids(8000));
    expect(c.size).toBeLessThanOrEqual(5000);
    expect(c.get(0)).not.toBeNull();
    expect(c.get(1000)).toBeNull();
    expect(c.get(8999)!.c.packets[c.get(8999)!.k]).toBe(8999);
    // Rows fetched again move to the new window; the old one keeps only the rest.
    fetch(c, Uint32Array.from({ length: 500 }, (_, i) => 2500 + i));
    expect(c.get(2600)!.c.packets[c.get(2600)!.k]).toBe(2600);
    expect(c.size).toBeLessThanOrEqual(5000);
    // One window bigger than the bound is kept whole (it is the view).
    const big = new RowCache(100);
    fetch(big, ids(0));
    expect(big.size).toBe(1000);
  });
});
