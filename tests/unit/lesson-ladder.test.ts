/**
 * The lessons draw with the explorer's ladder (render/ladder-geometry.ts, ui/ladder-svg.tsx): every built-in lesson laid
 * out as the lesson player does (one row per packet, the lesson's lane names and its words under the packets it labels,
 * alone or with a connection beside it, normal and large type) keeps every text clear of every other, names its lanes
 * as the lesson does (cut with an ellipsis where there is no room, whole in the title), draws the firewall lane when the
 * lesson names a firewall, and ties each state and firewall event to the packet it comes with, so stepping through the
 * lesson reveals them with that packet.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBytesSource, createTextSource } from '../../src/lib/byte-source';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { decodeBase64, selectConnection, sideNames, validateLesson, type Lesson } from '../../src/lessons';
import { overlaps } from '../../src/render/label-layout';
import type { LadderGeometry } from '../../src/render/geometry-types';
import type { LadderData } from '../../src/render/ladder-types';
import { LESSON_SCALE, lessonGeometry } from '../../src/ui/lessons/lesson-ladder';

const dir = join(__dirname, '../../public/lessons');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { id: string; file: string }[];

async function load(entry: { file: string }): Promise<{ lesson: Lesson; ladder: LadderData }> {
  const lesson = validateLesson(JSON.parse(readFileSync(join(dir, entry.file), 'utf8'))).lesson!;
  const sources = lesson.captures.map((c) => {
    if (c.url !== undefined) return createBytesSource(c.name, new Uint8Array(readFileSync(join(dir, c.url))));
    if (c.text !== undefined) return createTextSource(c.name, c.text);
    return createBytesSource(c.name, decodeBase64(c.base64!)!);
  });
  const session = await analyzeSources(sources, { year: lesson.options?.year, date: lesson.options?.date });
  const pick = selectConnection(lesson.connection, session.reports.toArray());
  if ('error' in pick) throw new Error(pick.error);
  return { lesson, ladder: ladderData(session, session.reports.at(pick.index)!) };
}

function overprints(g: LadderGeometry): string[] {
  const boxes = g.textBoxes ?? [];
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i].box, boxes[j].box)) out.push(`${boxes[i].what} / ${boxes[j].what}`);
  }
  return out;
}

describe('lesson ladders', () => {
  it('every built-in lesson, alone and with a connection beside it, at normal and large type', async () => {
    const all = await Promise.all(index.map(load));
    let notes = 0;
    for (const [k, { lesson, ladder }] of all.entries()) {
      const labels = new Map(lesson.steps.filter((s) => s.label).map((s) => [s.packet, s.label!]));
      const own = [{ names: { ...sideNames(lesson), firewall: lesson.firewallName }, notes: labels }];
      const beside = all[(k + 1) % all.length].ladder;
      for (const [datas, box, scales] of [[[ladder], 820, LESSON_SCALE.alone], [[ladder, beside], 440, LESSON_SCALE.beside]] as const) {
        for (const scale of [scales.normal, scales.large]) {
          const geos = lessonGeometry([...datas], own, box, scale);
          const g = geos[0];
          const what = `${lesson.id} ${box}px ×${scale}`;
          expect(overprints(g), what).toEqual([]);
          expect(g.width * scale, what).toBeLessThanOrEqual(Math.max(box, 360 * scale));
          const names = sideNames(lesson);
          for (const l of g.lanes) {
            const want = l.role === 'firewall' ? lesson.firewallName ?? ladder.connection.firewall?.device ?? 'firewall' : names[l.role];
            if (l.label.endsWith('…')) expect(l.title, what).toContain(want);
            else expect(l.label, what).toBe(want);
          }
          expect(g.lanes.some((l) => l.role === 'firewall'), what).toBe(!!lesson.firewallName || !!ladder.connection.firewall || g.hasFirewallLane);
          const drawn = new Set(g.arrows.map((a) => a.packet.index));
          for (const s of g.states) expect(s.packet === -1 || drawn.has(s.packet), `${what} state ${s.text}`).toBe(true);
          for (const e of g.events) expect(e.after === -1 || drawn.has(e.after), `${what} event ${e.text}`).toBe(true);
          if (box === 820 && scale === scales.normal) {
            for (const [packet, label] of labels) expect(g.arrows.find((a) => a.packet.index === packet)?.note, `${what} packet ${packet}`).toBe(label);
            notes += labels.size;
          }
          // The lesson's words are laid out for this ladder only.
          if (geos[1]) expect(geos[1].arrows.every((a) => a.note === ''), what).toBe(true);
        }
      }
    }
    expect(notes).toBeGreaterThan(10);
  });
});
