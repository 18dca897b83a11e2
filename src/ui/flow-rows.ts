/**
 * The flow table's rows on the page: the columns stay in the worker, and the table asks for the rows it draws
 * (EngineApi.flowRows, model/flow-window.ts), keeping them in a bounded cache (row-cache.ts) and fetching a window
 * ahead in the direction the user scrolls, so rows are there before they come into view. A new query answer is shown
 * once the rows it puts in view have their data, so the table goes from one whole state to the next (never a mix of
 * old and new rows). A jump far away (the scroll bar dragged) shows empty rows for the one round trip it takes.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { FlowColumns, FlowOverview } from '../engine/api';
import { fetchFlowRows } from '../worker/client';
import { RowCache } from './row-cache';
import { useRowWindow, type RowWindow } from './row-window';

export interface ShownRows {
  /** The query answer shown (the latest one once its rows in view have data). */
  rows: Uint32Array | null;
  /** The columns and entry of table row `r`, or null while its window is on the way. */
  data: (r: number) => { c: FlowColumns; k: number } | null;
  /** The row window over `rows` (row-window.ts). */
  view: RowWindow;
  /** Whether rows are being fetched (in view or ahead of it). */
  fetching: boolean;
}

/** How many tables back the rows of the same connections are drawn from while a table's own are on the way. */
const BEFORE_TABLES = 3;

function heldBefore(caches: readonly RowCache[], r: number): { c: FlowColumns; k: number } | null {
  for (const c of caches) {
    const at = c.get(r);
    if (at) return at;
  }
  return null;
}

/** What the next fetch is planned from: the answer to show and the positions in view. */
interface Want {
  rows: Uint32Array;
  first: number;
  last: number;
  dir: number;
}

/**
 * `rows`: the latest query answer; `scroller`, `body`, `rowHeight` as for useRowWindow. `rowsKey`: the same for two
 * tables whose row numbers are the same connections (a log's rows as they come, then the loaded table:
 * ui/live-table.ts); undefined for a table of its own.
 */
export function useShownRows(
  flows: FlowOverview, rows: Uint32Array | null,
  scroller: RefObject<HTMLElement | null>, body: RefObject<HTMLElement | null>, rowHeight: number, rowsKey?: number,
): ShownRows {
  const [shown, setShown] = useState<Uint32Array | null>(null);
  // One cache per table: a row number means another connection in the next load, and its values may have changed
  // in the next table of a log being read.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const cache = useMemo(() => new RowCache(), [flows]);
  // The last tables' caches, newest first, while their row numbers are the same connections: their rows are drawn
  // until the new values come, so the rows in view never go blank as a log's table takes in new rows each second, nor
  // when the loaded table follows. More than one: a table can follow the last before that one's rows have come (the
  // worker busy reading, or building the loaded table).
  const lastTable = useRef<{ cache: RowCache; key: number | undefined }>({ cache, key: rowsKey });
  const before = useRef<RowCache[]>([]);
  if (lastTable.current.cache !== cache) {
    before.current = rowsKey !== undefined && lastTable.current.key === rowsKey ? [lastTable.current.cache, ...before.current].slice(0, BEFORE_TABLES) : [];
    lastTable.current = { cache, key: rowsKey };
  }
  const [version, setVersion] = useState(0);
  const view = useRowWindow(scroller, body, shown?.length ?? 0, rowHeight);
  const first = view.rows.length ? view.rows[0].index : 0;
  const last = view.rows.length ? view.rows[view.rows.length - 1].index : -1;

  // The direction the view last moved in (kept across renders that do not move it).
  const lastFirst = useRef(0);
  const dir = useRef(0);
  if (rows && rows === shown && first !== lastFirst.current) {
    dir.current = Math.sign(first - lastFirst.current);
    lastFirst.current = first;
  }
  // Where the answer to show would be in view (a new answer is shown at the current scroll position).
  const range = rows && rows !== shown ? view.rangeFor(rows.length) : { first, last };
  // Rows still to fetch for this view, ahead of it included (none: everything planned is held).
  const missing = rows ? cache.plan(rows, range.first, range.last, dir.current).ids.length : 0;

  // Fetches planned from the latest view when they go out (a fast scroll never queues windows it has already
  // passed); `want` and `cacheNow` are read when an answer comes.
  const want = useRef<Want | null>(null);
  const cacheNow = useRef(cache);
  cacheNow.current = cache;
  // Requests out (at most two: a second only for rows in view while the first fetches rows ahead of it).
  const out = useRef(0);
  const viewOut = useRef(false);

  const pump = useCallback(() => {
    const w = want.current;
    const to = cacheNow.current;
    if (!w || out.current >= 2) return;
    const { ids: planned, need } = to.plan(w.rows, w.first, w.last, w.dir);
    if (!planned.length || (out.current === 1 && (viewOut.current || need === 0))) return;
    const ids = out.current === 1 ? planned.slice(0, need) : planned;
    const carriesView = need > 0;
    out.current++;
    if (carriesView) viewOut.current = true;
    const settle = () => {
      out.current--;
      if (carriesView) viewOut.current = false;
    };
    fetchFlowRows(ids).then(
      (c) => {
        settle();
        // Kept even for a table replaced meanwhile: a table of the same connections draws them until its own come.
        to.add(ids, c);
        if (cacheNow.current !== to) return pump();
        setVersion((v) => v + 1); // re-plans from the view as it is now
      },
      settle, // the engine stopped: the page says so (worker/client.ts)
    );
  }, []);

  useEffect(() => {
    if (!rows) {
      if (shown) setShown(null);
      want.current = null;
      return;
    }
    if (rows !== shown && cache.covers(rows, range.first, range.last)) {
      setShown(rows);
      return;
    }
    if (rows === shown) cache.covers(rows, range.first, range.last); // the windows in view are the last to go
    want.current = { rows, first: range.first, last: range.last, dir: dir.current };
    if (missing) pump();
  }, [cache, rows, shown, range.first, range.last, missing, version, pump]);

  return {
    rows: shown,
    view,
    fetching: missing > 0,
    data: (r) => cache.get(r) ?? heldBefore(before.current, r),
  };
}
