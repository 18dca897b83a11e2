/**
 * Firewall event boxes take part in the label layout: on every built-in example (the seed case's ASA log with its
 * two captures first) and the two-point fixtures, side by side as the explorer draws them, at every width and time
 * mode, no event box overlaps another event box or any placed text (arrow label, state, note, "dropped"), and no
 * arrow's shaft runs through one. The seed case's teardown box used to cover the dropped RST's outside half.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { layoutLadders, MIN_WIDTH } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS, type LadderData } from '../../src/render/ladder-types';
import { crosses, overlaps, type Box } from '../../src/render/label-layout';
import { EVENT_H } from '../../src/render/ladder-labels';
import type { LadderGeometry } from '../../src/render/geometry-types';
import type { Example } from '../../src/ui/examples';

const EXAMPLES = 'public/examples';

async function analyze(files: string[], options = {}): Promise<LadderData[]> {
  const s = await analyzeSources(files.map((f) => createBytesSource(f.split('/').pop()!, new Uint8Array(readFileSync(f)))), options);
  return s.reports.toArray().map((c) => ladderData(s, c));
}

/** Every overprint of an event box: with another text's box, with a shaft. */
function eventProblems(g: LadderGeometry): string[] {
  const out: string[] = [];
  const events: Box[] = g.events.map((e) => ({ x0: e.x0!, x1: e.x1!, y0: e.y - EVENT_H / 2, y1: e.y + EVENT_H / 2 }));
  const texts = (g.textBoxes ?? []).filter((t) => t.what !== 'event');
  events.forEach((b, i) => {
    const name = g.events[i].text;
    if (b.x0 < 0 || b.x1 > g.width) out.push(`${name} leaves the ladder`);
    for (let j = i + 1; j < events.length; j++) if (overlaps(b, events[j])) out.push(`${name} overprints ${g.events[j].text}`);
    for (const t of texts) if (overlaps(b, t.box)) out.push(`${name} overprints ${t.what}`);
    for (const a of g.arrows) {
      const lines: [number, number, number, number][] = [[a.x1, a.y1, a.x2, a.y2]];
      if (a.half) lines.push([a.x2, a.y2, a.half.x1, a.half.y1], [a.half.x1, a.half.y1, a.half.x2, a.half.y2]);
      if (lines.some((l) => crosses(l, b, 0))) out.push(`${name} covers the arrow of packet ${a.packet.index}`);
    }
  });
  return out;
}

const widths = [MIN_WIDTH, 420, 620, 900];
const modes = ['compressed', 'proportional', 'even'] as const;

function check(sets: LadderData[][]): number {
  let events = 0;
  for (const width of widths) {
    for (const timeMode of modes) {
      for (const focus of ['close', 'whole'] as const) {
        for (const set of sets) {
          for (const g of layoutLadders(set, { width, timeMode, focus, labels: DEFAULT_LABELS, zoom: 1 })) {
            expect(eventProblems(g), `${width} ${timeMode} ${focus} ${g.lanes[0].sublabel}`).toEqual([]);
            events += g.events.length;
          }
        }
      }
    }
  }
  return events;
}

describe('firewall event boxes in the label layout', () => {
  it('never overprint a text or an arrow on the built-in examples, alone and side by side', async () => {
    const list = JSON.parse(readFileSync(join(EXAMPLES, 'index.json'), 'utf8')) as Example[];
    let events = 0;
    for (const ex of list) {
      const all = await analyze(ex.files.map((f) => join(EXAMPLES, f)), ex.options ?? {});
      const sets = [...all.map((d) => [d]), ...[0, 2].map((i) => all.slice(i, i + 2)).filter((s) => s.length === 2)];
      events += check(sets);
    }
    // The seed case's built, teardown and deny boxes, at every width, mode and focus.
    expect(events).toBeGreaterThan(100);
  });

  it('the seed case: the teardown box stays on its row, beside the firewall lane, clear of the dropped RST', async () => {
    const seed = await analyze(['inside-capture.txt', 'outside-capture.txt', 'asa-syslog.log'].map((f) => join(EXAMPLES, 'seed', f)), { year: 2018, date: '2018-06-20' });
    const d = seed.find((x) => x.connection.firewall?.teardown)!;
    const [g] = layoutLadders([d], { width: 560, timeMode: 'compressed', focus: 'close', labels: DEFAULT_LABELS, zoom: 1 });
    const teardown = g.events.find((e) => e.kind === 'teardown')!;
    expect(teardown.text).toMatch(/^Teardown · TCP FINs from INSIDE/);
    expect(eventProblems(g)).toEqual([]);
    // Beside the lane it belongs to, not somewhere else on the ladder.
    expect(Math.min(Math.abs(teardown.x0! - teardown.laneX!), Math.abs(teardown.x1! - teardown.laneX!), teardown.x0! < teardown.laneX! && teardown.x1! > teardown.laneX! ? 0 : Infinity)).toBeLessThanOrEqual(4);
    expect(g.arrows.some((a) => a.dropped && a.dropNote)).toBe(true);
  });

  it('never overprint on the two-point fixtures', async () => {
    const dir = 'tests/fixtures/two-points';
    const sets: LadderData[][] = [];
    for (const name of ['clean', 'late-rst', 'randomised']) {
      const all = await analyze([`${name}-inside.pcap`, `${name}-outside.pcap`].map((f) => join(dir, f)));
      sets.push(...all.map((d) => [d]));
    }
    check(sets);
  });
});
