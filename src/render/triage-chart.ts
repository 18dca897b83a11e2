/**
 * Geometry of the firewall triage panel's charts as plain data (d3-scale, d3-shape; no DOM): the deny timeline
 * (bars per bucket stacked by class, builds and teardowns as faint lines on their own scale, UTC time ticks) and
 * horizontal count bars. The panel (ui/triage) only draws what this returns.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import { utcFormat } from 'd3-time-format';
import { DENY_CLASSES, type DenyClassName } from '../model/firewall-triage';

/** Colour (a CSS variable of ui/triage/triage.css) per deny class, declared once. */
export const DENY_CLASS_COLOR: Record<DenyClassName, string> = {
  'late-close': '--deny-late',
  'idle-timeout': '--deny-idle',
  'no-connection': '--deny-none',
};

const CLASSES = DENY_CLASSES.length;

/** The timeline's input: what analysis/firewall/triage.ts TriageTimeline carries. */
export interface TimelineData {
  startUs: number;
  bucketUs: number;
  count: number;
  denies: ArrayLike<number>;
  builds: ArrayLike<number>;
  teardowns: ArrayLike<number>;
}

export interface TimelineBar {
  bucket: number;
  cls: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TimelineGeometry {
  width: number;
  height: number;
  /** Plot area. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  bars: TimelineBar[];
  /** Path data of the context lines (empty when there is nothing to draw). */
  builds: string;
  teardowns: string;
  ticks: { x: number; label: string }[];
  /** Highest stacked bucket (the y axis' top label). */
  max: number;
  /** Pixel <-> time (µs) along the plot. */
  x: (us: number) => number;
  time: (px: number) => number;
  /** Bucket under a pixel x, clamped. */
  bucketAt: (px: number) => number;
}

const fmtDay = utcFormat('%b %d');
const fmtHour = utcFormat('%H:%M');
const fmtSec = utcFormat('%H:%M:%S');

function tickLabel(d: Date, stepMs: number): string {
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
  if (stepMs >= 86400e3 || midnight) return fmtDay(d);
  return stepMs < 60e3 ? fmtSec(d) : fmtHour(d);
}

/**
 * `labelBand`: pixels kept free above the bars for a label drawn there (the spike's start), so the label never
 * overprints a bar however high the buckets under it stand.
 */
export function timelineGeometry(t: TimelineData, width: number, height: number, labelBand = 0): TimelineGeometry {
  const left = 44;
  const right = width - 8;
  const top = 6 + labelBand;
  const bottom = height - 18;
  const t0 = t.startUs;
  const t1 = t.startUs + t.count * t.bucketUs;
  const x = scaleLinear().domain([t0, t1]).range([left, right]);
  let max = 0;
  for (let b = 0; b < t.count; b++) {
    let s = 0;
    for (let c = 0; c < CLASSES; c++) s += t.denies[b * CLASSES + c];
    max = Math.max(max, s);
  }
  const y = scaleLinear().domain([0, Math.max(1, max)]).range([bottom, top]);
  const bw = Math.max(1, x(t0 + t.bucketUs) - x(t0));
  const gap = bw > 4 ? 1 : 0;
  const bars: TimelineBar[] = [];
  for (let b = 0; b < t.count; b++) {
    let base = 0;
    for (let c = 0; c < CLASSES; c++) {
      const n = t.denies[b * CLASSES + c];
      if (!n) continue;
      const y0 = y(base);
      const y1 = y(base + n);
      // At least one pixel: a single deny among thousands stays visible.
      bars.push({ bucket: b, cls: c, x: x(t0 + b * t.bucketUs), y: Math.min(y1, y0 - 1), w: bw - gap, h: Math.max(1, y0 - y1) });
      base += n;
    }
  }
  const context = (series: ArrayLike<number>): string => {
    let m = 0;
    for (let b = 0; b < t.count; b++) m = Math.max(m, series[b]);
    if (!m) return '';
    const cy = scaleLinear().domain([0, m]).range([bottom, top + (bottom - top) * 0.35]);
    const pts: [number, number][] = [];
    for (let b = 0; b < t.count; b++) pts.push([x(t0 + b * t.bucketUs), cy(series[b])]);
    pts.push([x(t1), cy(series[t.count - 1])]);
    return line().curve(curveStepAfter)(pts) ?? '';
  };
  const time = scaleUtc().domain([new Date(t0 / 1000), new Date(t1 / 1000)]).range([left, right]);
  const dates = time.ticks(Math.max(2, Math.floor((right - left) / 90)));
  const stepMs = dates.length > 1 ? dates[1].getTime() - dates[0].getTime() : t.bucketUs / 1000;
  return {
    width, height, left, right, top, bottom, bars, max,
    builds: context(t.builds),
    teardowns: context(t.teardowns),
    ticks: dates.map((d) => ({ x: time(d), label: tickLabel(d, stepMs) })),
    x: (us) => x(us),
    time: (px) => x.invert(px),
    bucketAt: (px) => Math.max(0, Math.min(t.count - 1, Math.floor((x.invert(px) - t0) / t.bucketUs))),
  };
}

/** Horizontal bars for counts (teardown reasons, hosts): sqrt width, so one odd row stays visible beside many. */
export function countBars(counts: readonly number[], width: number): number[] {
  const max = Math.max(1, ...counts);
  const x = scaleLinear().domain([0, Math.sqrt(max)]).range([0, width]);
  return counts.map((n) => (n > 0 ? Math.max(2, x(Math.sqrt(n))) : 0));
}
