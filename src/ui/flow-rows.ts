/**
 * The flow table's rows on the page: the columns stay in the worker, and the table asks for the rows it draws, a
 * window at a time (EngineApi.flowRows, model/flow-window.ts). A new query answer is shown once the rows it puts in
 * view have their data, so the table goes from one whole state to the next (never a mix of old and new rows);
 * scrolling past the window shows empty rows for the moment the next window takes.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { FlowColumns, FlowOverview } from '../engine/api';
import { fetchFlowRows } from '../worker/client';
import { useRowWindow, type RowWindow } from './row-window';

/** Rows fetched on each side of the ones in view, so a short scroll needs no new window. */
const PAD = 150;

interface RowData {
  /** The load these rows are of. */
  flows: FlowOverview;
  /** Table row -> entry in `c`. */
  at: Map<number, number>;
  c: FlowColumns;
}

export interface ShownRows {
  /** The query answer shown (the latest one once its rows in view have data). */
  rows: Uint32Array | null;
  /** The columns and entry of table row `r`, or null while its window is on the way. */
  data: (r: number) => { c: FlowColumns; k: number } | null;
  /** The row window over `rows` (row-window.ts). */
  view: RowWindow;
}

function covers(d: RowData | null, flows: FlowOverview, rows: Uint32Array, first: number, last: number): d is RowData {
  if (!d || d.flows !== flows) return false;
  for (let i = first; i <= last; i++) if (!d.at.has(rows[i])) return false;
  return true;
}

/** `rows`: the latest query answer; `scroller`, `body`, `rowHeight` as for useRowWindow. */
export function useShownRows(
  flows: FlowOverview, rows: Uint32Array | null,
  scroller: RefObject<HTMLElement | null>, body: RefObject<HTMLElement | null>, rowHeight: number,
): ShownRows {
  const [shown, setShown] = useState<{ rows: Uint32Array | null; d: RowData | null }>({ rows: null, d: null });
  const view = useRowWindow(scroller, body, shown.rows?.length ?? 0, rowHeight);
  const busy = useRef(false);
  const first = view.rows.length ? view.rows[0].index : 0;
  const last = view.rows.length ? view.rows[view.rows.length - 1].index : -1;
  const { rangeFor } = view;

  useEffect(() => {
    if (busy.current) return; // the answer re-runs this
    if (!rows) {
      if (shown.rows) setShown({ rows: null, d: null });
      return;
    }
    const range = rows === shown.rows ? { first, last } : rangeFor(rows.length);
    if (covers(shown.d, flows, rows, range.first, range.last)) {
      if (rows !== shown.rows) setShown({ rows, d: shown.d });
      return;
    }
    const ids = rows.slice(Math.max(0, range.first - PAD), Math.min(rows.length, range.last + 1 + PAD));
    busy.current = true;
    fetchFlowRows(ids).then(
      (c) => {
        busy.current = false;
        const at = new Map<number, number>();
        for (let k = 0; k < ids.length; k++) at.set(ids[k], k);
        setShown({ rows, d: { flows, at, c } });
      },
      () => {
        busy.current = false; // the engine stopped: the page says so (worker/client.ts)
      },
    );
  }, [flows, rows, shown, first, last, rangeFor]);

  const d = shown.d?.flows === flows ? shown.d : null;
  return {
    rows: shown.rows,
    view,
    data: (r) => {
      const k = d?.at.get(r);
      return k === undefined ? null : { c: d!.c, k };
    },
  };
}
