/**
 * Checks a lesson file (parsed JSON of unknown shape) field by field. Never throws: every problem
 * names the field it is about ("steps[3].question.choices: ..."), so a trainer can fix the file.
 * Unknown fields are warnings (usually a typo), not errors. Text stays text: nothing here or in
 * the player interprets markup.
 */
import { stripBidiControls } from '../lib/bidi';
import {
  LESSON_FORMAT, LESSON_VERSION,
  type Lesson, type LessonCapture, type LessonChoice, type LessonConnectionRef, type LessonExpectPacket,
  type LessonQuestion, type LessonReference, type LessonSide, type LessonStep,
} from './types';

export interface LessonCheck {
  lesson: Lesson | null;
  errors: string[];
  warnings: string[];
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_TEXT = 6000;
const MAX_STEPS = 1000;
const MAX_CAPTURES = 8;
/** Inline base64 beyond this belongs in a file next to the lesson. */
const MAX_BASE64 = 8 * 1024 * 1024;
const ENDPOINT = /^(?:\[?[0-9a-fA-F:.]*\]?)?:\d{1,5}$|^[0-9.]+$|^\[?[0-9a-fA-F:]+\]?$/;
/** State names the analysis uses (RFC 9293 §3.3.2, with underscores). */
export const TCP_STATES = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2',
  'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT',
] as const;
const FLAG_WORDS = new Set(['SYN', 'FIN', 'RST', 'ACK', 'PSH', 'URG', 'ECE', 'CWR']);

type Obj = Record<string, unknown>;

/** At most this many errors and this many warnings are listed (a file with 300,000 unknown keys lists 50, then a count). */
const MAX_NOTES = 50;
const capped = (notes: string[]): string[] =>
  notes.length > MAX_NOTES ? [...notes.slice(0, MAX_NOTES), `... and ${notes.length - MAX_NOTES} more like these`] : notes;

class Checker {
  errors: string[] = [];
  warnings: string[] = [];
  err(path: string, msg: string): void {
    this.errors.push(`${path}: ${msg}`);
  }
  obj(v: unknown, path: string): Obj | null {
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
    this.err(path, `must be an object ({ ... }), found ${kindOf(v)}`);
    return null;
  }
  known(o: Obj, path: string, keys: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!keys.includes(k)) this.warnings.push(`${path ? `${path}.` : ''}${k}: unknown field, ignored (known: ${keys.join(', ')})`);
    }
  }
  text(o: Obj, key: string, path: string, required: boolean, max = MAX_TEXT): string | undefined {
    const v = o[key];
    const p = path ? `${path}.${key}` : key;
    if (v === undefined || v === null) {
      if (required) this.err(p, 'is missing (text expected)');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.err(p, `must be text, found ${kindOf(v)}`);
      return undefined;
    }
    if (required && v.trim() === '') this.err(p, 'must not be empty');
    if (v.length > max) this.err(p, `is ${v.length} characters long; at most ${max} are allowed`);
    return stripBidiControls(v);
  }
  int(o: Obj, key: string, path: string, required: boolean, min = 0): number | undefined {
    const v = o[key];
    const p = path ? `${path}.${key}` : key;
    if (v === undefined) {
      if (required) this.err(p, 'is missing (a whole number expected)');
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.err(p, `must be a whole number ≥ ${min}, found ${kindOf(v)} ${short(v)}`);
      return undefined;
    }
    return v;
  }
  list(o: Obj, key: string, path: string, required: boolean, max: number): unknown[] | undefined {
    const v = o[key];
    const p = path ? `${path}.${key}` : key;
    if (v === undefined) {
      if (required) this.err(p, 'is missing (a list [ ... ] expected)');
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.err(p, `must be a list [ ... ], found ${kindOf(v)}`);
      return undefined;
    }
    if (v.length > max) this.err(p, `has ${v.length} entries; at most ${max} are allowed`);
    return v.slice(0, max);
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'text';
  return `a ${typeof v}`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function side(c: Checker, v: unknown, path: string): LessonSide | undefined {
  if (v === 'client' || v === 'server') return v;
  c.err(path, `must be "client" or "server", found ${short(v)}`);
  return undefined;
}

/** The file name at the end of a URL path, percent-decoded when it is valid percent-encoding. */
function lastPathPart(url: string): string {
  const raw = url.split(/[?#]/)[0].split('/').pop() || 'capture';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // "a%zz.pcap": decodeURIComponent throws, and validateLesson never does
  }
}

function checkCapture(c: Checker, v: unknown, path: string): LessonCapture | null {
  const o = c.obj(v, path);
  if (!o) return null;
  c.known(o, path, ['name', 'url', 'text', 'base64', 'note', 'vantage']);
  const url = c.text(o, 'url', path, false, 2000);
  const text = c.text(o, 'text', path, false, 2 * 1024 * 1024);
  const b64 = c.text(o, 'base64', path, false, MAX_BASE64);
  const given = [url, text, b64].filter((x) => x !== undefined).length;
  if (given !== 1) {
    c.err(path, given === 0 ? 'needs one of "url", "text" or "base64"' : 'give only one of "url", "text" or "base64"');
    return null;
  }
  if (url !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^https?:\/\//i.test(url)) {
    c.err(`${path}.url`, `only relative or http(s) addresses can be loaded, not "${short(url)}"`);
    return null;
  }
  if (b64 !== undefined && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(b64)) {
    c.err(`${path}.base64`, 'is not standard base64 (A-Z a-z 0-9 + / and = padding)');
    return null;
  }
  let name = c.text(o, 'name', path, false, 200);
  if (name === undefined) {
    if (url === undefined) {
      c.err(`${path}.name`, 'is missing: inline captures need a file name (its ending tells the format, e.g. "asa.log")');
      return null;
    }
    name = lastPathPart(url);
  }
  const out: LessonCapture = { name };
  if (url !== undefined) out.url = url;
  if (text !== undefined) out.text = text;
  if (b64 !== undefined) out.base64 = b64;
  const note = c.text(o, 'note', path, false);
  if (note !== undefined) out.note = note;
  const vantage = c.text(o, 'vantage', path, false, 40);
  if (vantage !== undefined) out.vantage = vantage;
  return out;
}

function checkEndpoint(c: Checker, o: Obj, key: 'server' | 'client', path: string): string | undefined {
  const v = c.text(o, key, path, false, 80);
  if (v !== undefined && !ENDPOINT.test(v.trim())) {
    c.err(`${path}.${key}`, `must look like "10.0.0.1:443", ":443", "[::1]:8080" or an address alone, found ${short(v)}`);
    return undefined;
  }
  return v?.trim();
}

function checkConnection(c: Checker, v: unknown): LessonConnectionRef {
  if (v === undefined) return {};
  const o = c.obj(v, 'connection');
  if (!o) return {};
  c.known(o, 'connection', ['server', 'client', 'nth']);
  const out: LessonConnectionRef = {};
  const server = checkEndpoint(c, o, 'server', 'connection');
  const client = checkEndpoint(c, o, 'client', 'connection');
  const nth = c.int(o, 'nth', 'connection', false);
  if (server !== undefined) out.server = server;
  if (client !== undefined) out.client = client;
  if (nth !== undefined) out.nth = nth;
  return out;
}

function checkExpect(c: Checker, v: unknown, path: string): LessonExpectPacket | undefined {
  const o = c.obj(v, path);
  if (!o) return undefined;
  c.known(o, path, ['from', 'flags']);
  const out: LessonExpectPacket = {};
  if (o.from !== undefined) {
    const s = side(c, o.from, `${path}.from`);
    if (s) out.from = s;
  }
  const flags = c.text(o, 'flags', path, false, 60);
  if (flags !== undefined) {
    const words = flags.toUpperCase().split(/[\s,|+]+/).filter(Boolean);
    const bad = words.filter((w) => !FLAG_WORDS.has(w));
    if (bad.length) c.err(`${path}.flags`, `unknown flag ${bad.join(', ')} (use SYN FIN RST ACK PSH, e.g. "FIN ACK")`);
    else out.flags = words.join(' ');
  }
  return out;
}

function checkStates(c: Checker, v: unknown, path: string): Partial<Record<LessonSide, string>> | undefined {
  const o = c.obj(v, path);
  if (!o) return undefined;
  c.known(o, path, ['client', 'server']);
  const out: Partial<Record<LessonSide, string>> = {};
  for (const s of ['client', 'server'] as const) {
    const t = c.text(o, s, path, false, 20);
    if (t === undefined) continue;
    const norm = t.trim().toUpperCase().replace(/[-\s]/g, '_');
    if (!(TCP_STATES as readonly string[]).includes(norm)) {
      c.err(`${path}.${s}`, `"${short(t)}" is not a TCP state (one of ${TCP_STATES.join(', ')})`);
    } else out[s] = norm;
  }
  return out;
}

function checkQuestion(c: Checker, v: unknown, path: string): LessonQuestion | undefined {
  const o = c.obj(v, path);
  if (!o) return undefined;
  c.known(o, path, ['prompt', 'choices']);
  const prompt = c.text(o, 'prompt', path, true, 400);
  const raw = c.list(o, 'choices', path, true, 6);
  if (!raw) return undefined;
  const choices: LessonChoice[] = [];
  raw.forEach((cv, i) => {
    const p = `${path}.choices[${i}]`;
    const co = c.obj(cv, p);
    if (!co) return;
    c.known(co, p, ['text', 'correct', 'why']);
    const text = c.text(co, 'text', p, true, 300);
    const why = c.text(co, 'why', p, true, 2000);
    if (co.correct !== undefined && typeof co.correct !== 'boolean') c.err(`${p}.correct`, `must be true or false, found ${short(co.correct)}`);
    if (text !== undefined && why !== undefined) choices.push({ text, why, correct: co.correct === true });
  });
  if (raw.length < 2) c.err(`${path}.choices`, `needs at least 2 choices, found ${raw.length}`);
  else if (choices.length === raw.length && !choices.some((ch) => ch.correct)) c.err(`${path}.choices`, 'no choice is marked "correct": true');
  if (prompt === undefined) return undefined;
  return { prompt, choices };
}

function checkStep(c: Checker, v: unknown, path: string): LessonStep | null {
  const o = c.obj(v, path);
  if (!o) return null;
  c.known(o, path, ['packet', 'text', 'label', 'expect', 'states', 'question']);
  const packet = c.int(o, 'packet', path, true);
  if (packet === undefined) return null;
  const step: LessonStep = { packet };
  const text = c.text(o, 'text', path, false);
  if (text !== undefined) step.text = text;
  const label = c.text(o, 'label', path, false, 60);
  if (label !== undefined) step.label = label;
  if (o.expect !== undefined) step.expect = checkExpect(c, o.expect, `${path}.expect`);
  if (o.states !== undefined) step.states = checkStates(c, o.states, `${path}.states`);
  if (o.question !== undefined) step.question = checkQuestion(c, o.question, `${path}.question`);
  return step;
}

function checkReference(c: Checker, v: unknown, path: string): LessonReference | null {
  const o = c.obj(v, path);
  if (!o) return null;
  c.known(o, path, ['title', 'url']);
  const title = c.text(o, 'title', path, true, 300);
  const url = c.text(o, 'url', path, false, 2000);
  if (url !== undefined && !/^https?:\/\//i.test(url)) {
    c.err(`${path}.url`, 'must start with https:// or http://');
    return null;
  }
  if (title === undefined) return null;
  return url === undefined ? { title } : { title, url };
}

/** Checks a parsed lesson file; `lesson` is null when there are errors. */
export function validateLesson(raw: unknown): LessonCheck {
  const c = new Checker();
  const o = c.obj(raw, '(lesson file)');
  if (!o) return { lesson: null, errors: capped(c.errors), warnings: capped(c.warnings) };
  c.known(o, '', [
    'format', 'version', 'id', 'title', 'summary', 'intro', 'conclusion', 'captures', 'connection', 'range',
    'names', 'firewallName', 'options', 'steps', 'references', 'credits', '$comment',
  ]);
  if (o.format !== LESSON_FORMAT) c.err('format', `must be "${LESSON_FORMAT}", found ${short(o.format)}`);
  const version = c.int(o, 'version', '', true, 1);
  if (version !== undefined && version > LESSON_VERSION) {
    c.warnings.push(`version: the file is format ${version}; this Teardown reads format ${LESSON_VERSION} and ignores what it does not know`);
  }
  const id = c.text(o, 'id', '', true, 64);
  if (id !== undefined && !ID.test(id)) c.err('id', `"${short(id)}" must be lower-case letters, digits and dashes (e.g. "clean-close")`);
  const title = c.text(o, 'title', '', true, 200);
  const summary = c.text(o, 'summary', '', false, 600) ?? '';
  const intro = c.text(o, 'intro', '', false) ?? '';
  const conclusion = c.text(o, 'conclusion', '', false) ?? '';

  const captures: LessonCapture[] = [];
  const rawCaptures = c.list(o, 'captures', '', true, MAX_CAPTURES);
  rawCaptures?.forEach((v, i) => {
    const cap = checkCapture(c, v, `captures[${i}]`);
    if (cap) captures.push(cap);
  });
  if (rawCaptures && rawCaptures.length === 0) c.err('captures', 'needs at least one capture');

  const connection = checkConnection(c, o.connection);

  let options: Lesson['options'];
  if (o.options !== undefined) {
    const r = c.obj(o.options, 'options');
    if (r) {
      c.known(r, 'options', ['date', 'year']);
      options = {};
      const date = c.text(r, 'date', 'options', false, 10);
      if (date !== undefined) {
        if (/^\d{4}-\d\d-\d\d$/.test(date)) options.date = date;
        else c.err('options.date', `must be YYYY-MM-DD, found ${short(date)}`);
      }
      const year = c.int(r, 'year', 'options', false, 1970);
      if (year !== undefined) options.year = year;
    }
  }

  let range: Lesson['range'];
  if (o.range !== undefined) {
    const r = c.obj(o.range, 'range');
    if (r) {
      c.known(r, 'range', ['from', 'to']);
      const from = c.int(r, 'from', 'range', true);
      const to = c.int(r, 'to', 'range', false);
      if (from !== undefined && to !== undefined && to < from) c.err('range.to', `(${to}) is before range.from (${from})`);
      if (from !== undefined) range = to === undefined ? { from } : { from, to };
    }
  }

  let names: Lesson['names'];
  if (o.names !== undefined) {
    const n = c.obj(o.names, 'names');
    if (n) {
      c.known(n, 'names', ['client', 'server']);
      names = {};
      const cn = c.text(n, 'client', 'names', false, 40);
      const sn = c.text(n, 'server', 'names', false, 40);
      if (cn !== undefined) names.client = cn;
      if (sn !== undefined) names.server = sn;
    }
  }
  const firewallName = c.text(o, 'firewallName', '', false, 40);

  const steps: LessonStep[] = [];
  const rawSteps = c.list(o, 'steps', '', true, MAX_STEPS);
  let last = -1;
  rawSteps?.forEach((v, i) => {
    const s = checkStep(c, v, `steps[${i}]`);
    if (!s) return;
    if (s.packet <= last) c.err(`steps[${i}].packet`, `(${s.packet}) must be greater than the step before (${last}): steps go in packet order, one per packet`);
    last = Math.max(last, s.packet);
    if (range && (s.packet < range.from || (range.to !== undefined && s.packet > range.to))) {
      c.err(`steps[${i}].packet`, `(${s.packet}) is outside range ${range.from}..${range.to ?? 'end'}`);
    }
    steps.push(s);
  });

  const references: LessonReference[] = [];
  c.list(o, 'references', '', false, 20)?.forEach((v, i) => {
    const r = checkReference(c, v, `references[${i}]`);
    if (r) references.push(r);
  });
  const credits = c.text(o, 'credits', '', false, 2000);

  if (c.errors.length || id === undefined || title === undefined) return { lesson: null, errors: capped(c.errors), warnings: capped(c.warnings) };
  const lesson: Lesson = {
    format: LESSON_FORMAT, version: version ?? 1, id, title, summary, intro, conclusion, captures, connection, steps,
  };
  if (range) lesson.range = range;
  if (options) lesson.options = options;
  if (names) lesson.names = names;
  if (firewallName !== undefined) lesson.firewallName = firewallName;
  if (references.length) lesson.references = references;
  if (credits !== undefined) lesson.credits = credits;
  return { lesson, errors: [], warnings: capped(c.warnings) };
}

/** Parses and checks lesson JSON text; a JSON syntax error is reported like any other error. */
export function parseLesson(text: string): LessonCheck {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { lesson: null, errors: [`(lesson file): not valid JSON: ${(e as Error).message}`], warnings: [] };
  }
  return validateLesson(raw);
}
