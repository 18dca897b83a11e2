/**
 * One vertical time axis shared by one to four ladders. Items (packets, firewall events) carry a
 * time relative to their ladder's alignment point (first FIN or RST), so ladders line up there.
 *
 * - proportional: y is linear in time (d3 scaleLinear); items of one ladder at the same instant are
 *   nudged apart by a few pixels so none hides another.
 * - compressed: each distinct instant gets a row; the gap to the next grows slowly with idle time
 *   (log scale) and gaps past FOLD_US are folded into a fixed-height break that says how long it was.
 * - even: each distinct instant gets one row, whatever the gap.
 * In both, side-by-side ladders keep one time order, but a ladder is not pushed down a whole row by
 * instants that belong only to another ladder (see STEP).
 */
import { scaleLinear } from 'd3-scale';
import type { TimeMode } from './ladder-types';

export const ROW = 28;
export const TOP = 66;
export const BOTTOM = 24;
export const FOLD_US = 250_000;
const BREAK_H = 26;
const NUDGE = 10;
/** Least distance between consecutive instants of different ladders (compressed and even modes). */
const STEP = 8;

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

  // Merge every ladder's items by time; walk distinct instants. Each instant sits below everything
  // drawn before it (one shared time order, STEP apart), but a ladder only needs a full row below its
  // OWN previous item: time that belongs to another ladder costs a ladder STEP px, not a row.
  const order: { t: number; l: number; i: number }[] = [];
  times.forEach((list, l) => list.forEach((t, i) => order.push({ t, l, i })));
  order.sort((a, b) => a.t - b.t || a.l - b.l || a.i - b.i);
  const breaks: AxisBreak[] = [];
  const step = STEP * zoom;
  const lastBottom = times.map(() => -Infinity);
  const lastT = times.map(() => NaN);
  let floor = TOP - step;
  let zeroY: number | null = null;
  let k = 0;
  let prevT = NaN;
  while (k < order.length) {
    const t = order[k].t;
    let cursor = TOP;
    if (!Number.isNaN(prevT)) {
      if (mode === 'compressed' && t - prevT >= FOLD_US) {
        breaks.push({ y: floor + (row + BREAK_H * zoom) / 2, idleUs: t - prevT });
        cursor = floor + row + BREAK_H * zoom;
      } else {
        cursor = floor + step;
        for (let j = k; j < order.length && order[j].t === t; j++) {
          const l = order[j].l;
          if (lastBottom[l] === -Infinity) continue;
          const gap = t - lastT[l];
          const grow = mode === 'compressed' ? Math.min(22, 5 * Math.log10(1 + gap / 100)) * zoom : 0;
          cursor = Math.max(cursor, lastBottom[l] + row + grow);
        }
      }
    }
    if (t === 0) zeroY = cursor;
    // Items at this instant: stacked per ladder (offset = rows and notes of the items above).
    const offset = new Map<number, number>();
    while (k < order.length && order[k].t === t) {
      const { l, i } = order[k];
      const off = offset.get(l);
      const y = off === undefined ? 0 : off + row;
      ys[l][i] = cursor + y;
      offset.set(l, y + ex(l, i));
      lastBottom[l] = cursor + y + ex(l, i);
      lastT[l] = t;
      floor = Math.max(floor, lastBottom[l]);
      k++;
    }
    prevT = t;
  }
  return { ys, height: floor + row + BOTTOM, breaks, ticks: [], zeroY };
}
