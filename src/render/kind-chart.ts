/** Bars of the summaries: connections per close kind, and per end a firewall log gives (d3 scales, no DOM). */
import { scaleBand, scaleLinear } from 'd3-scale';
import type { CloseKind } from '../model/report';
import { CLOSE_KINDS, KIND_STYLE } from '../model/close-kinds';
import type { LogEndCount, LogEndGroup } from '../model/log-ends';

export interface Bar<K> {
  kind: K;
  label: string;
  count: number;
  y: number;
  h: number;
  w: number;
  colorVar: string;
}

export type KindBar = Bar<CloseKind>;

export const LABEL_W = 104;
export const COUNT_W = 58;

/**
 * One bar per item, in the order given (items with a count of 0 are left out); `scaleMax`: the count the longest bar
 * stands for when the bars are one column of several (the columns then share a scale).
 */
export function chartBars<K>(items: readonly { kind: K; label: string; count: number; colorVar: string }[], width: number, rowH = 20, scaleMax = 0): { bars: Bar<K>[]; height: number } {
  const shown = items.filter((i) => i.count > 0);
  const max = Math.max(1, scaleMax, ...shown.map((i) => i.count));
  const height = Math.max(1, shown.length) * rowH;
  const y = scaleBand<number>().domain(shown.map((_, k) => k)).range([0, height]).paddingInner(0.2);
  // sqrt keeps a single odd connection visible next to 100,000 clean ones.
  const x = scaleLinear().domain([0, Math.sqrt(max)]).range([0, Math.max(20, width - LABEL_W - COUNT_W)]);
  const bars = shown.map((i, k) => ({ ...i, y: y(k) ?? 0, h: y.bandwidth(), w: Math.max(3, x(Math.sqrt(i.count))) }));
  return { bars, height };
}

/** One bar per kind that occurs, in the fixed kind order. */
export function kindBars(counts: ReadonlyMap<CloseKind | null, number>, width: number, rowH = 20): { bars: KindBar[]; height: number } {
  return chartBars(CLOSE_KINDS.map((k) => ({ kind: k, label: KIND_STYLE[k].label, count: counts.get(k) ?? 0, colorVar: KIND_STYLE[k].colorVar })), width, rowH);
}

/** One bar per log-end group that occurs (model/log-ends.ts logEndCounts), in its order. */
export function logEndBars(ends: readonly LogEndCount[], width: number, rowH = 20, scaleMax = 0): { bars: Bar<LogEndGroup>[]; height: number } {
  return chartBars(ends.map((e) => ({ kind: e.group, label: e.group.label, count: e.count, colorVar: e.group.colorVar })), width, rowH, scaleMax);
}

/**
 * logEndBars in columns of at most `rows` bars each (the groups that occur, in order, filling the first column
 * first), on one scale: a log's many ends side by side instead of one tall column beside the filters.
 */
export function logEndColumns(ends: readonly LogEndCount[], width: number, rowH: number, rows: number): { bars: Bar<LogEndGroup>[]; height: number }[] {
  const shown = ends.filter((e) => e.count > 0);
  const max = Math.max(0, ...shown.map((e) => e.count));
  const columns = Math.max(1, Math.ceil(shown.length / rows));
  const per = Math.ceil(shown.length / columns);
  return Array.from({ length: columns }, (_, c) => logEndBars(shown.slice(c * per, (c + 1) * per), width, rowH, max));
}
