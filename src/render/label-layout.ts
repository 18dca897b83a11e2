/**
 * Text on a ladder never overprints: every label gets a box (from estimated glyph widths of the fonts styles.css
 * gives them) and is placed in priority order; a label whose box would overlap one already placed, or leave the
 * ladder, is moved where it has a place to go (lane addresses slide inward) or left out (arrow labels, times,
 * anomaly notes: the accessible name and the details line still carry them). No DOM: the boxes are estimates, the
 * e2e screenshots check them against real fonts.
 */

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Average advance of one character, px, per kind of text (system-ui at the sizes styles.css sets). */
export const CHAR_W = {
  /** Arrow labels, 11 px; the flags part is bold. */
  label: 6.1,
  labelBold: 6.9,
  /** Anomaly notes, 10 px semibold. */
  note: 5.8,
  /** Times in the left column, 10.5 px tabular. */
  time: 6.0,
  /** Endpoint states, 10 px semibold capitals, in a pill. */
  state: 6.9,
  /** Lane names, 13 px bold. */
  lane: 7.9,
  /** Lane sublabels (addresses), 11 px. */
  sub: 6.3,
  /** Firewall events and fold notes, 11 px. */
  event: 6.3,
  /** A deny's text is semibold. */
  eventBold: 6.9,
} as const;

/** Padding of a state pill on each side, and its height. */
export const PILL_PAD = 5;
export const PILL_H = 14;

/** Box of a text with its baseline at y (height from 0.8 em above to 0.25 em below). */
export function textBox(x: number, y: number, width: number, anchor: 'start' | 'middle' | 'end', size = 11): Box {
  const x0 = anchor === 'start' ? x : anchor === 'end' ? x - width : x - width / 2;
  return { x0, y0: y - size * 0.8, x1: x0 + width, y1: y + size * 0.25 };
}

/** Box of a text centred on (cx, y baseline), rotated by `angle` degrees about (cx, pivotY): its bounding box. */
export function rotatedTextBox(cx: number, y: number, width: number, angle: number, pivotY: number, size = 11): Box {
  const b = textBox(cx, y, width, 'middle', size);
  const r = (angle * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [x, yy] of [[b.x0, b.y0], [b.x1, b.y0], [b.x0, b.y1], [b.x1, b.y1]]) {
    const dx = x - cx;
    const dy = yy - pivotY;
    xs.push(cx + dx * cos - dy * sin);
    ys.push(pivotY + dx * sin + dy * cos);
  }
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** A straight line from (x1, y1) to (x2, y2). */
export type Line = [number, number, number, number];

/** Does the line pass through the box (grown by `pad` px)? Clips the line to the box (Liang-Barsky). */
export function crosses([x1, y1, x2, y2]: Line, b: Box, pad = 1): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [[-dx, x1 - (b.x0 - pad)], [dx, b.x1 + pad - x1], [-dy, y1 - (b.y0 - pad)], [dy, b.y1 + pad - y1]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Boxes placed so far, bucketed by height so a ladder of thousands of arrows stays linear. */
export class Placed {
  private readonly rows = new Map<number, Box[]>();
  readonly all: { box: Box; what: string }[] = [];
  constructor(readonly width: number) {}

  private span(b: Box): [number, number] {
    return [Math.floor(b.y0 / 32), Math.floor(b.y1 / 32)];
  }

  inside(b: Box): boolean {
    return b.x0 >= 0 && b.x1 <= this.width;
  }

  free(b: Box): boolean {
    if (!this.inside(b)) return false;
    const [r0, r1] = this.span(b);
    for (let r = r0; r <= r1; r++) for (const o of this.rows.get(r) ?? []) if (overlaps(o, b)) return false;
    return true;
  }

  add(b: Box, what: string): void {
    const [r0, r1] = this.span(b);
    for (let r = r0; r <= r1; r++) {
      const list = this.rows.get(r);
      if (list) list.push(b);
      else this.rows.set(r, [b]);
    }
    this.all.push({ box: b, what });
  }

  /** Places `b` when it is free; says whether it did. */
  tryAdd(b: Box, what: string): boolean {
    if (!this.free(b)) return false;
    this.add(b, what);
    return true;
  }
}

/** Width of an arrow label: its flags part bold, the rest regular, two spaces between. */
export function labelWidth(flags: string, rest: string): number {
  return flags.length * CHAR_W.labelBold + (flags && rest ? 2 * CHAR_W.label : 0) + rest.length * CHAR_W.label;
}

/** Width of a state pill. */
export function pillWidth(text: string): number {
  return text.length * CHAR_W.state + 2 * PILL_PAD;
}
