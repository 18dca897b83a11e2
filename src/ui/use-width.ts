/** The inner width of an element, kept up to date as it resizes (updates at low priority: a re-layout follows). */
import { startTransition, useEffect, useState, type RefObject } from 'react';

export function useWidth(ref: RefObject<HTMLElement | null>, initial = 900): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => startTransition(() => setWidth(el.clientWidth)));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** The inner height of an element, kept up to date as it resizes (as useWidth). */
export function useHeight(ref: RefObject<HTMLElement | null>, initial = 600): number {
  const [height, setHeight] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => startTransition(() => setHeight(el.clientHeight)));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [ref]);
  return height;
}
