/**
 * The last step of a ladder's layout: every text placed so that none overprints another or leaves the ladder
 * (label-layout.ts has the boxes). In order of what matters most: lane names and addresses (addresses slide inward
 * to stay inside), firewall events, fold notes and idle gaps, the "first FIN" mark, endpoint states (on one lane
 * the later state wins), labels of SYN/FIN/RST arrows and of arrows with anomalies, then the other arrow labels,
 * TLS record names and anomaly notes, the times beside arrows, the axis ticks. What has no room is left out; every
 * arrow's accessible name and the details line still say everything.
 */
import type { ConnectionReport } from '../model/report';
import { stateName, toneLabelFirst } from './arrow-text';
import type { LadderGeometry } from './geometry-types';
import { CHAR_W, PILL_H, Placed, crosses, overlaps, pillWidth, rotatedTextBox, textBox, type Box, type Line } from './label-layout';
import type { EventGeo } from './geometry-types';
import { lowerBound } from '../lib/lower-bound';

/** Room the state pills need beside a lane: the widest state of these connections (within bounds). */
export function stateColumn(conns: readonly ConnectionReport[], narrow: boolean): number {
  let widest = 0;
  for (const c of conns) {
    for (const s of [...(c.close?.states.client ?? []), ...(c.close?.states.server ?? [])]) widest = Math.max(widest, pillWidth(stateName(s.state)));
  }
  // 6 px between lane and pill, 4 px to the ladder's edge.
  return Math.max(narrow ? 80 : 90, Math.min(112, Math.ceil(widest) + 10));
}

/** Where the top of the first row of arrows is drawn (ladder-svg.tsx). */
const TOP = 40;
export const EVENT_H = 20;
/** The words beside a packet dropped at the firewall (ladder-svg.tsx draws them). */
export const DROPPED = 'dropped';
/** Half an arrow's drop (SLOPE / 2 in ladder-geometry.ts) and a margin: how far from its y a shaft reaches. */
const SLOPE_PAD = 8;
/** Font sizes (styles.css). */
const SIZE = { label: 11, note: 10, time: 10.5, sub: 11, state: 10 } as const;

export function placeLabels(g: LadderGeometry): LadderGeometry {
  const placed = new Placed(g.width);
  const W = g.width;
  const left = g.lanes[0].x;
  const right = g.lanes[g.lanes.length - 1].x;

  // Lane names and addresses: an address wider than its place slides inward; one that would run into its
  // neighbour's is left out (the lane's title keeps it).
  // A lane name wider than its room (a firewall's or a lesson's long name on a narrow ladder) is cut with an
  // ellipsis; its title keeps it whole.
  g.lanes.forEach((l, k) => {
    const near = [g.lanes[k - 1], g.lanes[k + 1]].filter((o) => o).map((o) => Math.abs(o.x - l.x) - 8);
    const room = Math.min(2 * (l.x - 2), 2 * (W - l.x - 2), ...near);
    const fits = Math.max(3, Math.floor(room / CHAR_W.lane));
    if (l.label.length > fits) {
      l.title = l.title ? `${l.label} ${l.title}` : l.label;
      l.label = `${l.label.slice(0, fits - 1)}…`;
    }
    placed.add(textBox(l.x, 14, l.label.length * CHAR_W.lane, 'middle', 13), `lane ${l.role}`);
  });
  for (const l of g.lanes) {
    if (!l.sublabel) continue;
    const w = l.sublabel.length * CHAR_W.sub;
    const x = Math.min(Math.max(l.x, w / 2 + 2), W - w / 2 - 2);
    const b = textBox(x, 28, w, 'middle', SIZE.sub);
    if (placed.tryAdd(b, `address ${l.role}`)) {
      if (x !== l.x) l.subX = x;
    } else {
      l.title = l.title ? `${l.title} ${l.sublabel}` : l.sublabel;
      l.sublabel = '';
    }
  }

  const mid = (left + right) / 2;
  if (g.hiddenBefore > 0) placed.add(textBox(mid, TOP + 2, foldText(g.hiddenBefore, 'earlier', g.foldNotes?.before).length * CHAR_W.event, 'middle'), 'fold');
  for (const b of g.breaks) placed.add({ x0: left - 10, y0: b.y - 7, x1: right + 10, y1: b.y + 7 }, 'gap');
  // Arrow texts also keep off the other arrows' shafts (a label struck through by a line is not readable). An arrow
  // across two capture points has three pieces: its sender's half, the drop along the firewall lane, its other half.
  const segs: { k: number; line: Line; box: Box }[] = [];
  const seg = (k: number, x1: number, y1: number, x2: number, y2: number) =>
    segs.push({ k, line: [x1, y1, x2, y2], box: { x0: Math.min(x1, x2), y0: Math.min(y1, y2) - 1, x1: Math.max(x1, x2), y1: Math.max(y1, y2) + 1 } });
  g.arrows.forEach((a, k) => {
    seg(k, a.x1, a.y1, a.x2, a.y2);
    if (a.half) {
      seg(k, a.x2, a.y2, a.half.x1, a.half.y1);
      seg(k, a.half.x1, a.half.y1, a.half.x2, a.half.y2);
    }
  });
  segs.sort((x, y) => x.box.y1 - y.box.y1);
  const bottoms = segs.map((x) => x.box.y1);
  const tallest = segs.reduce((m, x) => Math.max(m, x.box.y1 - x.box.y0), 0);
  const clearOfShafts = (k: number, b: Box): boolean => {
    for (let j = lowerBound(bottoms, b.y0 - SLOPE_PAD); j < segs.length && bottoms[j] <= b.y1 + tallest + SLOPE_PAD; j++) {
      if (segs[j].k !== k && overlaps(segs[j].box, b)) return false;
    }
    return true;
  };
  const index = new Map(g.arrows.map((a, k) => [a, k]));
  const placeArrowText = (a: LadderGeometry['arrows'][number], b: Box, what: string): boolean =>
    placed.free(b) && clearOfShafts(index.get(a)!, b) && (placed.add(b, what), true);

  // A packet dropped at the firewall says so beside the lane, where the arrow ends.
  for (const a of g.arrows) {
    if (!a.dropped) continue;
    const w = DROPPED.length * CHAR_W.note;
    a.dropNote = placed.tryAdd(textBox(a.packet.fromClient ? a.x2 + 10 : a.x2 - 10, a.y2 + 16, w, a.packet.fromClient ? 'start' : 'end', SIZE.note), 'dropped');
  }
  // Firewall events sit on the firewall lane at their time; where that box would cover an arrow (two capture points
  // draw the receiver's half near the event's row) or a text, it moves beside the lane, then a little down or up.
  for (const e of g.events) placeEvent(e, placed, (b) => !segs.some((s) => crosses(s.line, b)));
  // An event moved below the last row makes the ladder that much taller; the "later packets" fold stays last.
  const fold = g.hiddenAfter > 0 ? 20 : 0;
  for (const e of g.events) g.height = Math.max(g.height, Math.ceil(e.y + EVENT_H / 2 + 8 + fold));
  if (fold) placed.add(textBox(mid, g.height - 12, foldText(g.hiddenAfter, 'later', g.foldNotes?.after).length * CHAR_W.event, 'middle'), 'fold');
  if (g.alignY !== null && g.alignLabel) {
    const text = g.alignLabel.split(' · ')[0];
    if (!placed.tryAdd(textBox(4, g.alignY + 16, text.length * CHAR_W.time, 'start', SIZE.time), 'first FIN')) g.alignLabel = '';
  }

  // States, latest first on each lane, so where two crowd the later one stays.
  const kept = new Set<number>();
  for (let i = g.states.length - 1; i >= 0; i--) {
    const s = g.states[i];
    const w = pillWidth(s.text);
    let x0 = s.anchor === 'end' ? s.x - w : s.x;
    x0 = Math.min(Math.max(x0, 1), W - w - 1);
    const b: Box = { x0, y0: s.y - PILL_H + 3, x1: x0 + w, y1: s.y + 3 };
    if (placed.tryAdd(b, `state ${s.side}`)) {
      s.x0 = b.x0;
      s.x1 = b.x1;
      kept.add(i);
    }
  }
  g.states = g.states.filter((_, i) => kept.has(i));

  // Arrow labels: the close's own packets and anomalies first.
  const important = (a: LadderGeometry['arrows'][number]) => toneLabelFirst(a.tone) || a.anomalies.length > 0;
  const order = [...g.arrows.filter(important), ...g.arrows.filter((a) => !important(a))];
  for (const a of order) {
    if (!a.label) continue;
    const w = a.labelFlags.length * CHAR_W.labelBold + (a.labelFlags && a.labelRest ? 2 * CHAR_W.label : 0) + a.labelRest.length * CHAR_W.label;
    if (!placeArrowText(a, rotatedTextBox(a.labelX, a.labelY, w, a.angle, a.labelY + 4, SIZE.label), 'arrow label')) {
      a.label = a.labelFlags = a.labelRest = '';
    }
  }
  // The receivers' halves (two capture points): their point's numbers, after every sender's half.
  for (const a of order) {
    const h = a.half;
    if (!h?.label) continue;
    const w = h.labelFlags.length * CHAR_W.labelBold + (h.labelFlags && h.labelRest ? 2 * CHAR_W.label : 0) + h.labelRest.length * CHAR_W.label;
    if (!placeArrowText(a, rotatedTextBox(h.labelX, h.labelY, w, h.angle, h.labelY + 4, SIZE.label), 'arrow label')) h.label = h.labelFlags = h.labelRest = '';
  }
  for (const a of order) {
    if (a.tls && !placeArrowText(a, rotatedTextBox(a.labelX, underY(a).tls, a.tls.length * CHAR_W.note, a.angle, a.labelY + 4, SIZE.note), 'tls')) a.tls = '';
    if (a.note && !placeArrowText(a, rotatedTextBox(a.labelX, underY(a).note, a.note.length * CHAR_W.note, a.angle, a.labelY + 4, SIZE.note), 'lesson note')) a.note = '';
    if (a.noteShown) {
      const note = `⚠ ${a.anomalies.join(', ')}`;
      if (!placeArrowText(a, rotatedTextBox(a.labelX, underY(a).anomaly, note.length * CHAR_W.note, a.angle, a.labelY + 4, SIZE.note), 'anomaly note')) a.noteShown = false;
    }
  }
  for (const a of g.arrows) {
    if (a.timeLabel && !placed.tryAdd(textBox(4, a.y + 4, a.timeLabel.length * CHAR_W.time, 'start', SIZE.time), 'time')) a.timeLabel = '';
  }
  for (const t of g.ticks) {
    if (t.label && !placed.tryAdd(textBox(4, t.y + 4, t.label.length * CHAR_W.time, 'start', SIZE.time), 'tick')) t.label = '';
  }
  g.textBoxes = placed.all;
  return g;
}

/** Width of a firewall event's box: its text (a deny's is semibold) and 8 px each side. */
export function eventWidth(e: Pick<EventGeo, 'kind' | 'text'>): number {
  return e.text.length * (e.kind === 'deny' ? CHAR_W.eventBold : CHAR_W.event) + 16;
}

/** Vertical moves tried for an event box, px: nearest first, later before earlier. */
const SHIFTS = [0, 6, -6, 12, -12, 18, 24, 30, 36, 42, 48];

/**
 * A firewall event's box: on the firewall lane at its time when that is free of texts and shafts, else beside the
 * lane (left, then right, its edge 4 px off it), then the same a little lower or higher (up to 48 px lower: an event
 * comes after the packet that caused it, so later is nearer the truth than earlier). At each height where the whole
 * text finds no place, its short form ("Teardown", "Deny RST") tries the same places (the title and accessible name
 * keep the whole). With no free place at all it stays on the lane, and texts placed later avoid it.
 */
function placeEvent(e: EventGeo, placed: Placed, clear: (b: Box) => boolean): void {
  const lane = e.x;
  const box = (cx: number, y: number, w: number): Box => ({ x0: cx - w / 2, y0: y - EVENT_H / 2, x1: cx + w / 2, y1: y + EVENT_H / 2 });
  const fit = (text: string) => {
    const per = e.kind === 'deny' ? CHAR_W.eventBold : CHAR_W.event;
    const max = Math.max(3, Math.floor((placed.width - 24) / per));
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  };
  const texts = [...new Set([fit(e.text), fit(e.short ?? e.text)])];
  let best: [string, number, number] = [texts[texts.length - 1], lane, e.y];
  search: for (const dy of SHIFTS) {
    for (const text of texts) {
      const w = eventWidth({ kind: e.kind, text });
      for (const cx of [lane, lane - 4 - w / 2, lane + 4 + w / 2]) {
        const b = box(cx, e.y + dy, w);
        if (placed.free(b) && clear(b)) {
          best = [text, cx, e.y + dy];
          break search;
        }
      }
    }
  }
  [e.drawn, e.x, e.y] = best;
  const w = eventWidth({ kind: e.kind, text: e.drawn });
  e.x0 = e.x - w / 2;
  e.x1 = e.x + w / 2;
  e.laneX = lane;
  placed.add(box(e.x, e.y, w), 'event');
}


/** "⋮ 3 earlier packets not drawn", "… not in the link" (ladder-svg.tsx draws it; `note`: LadderGeometry.foldNotes). */
export function foldText(n: number, which: 'earlier' | 'later', note = 'not drawn'): string {
  return `⋮ ${n} ${which} packet${n > 1 ? 's' : ''} ${note}`;
}

/** Baselines of the lines under an arrow's label, in this order: TLS record names, a lesson's note, the anomaly note. */
export function underY(a: { labelY: number; tls: string; note: string }): { tls: number; note: number; anomaly: number } {
  const tls = a.labelY + 17;
  const note = a.tls ? tls + 13 : tls;
  return { tls, note, anomaly: a.note ? note + 13 : a.tls ? tls + 13 : a.labelY + 18 };
}
