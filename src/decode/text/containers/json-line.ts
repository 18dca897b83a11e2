/**
 * JSON lines: Splunk's JSON results (`{"preview":false,"result":{"_time":"...","host":"...","_raw":"..."}}`, one
 * per line, or the same objects inside a `[ ... ]` array one per line), Filebeat/Elastic NDJSON
 * (`{"@timestamp":"...","message":"<166>... %ASA-6-302013: ...","host":{"name":"..."},...}`, `/` written `\/`
 * by some encoders) and Graylog's JSON (`message`, `timestamp`, `source`). The message is the first of
 * `_raw`, `message`, `event.original`, `log.original`, `full_message`, `msg`; nested objects are searched.
 * A line that is not valid JSON (cut, or not JSON at all) is read by a tolerant scan for the message string,
 * so a truncated export keeps every whole message.
 */

const MESSAGE_KEYS = ['_raw', 'message', 'event.original', 'log.original', 'full_message', 'msg', 'MESSAGE'];
const TIME_KEYS = ['_time', '@timestamp', 'timestamp', 'time'];
const HOST_KEYS = ['host', 'hostname', 'source', 'host.name', 'host.hostname', 'observer.hostname'];

export interface JsonFields {
  message: string | null;
  time: string | null;
  host: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `a.b` through nested objects or as a flat dotted key. */
function path(o: Obj, key: string): unknown {
  if (key in o) return o[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const head = o[key.slice(0, dot)];
  return isObj(head) ? path(head, key.slice(dot + 1)) : undefined;
}

function pick(o: Obj, keys: string[], depth: number): string | null {
  for (const k of keys) {
    const v = path(o, k);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && k !== 'message') return String(v);
    if (isObj(v) && (k === 'host' || k === 'hostname')) {
      const n = v.name ?? v.hostname;
      if (typeof n === 'string') return n;
    }
  }
  // Wrappers: Splunk's `result`, or any single nested object (bounded depth: a hostile file cannot recurse far).
  if (depth < 4) {
    for (const k of ['result', '_source', 'fields', 'event', 'log']) {
      const v = o[k];
      if (isObj(v)) {
        const r = pick(v, keys, depth + 1);
        if (r !== null) return r;
      }
    }
  }
  return null;
}

/** Reads one JSON line (a trailing `,` or an array's `[`/`]` tolerated); null when no message was found. */
export function readJsonLine(line: string): JsonFields | null {
  let s = line.trim();
  if (s.charCodeAt(0) === 91) s = s.slice(1).trim(); // `[` opening an array export
  if (s.endsWith(']') && !s.endsWith('"]')) s = s.slice(0, -1).trim();
  if (s.endsWith(',')) s = s.slice(0, -1);
  if (s.charCodeAt(0) !== 123) return null;
  let o: unknown;
  try {
    o = JSON.parse(s);
  } catch {
    return scanJsonLine(s);
  }
  if (!isObj(o)) return null;
  let message = pick(o, MESSAGE_KEYS, 0);
  if (message !== null && message.indexOf('%') < 0) {
    // Elastic's parsed documents keep the message without its tag; the whole line is in event.original.
    const original = pick(o, ['event.original', 'log.original'], 0);
    if (original !== null) message = original;
  }
  return message === null ? null : { message, time: pick(o, TIME_KEYS, 0), host: pick(o, HOST_KEYS, 0) };
}

/** The JSON string starting at s[i] (after its opening quote), decoded; cut strings end at the line's end. */
function jsonString(s: string, i: number): string {
  let out = '';
  let j = i;
  while (j < s.length) {
    const bs = s.indexOf('\\', j);
    const q = s.indexOf('"', j);
    if (q >= 0 && (bs < 0 || q < bs)) return out + s.slice(j, q);
    if (bs < 0) return out + s.slice(j);
    out += s.slice(j, bs);
    const c = s.charAt(bs + 1);
    if (c === 'u') {
      const code = parseInt(s.slice(bs + 2, bs + 6), 16);
      out += Number.isFinite(code) ? String.fromCharCode(code) : '';
      j = bs + 6;
    } else {
      out += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === 'b' ? '\b' : c === 'f' ? '\f' : c;
      j = bs + 2;
    }
  }
  return out;
}

function scanKey(s: string, keys: string[]): string | null {
  for (const k of keys) {
    const name = k.slice(k.lastIndexOf('.') + 1);
    const re = new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*"`);
    const m = re.exec(s);
    if (m) return jsonString(s, m.index + m[0].length);
  }
  return null;
}

/** Tolerant read of a line that is not valid JSON (cut mid-string, damaged). */
function scanJsonLine(s: string): JsonFields | null {
  const message = scanKey(s, MESSAGE_KEYS);
  if (message === null) return null;
  return { message, time: scanKey(s, TIME_KEYS), host: scanKey(s, ['host', 'hostname', 'name', 'source']) };
}
