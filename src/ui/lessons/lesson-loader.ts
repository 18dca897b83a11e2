/**
 * Loads a lesson in the browser: the lesson file (built-in by id, by URL, or dropped), its captures
 * (relative URLs resolve against the lesson file, or against the built-in lessons folder for a
 * dropped file), the analysis through the engine worker, the lesson's connection, and the check of
 * the lesson's claims against that analysis.
 */
import type { InputSpec } from '../../engine/api';
import type { LadderData } from '../../render/ladder-types';
import { connectionsAside } from '../../worker/client';
import {
  buildStops, checkLessonAgainstAnalysis, decodeBase64, parseLesson, selectConnection,
  type Lesson, type LessonStop,
} from '../../lessons/index';

export interface LessonEntry {
  id: string;
  file: string;
  title: string;
}

export interface LoadedLesson {
  lesson: Lesson;
  ladder: LadderData;
  stops: LessonStop[];
  /** Lesson claims the analysis contradicts (shown to the trainer, not hidden). */
  mismatches: string[];
  warnings: string[];
  /** Where the lesson came from, for the footer. */
  source: string;
}

export class LessonError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message);
  }
}

export const lessonsBase = () => new URL('lessons/', document.baseURI).href;

export async function listLessons(): Promise<LessonEntry[]> {
  const res = await fetch(`${lessonsBase()}index.json`);
  if (!res.ok) throw new LessonError(`lessons/index.json: HTTP ${res.status}`);
  return (await res.json()) as LessonEntry[];
}

async function fetchText(url: string, what: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new LessonError(`${what}: could not fetch ${url} (${String(e)}). Lessons on other sites must allow CORS.`);
  }
  if (!res.ok) throw new LessonError(`${what}: HTTP ${res.status} for ${url}`);
  return res.text();
}

async function captureInputs(lesson: Lesson, baseUrl: string): Promise<InputSpec[]> {
  return Promise.all(
    lesson.captures.map(async (c, i): Promise<InputSpec> => {
      if (c.text !== undefined) return { kind: 'text', name: c.name, text: c.text };
      if (c.base64 !== undefined) {
        const bytes = decodeBase64(c.base64);
        if (!bytes) throw new LessonError(`captures[${i}].base64 is not valid base64`);
        return { kind: 'bytes', name: c.name, bytes };
      }
      const url = new URL(c.url!, baseUrl).href;
      let res: Response;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new LessonError(`captures[${i}] (${c.name}): could not fetch ${url} (${String(e)})`);
      }
      if (!res.ok) throw new LessonError(`captures[${i}] (${c.name}): HTTP ${res.status} for ${url}`);
      return { kind: 'blob', name: c.name, blob: await res.blob() };
    }),
  );
}

/** Parses, validates, analyses and checks a lesson given as JSON text. */
export async function loadLessonText(text: string, baseUrl: string, source: string): Promise<LoadedLesson> {
  const check = parseLesson(text);
  if (!check.lesson) throw new LessonError(`This lesson file has ${check.errors.length} problem(s):`, check.errors);
  const lesson = check.lesson;
  const inputs = await captureInputs(lesson, baseUrl);
  const ladders = await connectionsAside(inputs, { year: lesson.options?.year, date: lesson.options?.date });
  const pick = selectConnection(lesson.connection, ladders.map((l) => l.connection));
  if ('error' in pick) throw new LessonError(pick.error);
  const ladder = { ...ladders[pick.index], origin: `lesson: ${lesson.title}` };
  const mismatches = checkLessonAgainstAnalysis(lesson, ladder.connection, ladder.packets);
  return { lesson, ladder, stops: buildStops(lesson, ladder.connection, ladder.packets), mismatches, warnings: check.warnings, source };
}

export async function loadBuiltInLesson(id: string): Promise<LoadedLesson> {
  const list = await listLessons();
  const entry = list.find((l) => l.id === id);
  if (!entry) throw new LessonError(`There is no built-in lesson "${id}". Known: ${list.map((l) => l.id).join(', ')}`);
  const url = new URL(entry.file, lessonsBase()).href;
  return loadLessonText(await fetchText(url, `lesson ${id}`), url, `built-in lesson "${id}"`);
}

export async function loadLessonUrl(url: string): Promise<LoadedLesson> {
  return loadLessonText(await fetchText(url, 'lesson'), url, url);
}

/** A dropped file: relative capture URLs resolve against the built-in lessons folder. */
export async function loadLessonFile(file: File): Promise<LoadedLesson> {
  return loadLessonText(await file.text(), lessonsBase(), `file ${file.name}`);
}
