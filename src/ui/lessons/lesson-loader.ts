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

/**
 * A lesson file and its captures come from the network, from wherever a link points: each is bounded in size and in
 * time without data, so a server that never ends its answer (or stops sending mid-way) gives a clear error instead of
 * "Loading…" forever; closing the lesson aborts what is still downloading.
 */
export const LESSON_LIMITS = { lessonBytes: 16 << 20, captureBytes: 64 << 20, stallMs: 20_000 };

/** The body of `res`, at most `max` bytes, failing when no byte arrives for LESSON_LIMITS.stallMs. */
async function boundedBody(res: Response, max: number, what: string, abort: AbortController): Promise<Uint8Array<ArrayBuffer>> {
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<'stalled'>((ok) => (timer = setTimeout(() => ok('stalled'), LESSON_LIMITS.stallMs)));
    const next = await Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
    if (next === 'stalled') {
      abort.abort();
      throw new LessonError(`${what}: no data for ${LESSON_LIMITS.stallMs / 1000} s after ${size} bytes from ${res.url}; gave up`);
    }
    if (next.done) break;
    size += next.value.length;
    if (size > max) {
      abort.abort();
      throw new LessonError(`${what}: larger than ${max >> 20} MiB (${res.url}); a lesson's files must be smaller`);
    }
    parts.push(next.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Fetches `url` bounded; `url` is the address the answer came from (after redirects). */
async function fetchBounded(url: string, max: number, what: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array<ArrayBuffer>; url: string }> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  signal?.addEventListener('abort', stop);
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: abort.signal });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new LessonError(`${what}: could not fetch ${url} (${String(e)}). Lessons on other sites must allow CORS.`);
    }
    if (!res.ok) throw new LessonError(`${what}: HTTP ${res.status} for ${url}`);
    return { bytes: await boundedBody(res, max, what, abort), url: res.url || url };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

async function fetchText(url: string, what: string, signal?: AbortSignal): Promise<{ text: string; url: string }> {
  const got = await fetchBounded(url, LESSON_LIMITS.lessonBytes, what, signal);
  return { text: new TextDecoder().decode(got.bytes), url: got.url };
}

async function captureInputs(lesson: Lesson, baseUrl: string, signal?: AbortSignal): Promise<InputSpec[]> {
  return Promise.all(
    lesson.captures.map(async (c, i): Promise<InputSpec> => {
      if (c.text !== undefined) return { kind: 'text', name: c.name, text: c.text };
      if (c.base64 !== undefined) {
        const bytes = decodeBase64(c.base64);
        if (!bytes) throw new LessonError(`captures[${i}].base64 is not valid base64`);
        return { kind: 'bytes', name: c.name, bytes };
      }
      const url = new URL(c.url!, baseUrl).href;
      const got = await fetchBounded(url, LESSON_LIMITS.captureBytes, `captures[${i}] (${c.name})`, signal);
      return { kind: 'bytes', name: c.name, bytes: got.bytes };
    }),
  );
}

/** Parses, validates, analyses and checks a lesson given as JSON text. */
export async function loadLessonText(text: string, baseUrl: string, source: string, signal?: AbortSignal): Promise<LoadedLesson> {
  const check = parseLesson(text);
  if (!check.lesson) throw new LessonError(`This lesson file has ${check.errors.length} problem(s):`, check.errors);
  const lesson = check.lesson;
  const inputs = await captureInputs(lesson, baseUrl, signal);
  const ladders = await connectionsAside(inputs, { year: lesson.options?.year, date: lesson.options?.date });
  const pick = selectConnection(lesson.connection, ladders.map((l) => l.connection));
  if ('error' in pick) throw new LessonError(pick.error);
  const ladder = { ...ladders[pick.index], origin: `lesson: ${lesson.title}` };
  const mismatches = checkLessonAgainstAnalysis(lesson, ladder.connection, ladder.packets);
  return { lesson, ladder, stops: buildStops(lesson, ladder.connection, ladder.packets), mismatches, warnings: check.warnings, source };
}

export async function loadBuiltInLesson(id: string, signal?: AbortSignal): Promise<LoadedLesson> {
  const list = await listLessons();
  const entry = list.find((l) => l.id === id);
  if (!entry) throw new LessonError(`There is no built-in lesson "${id}". Known: ${list.map((l) => l.id).join(', ')}`);
  const got = await fetchText(new URL(entry.file, lessonsBase()).href, `lesson ${id}`, signal);
  return loadLessonText(got.text, got.url, `built-in lesson "${id}"`, signal);
}

/** A lesson published elsewhere; its relative captures resolve against where the file was found (after redirects). */
export async function loadLessonUrl(url: string, signal?: AbortSignal): Promise<LoadedLesson> {
  const got = await fetchText(url, 'lesson', signal);
  return loadLessonText(got.text, got.url, url, signal);
}

/** A dropped file: relative capture URLs resolve against the built-in lessons folder. */
export async function loadLessonFile(file: File, signal?: AbortSignal): Promise<LoadedLesson> {
  return loadLessonText(await file.text(), lessonsBase(), `file ${file.name}`, signal);
}
