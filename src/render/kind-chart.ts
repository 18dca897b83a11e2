/** Bars of the "connections per close kind" summary (d3 scales, no DOM). */
import { scaleBand, scaleLinear } from 'd3-scale';
import type { CloseKind } from '../model/report';
import { CLOSE_KINDS, KIND_STYLE } from '../model/close-kinds';

export interface KindBar {
  kind: CloseKind;
  label: string;
  count: number;
  y: number;
  h: number;
  w: number;
  colorVar: string;
}

export const LABEL_W = 104;
export const COUNT_W = 58;

/** One bar per kind that occurs, in the fixed kind order. */
export function kindBars(counts: ReadonlyMap<CloseKind | null, number>, width: number, rowH = 20): { bars: KindBar[]; height: number } {
  const kinds = CLOSE_KINDS.filter((k) => (counts.get(k) ?? 0) > 0);
  const max = Math.max(1, ...kinds.map((k) => counts.get(k) ?? 0));
  const height = Math.max(1, kinds.length) * rowH;
  const y = scaleBand<string>().domain(kinds).range([0, height]).paddingInner(0.2);
  // sqrt keeps a single odd connection visible next to 100,000 clean ones.
  const x = scaleLinear().domain([0, Math.sqrt(max)]).range([0, Math.max(20, width - LABEL_W - COUNT_W)]);
  const bars = kinds.map((k) => {
    const count = counts.get(k) ?? 0;
    return {
      kind: k, label: KIND_STYLE[k].label, count,
      y: y(k) ?? 0, h: y.bandwidth(), w: Math.max(3, x(Math.sqrt(count))), colorVar: KIND_STYLE[k].colorVar,
    };
  });
  return { bars, height };
}
