/**
 * Windowing for a table of fixed-height rows: which rows are in view, and where each sits, computed from the scroll
 * position alone. A general virtualiser keeps one measurement object per row (a million rows cost a 100 ms task on
 * every count change); rows of one height need none.
 *
 * Browsers cap an element's height (Chromium near 33.5 M px, Firefox near 17.9 M px), so above MAX_SCROLL_PX the
 * scroll range is compressed: the scroll position maps proportionally onto the rows, and the rows in view are drawn
 * relative to the current scroll position, so they stay exactly one row height apart.
 */
import { useCallback, useEffect, useState, type RefObject } from 'react';

export const MAX_SCROLL_PX = 8_000_000;

export interface WindowRow {
  index: number;
  /** Top of the row inside the row group, in px. */
  top: number;
}

export interface RowWindow {
  rows: WindowRow[];
  /** Height of the row group (capped at MAX_SCROLL_PX). */
  height: number;
  /** Scrolls the least needed to show row `index` whole. */
  scrollToIndex: (index: number) => void;
  /**
   * The first and last row index in view (with overscan) if the table had `count` rows at the current scroll
   * position (kept inside that table's range); last < first when none.
   */
  rangeFor: (count: number) => { first: number; last: number };
}

interface Viewport {
  scrollTop: number;
  height: number;
  /** The row group's top inside the scroller (below a sticky header). */
  offset: number;
}

/** The pure part: rows in view for a scroll position. */
export function windowRows(count: number, rowHeight: number, view: Viewport, overscan: number): { rows: WindowRow[]; height: number } {
  const full = count * rowHeight;
  const height = Math.min(full, MAX_SCROLL_PX);
  if (count === 0) return { rows: [], height: 0 };
  const visibleH = Math.max(0, view.height - view.offset);
  const top = Math.max(0, view.scrollTop);
  // Where the view's top falls in the full, uncompressed table.
  const virtualTop = height < full ? Math.floor((top / Math.max(1, height - visibleH)) * (full - visibleH)) : top;
  const first = Math.max(0, Math.floor(virtualTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.floor((virtualTop + visibleH) / rowHeight) + overscan);
  const rows: WindowRow[] = [];
  for (let i = first; i <= last; i++) rows.push({ index: i, top: top + i * rowHeight - virtualTop });
  return { rows, height };
}

/** The scroll position that shows row `index` whole, or null when it is already in view. */
export function scrollFor(count: number, rowHeight: number, view: Viewport, index: number): number | null {
  const full = count * rowHeight;
  const height = Math.min(full, MAX_SCROLL_PX);
  const visibleH = Math.max(rowHeight, view.height - view.offset);
  const scale = height < full ? (full - visibleH) / Math.max(1, height - visibleH) : 1;
  const virtualTop = view.scrollTop * scale;
  const rowTop = index * rowHeight;
  if (rowTop >= virtualTop && rowTop + rowHeight <= virtualTop + visibleH) return null;
  // Whole pixels, rounded towards the row, as the browser keeps scrollTop.
  const to = rowTop < virtualTop ? Math.floor(rowTop / scale) : Math.ceil((rowTop + rowHeight - visibleH) / scale);
  return Math.max(0, Math.min(height - visibleH, to));
}

const viewOf = (el: HTMLElement, body: HTMLElement | null): Viewport => ({ scrollTop: el.scrollTop, height: el.clientHeight, offset: body?.offsetTop ?? 0 });

/** `body` is the row group, positioned inside `scroller` (its offsetTop is measured below any sticky header). */
export function useRowWindow(scroller: RefObject<HTMLElement | null>, body: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 8): RowWindow {
  const [view, setView] = useState<Viewport>({ scrollTop: 0, height: 600, offset: 0 });
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const read = () => {
      const next = viewOf(el, body.current);
      setView((v) => (v.scrollTop === next.scrollTop && v.height === next.height && v.offset === next.offset ? v : next));
    };
    read();
    el.addEventListener('scroll', read, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize.disconnect();
    };
  }, [scroller, body, rowHeight]);
  const { rows, height } = windowRows(count, rowHeight, view, overscan);
  const scrollToIndex = useCallback((index: number) => {
    const el = scroller.current;
    if (!el) return;
    const to = scrollFor(count, rowHeight, viewOf(el, body.current), index);
    if (to !== null) el.scrollTop = to;
  }, [scroller, body, count, rowHeight]);
  const rangeFor = useCallback((count: number) => {
    const visibleH = Math.max(0, view.height - view.offset);
    const maxTop = Math.max(0, Math.min(count * rowHeight, MAX_SCROLL_PX) - visibleH);
    const w = windowRows(count, rowHeight, { ...view, scrollTop: Math.min(view.scrollTop, maxTop) }, overscan).rows;
    return w.length ? { first: w[0].index, last: w[w.length - 1].index } : { first: 0, last: -1 };
  }, [view, rowHeight, overscan]);
  return { rows, height, scrollToIndex, rangeFor };
}
