/**
 * One vertical time axis shared by one to four ladders. Items (packets, firewall events) carry a
 * time relative to their ladder's alignment point (first FIN or RST), so ladders line up there.
 *
 * - proportional: y is linear in time (d3 scaleLinear); items of one ladder at the same instant are
 *   nudged apart by a few pixels so none hides another.
 * - compressed: each distinct instant gets a row; the gap to the next grows slowly with idle time
 *   (log scale) and gaps past FOLD_US are folded into a fixed-height break that says how long it was.
 * - even: each distinct instant gets one row, whatever the gap.
 */
import { scaleLinear } from 'd3-scale';
import type { TimeMode } from './ladder-types';

export const ROW = 28;
export const TOP = 66;
export const BOTTOM = 24;
export const FOLD_US = 250_000;
const BREAK_H = 26;
const NUDGE = 10;

export interface AxisBreak {
  y: number;
  idleUs: number;
}

export interface AxisTick {
  y: number;
  us: number;
}

export interface TimeAxis {
  /** ys[ladder][item]: y of each item, in the order given. */
  ys: number[][];
  height: number;
  breaks: AxisBreak[];
  /** Proportional mode only: round-number ticks. */
  ticks: AxisTick[];
  /** y of relative time 0 (the alignment point), or null when no item sits at 0. */
  zeroY: number | null;
}

/**
 * times[ladder] = relative times (µs) of that ladder's items, sorted ascending; extra[ladder][item]
 * = additional px needed below an item (e.g. an anomaly note under its arrow).
 */
export function buildTimeAxis(times: number[][], mode: TimeMode, zoom = 1, extra?: number[][]): TimeAxis {
  const ex = (l: number, i: number) => extra?.[l]?.[i] ?? 0;
  const row = ROW * zoom;
  const ys = times.map((t) => new Array<number>(t.length).fill(TOP));
  const all = times.flat();
  if (!all.length) return { ys, height: TOP + BOTTOM + row, breaks: [], ticks: [], zeroY: null };

  if (mode === 'proportional') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of all) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    const maxCount = Math.max(...times.map((t) => t.length));
    const span = Math.min(1400, Math.max(260, maxCount * ROW)) * zoom;
    const y = scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([TOP, TOP + span]);
    let bottom = TOP + span;
    times.forEach((list, l) => {
      let prev = -Infinity;
      list.forEach((t, i) => {
        const v = Math.max(y(t), prev + NUDGE * zoom);
        ys[l][i] = v;
        prev = v + ex(l, i);
        bottom = Math.max(bottom, v);
      });
    });
    const ticks = y.ticks(6).map((us) => ({ us, y: y(us) }));
    const zeroY = lo <= 0 && hi >= 0 ? y(0) : null;
    return { ys, height: bottom + BOTTOM, breaks: [], ticks, zeroY };
  }

  // Merge every ladder's items by time; walk distinct instants.
  const order: { t: number; l: number; i: number }[] = [];
  times.forEach((list, l) => list.forEach((t, i) => order.push({ t, l, i })));
  order.sort((a, b) => a.t - b.t || a.l - b.l || a.i - b.i);
  const breaks: AxisBreak[] = [];
  let cursor = TOP;
  let zeroY: number | null = null;
  let k = 0;
  let prevT = NaN;
  while (k < order.length) {
    const t = order[k].t;
    if (!Number.isNaN(prevT)) {
      const gap = t - prevT;
      if (mode === 'compressed' && gap >= FOLD_US) {
        breaks.push({ y: cursor + (row + BREAK_H * zoom) / 2 - row / 2 + row / 2, idleUs: gap });
        cursor += row + BREAK_H * zoom;
      } else if (mode === 'compressed') {
        cursor += row + Math.min(22, 5 * Math.log10(1 + gap / 100)) * zoom;
      } else {
        cursor += row;
      }
    }
    if (t === 0) zeroY = cursor;
    // Items at this instant: stacked per ladder (offset = rows and notes of the items above).
    const offset = new Map<number, number>();
    let deepest = 0;
    while (k < order.length && order[k].t === t) {
      const { l, i } = order[k];
      const off = offset.get(l);
      const y = off === undefined ? 0 : off + row;
      ys[l][i] = cursor + y;
      offset.set(l, y + ex(l, i));
      deepest = Math.max(deepest, y + ex(l, i));
      k++;
    }
    cursor += deepest;
    prevT = t;
  }
  return { ys, height: cursor + row + BOTTOM, breaks, ticks: [], zeroY };
}
