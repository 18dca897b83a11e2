/**
 * Every built-in lesson (public/lessons/index.json): the file validates, its captures load through
 * the real pipeline (analyzeSources, as the worker does), the connection it names exists, every
 * claim it makes (who sent a packet, its flags, each endpoint's state) agrees with the analysis,
 * and the step engine walks it from intro to end.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBytesSource, createTextSource } from '../../src/lib/byte-source';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import {
  buildStops, checkLessonAgainstAnalysis, decodeBase64, isCorrect, selectConnection, stateAt, validateLesson,
  type Lesson,
} from '../../src/lessons';

const dir = join(__dirname, '../../public/lessons');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { id: string; file: string; title: string }[];

async function load(lesson: Lesson) {
  const sources = lesson.captures.map((c) => {
    if (c.url !== undefined) return createBytesSource(c.name, new Uint8Array(readFileSync(join(dir, c.url))));
    if (c.text !== undefined) return createTextSource(c.name, c.text);
    return createBytesSource(c.name, decodeBase64(c.base64!)!);
  });
  const session = await analyzeSources(sources, { year: lesson.options?.year, date: lesson.options?.date });
  return session;
}

describe('lesson library', () => {
  it('lists at least the nine lessons of the brief, each id once', () => {
    expect(index.length).toBeGreaterThanOrEqual(9);
    expect(new Set(index.map((l) => l.id)).size).toBe(index.length);
  });

  for (const entry of index) {
    it(`${entry.id}: validates, loads, agrees with the analysis, steps to the end`, async () => {
      const raw = JSON.parse(readFileSync(join(dir, entry.file), 'utf8'));
      const check = validateLesson(raw);
      expect(check.errors).toEqual([]);
      expect(check.warnings).toEqual([]);
      const lesson = check.lesson!;
      expect(lesson.id).toBe(entry.id);
      expect(lesson.title).toBe(entry.title);

      const session = await load(lesson);
      for (const input of session.inputs) expect(input.errors, input.file).toEqual([]);
      const pick = selectConnection(lesson.connection, session.reports.toArray());
      if ('error' in pick) throw new Error(pick.error);
      const conn = session.reports.at(pick.index)!;
      const ladder = ladderData(session, conn);
      expect(ladder.packets.length).toBe(ladder.totalPackets);

      expect(checkLessonAgainstAnalysis(lesson, conn, ladder.packets)).toEqual([]);

      // Walk it: intro, every packet of the range once shown (after its question if any), end.
      const stops = buildStops(lesson, conn, ladder.packets);
      expect(stops[0].kind).toBe('intro');
      expect(stops[stops.length - 1].kind).toBe('end');
      const shown = stops.filter((s) => s.kind === 'show').map((s) => s.packet);
      const from = lesson.range?.from ?? 0;
      const to = lesson.range?.to ?? ladder.packets.length - 1;
      expect(shown).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
      let asked = 0;
      for (const [i, stop] of stops.entries()) {
        expect(stop.text.trim().length, `stop ${i} has text`).toBeGreaterThan(0);
        if (stop.kind === 'ask') {
          asked++;
          // The packet is not visible yet while its question is open; the next stop reveals it.
          expect(stop.visibleUpTo).toBe(stop.packet - 1);
          expect(stops[i + 1]).toMatchObject({ kind: 'show', packet: stop.packet });
          const right = stop.question!.choices.findIndex((c) => c.correct);
          expect(isCorrect(stop.question!, right)).toBe(true);
        }
        if (stop.kind === 'show') {
          // The states beside the lanes are the analysis' states at that packet.
          const states = conn.close!.states;
          expect(stop.states.client).toBe(stateAt(states.client, stop.packet).state);
          expect(stop.states.server).toBe(stateAt(states.server, stop.packet).state);
        }
      }
      expect(asked, 'every lesson asks at least one question').toBeGreaterThan(0);
      expect(lesson.steps.filter((s) => s.states).length, 'every lesson states some endpoint states').toBeGreaterThan(0);
    });
  }
});
