/**
 * JSON text written as UTF-8 straight into one growing byte buffer: member names and other fixed text encoded once
 * (`utf8`), numbers as digits, strings escaped as JSON.stringify escapes them. Writing 100,000 connection records
 * (analysis/connection-members.ts, through lib/member-bytes.ts) this way makes no string per member or per record: building them as template strings
 * made a rope of ~60 pieces per record, flattened and encoded once more when written, and its garbage cost as much
 * as the rest.
 */
import { Ipv4Value, type Phrase, type PhraseValue } from './phrase';

const encoder = new TextEncoder();

/** Fixed text as bytes, made once (member names, punctuation). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export class JsonBytes {
  /** The bytes written so far are buf[0 .. n). */
  n = 0;

  constructor(
    public buf: Uint8Array,
    /** Makes a bigger buffer when a record does not fit (the writer's own kind of buffer). */
    private readonly alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size),
    /** Writes `s` as UTF-8 into `buf` at `at` (room is made first), returns the bytes written: Node's Buffer has a faster way. */
    private readonly encode: (s: string, buf: Uint8Array, at: number) => number = (s, buf, at) => encoder.encodeInto(s, buf.subarray(at)).written,
    /** Whether bytes [start, end) of buf are printable ASCII without `"` or `\` (a long string's check): Node has faster ways. */
    private readonly plain: (buf: Uint8Array, start: number, end: number) => boolean = plainBytes,
  ) {}

  /** Room for `more` bytes after n. */
  room(more: number): void {
    if (this.n + more <= this.buf.length) return;
    const bigger = this.alloc(Math.max(this.buf.length * 2, this.n + more));
    bigger.set(this.buf.subarray(0, this.n));
    this.buf = bigger;
  }

  /** Bytes made by utf8(). */
  raw(b: Uint8Array): void {
    this.room(b.length);
    const buf = this.buf;
    let n = this.n;
    if (b.length > 16) buf.set(b, n);
    else for (let i = 0; i < b.length; i++) buf[n + i] = b[i];
    this.n = n + b.length;
  }

  /** One ASCII character by code. */
  byte(c: number): void {
    this.room(1);
    this.buf[this.n++] = c;
  }

  /** A number as JSON.stringify writes it: integers as digits here, the rest (and non-finite as null) as text. */
  num(v: number): void {
    if (v >= 0 && v <= 0xffffffff && v === Math.floor(v)) {
      this.room(10);
      const buf = this.buf;
      let n = this.n;
      if (v < 10) {
        buf[n++] = 48 + v;
        this.n = n;
        return;
      }
      let digits = 1;
      for (let p = 10; p <= v; p *= 10) digits++;
      n += digits;
      this.n = n;
      if (v <= 0x7fffffff) {
        // In 31 bits: integer division (a double's % is a call to fmod, the slowest part of writing a number).
        for (let x = v | 0; digits > 0; digits--) {
          const q = (x / 10) | 0;
          buf[--n] = 48 + x - q * 10;
          x = q;
        }
        return;
      }
      for (let x = v; digits > 0; digits--) {
        const d = x % 10;
        buf[--n] = 48 + d;
        x = (x - d) / 10;
      }
      return;
    }
    this.ascii(Number.isFinite(v) ? String(v) : 'null');
  }

  /** The dotted text of IPv4 address `code` (a uint32), quoted: what str() writes for that text. */
  ipv4(code: number): void {
    this.room(17);
    const buf = this.buf;
    buf[this.n] = 34;
    const n = dottedIpv4(buf, this.n + 1, code);
    buf[n] = 34;
    this.n = n + 1;
  }

  /** true or false. */
  bool(v: boolean): void {
    this.raw(v ? TRUE : FALSE);
  }

  /** Text known to be printable ASCII without `"` or `\` (numbers as text, fixed names), unquoted. */
  ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    const n = this.n;
    for (let i = 0; i < s.length; i++) buf[n + i] = s.charCodeAt(i);
    this.n = n + s.length;
  }

  /** A string as JSON.stringify writes it (quoted and escaped); null as null. */
  str(s: string | null): void {
    if (s === null) {
      this.raw(NULL);
      return;
    }
    const len = s.length;
    if (len > LONG) {
      this.longStr(s);
      return;
    }
    this.room(len + 2);
    const buf = this.buf;
    const start = this.n;
    let n = start;
    buf[n++] = 34;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      // Printable ASCII other than " and \ is written as it is; anything else takes JSON.stringify's way.
      if (c < 32 || c > 126 || c === 34 || c === 92) {
        this.n = start;
        this.text(JSON.stringify(s));
        return;
      }
      buf[n++] = c;
    }
    buf[n++] = 34;
    this.n = n;
  }

  /**
   * str() of a long string: copied natively as UTF-8, then its bytes checked (a loop over bytes is several times
   * faster than one over characters); `"` and `\` escaped there (escapeQuotes), JSON.stringify's way only for a
   * control character or a surrogate.
   */
  private longStr(s: string): void {
    this.room(s.length * 3 + 2);
    const buf = this.buf;
    const start = this.n;
    buf[start] = 34;
    let end = start + 1 + this.encode(s, buf, start + 1);
    if (!this.plain(buf, start + 1, end) && (end = escapeQuotes(s, buf, start + 1, end)) < 0) {
      this.n = start;
      this.text(JSON.stringify(s));
      return;
    }
    buf[end] = 34;
    this.n = end + 1;
  }

  /** Any text as UTF-8 (already JSON: a stringified value). */
  text(s: string): void {
    this.room(s.length * 3);
    this.n += this.encode(s, this.buf, this.n);
  }
}

/**
 * Texts written as the JSON string of their parts joined by spaces, a part being a string, the index of a fixed
 * one (`fixedText`) or a phrase (lib/phrase.ts), whose bytes are kept once made (a fixed text's, a phrase's pieces):
 * for long texts made mostly of sentences from a small set (analysis/explain.ts explainParts, analysis/firewall/
 * explain.ts), which then cost a copy per fixed piece instead of a joined string encoded and checked per text.
 */
export class JoinedText {
  private readonly kept: (Uint8Array | undefined)[] = [];
  private readonly pieces = new Map<TemplateStringsArray, Uint8Array[]>();

  constructor(private readonly fixedText: (k: number) => string = noFixedText) {}

  /** JSON.stringify of the parts' texts joined by spaces, into w. */
  write(w: JsonBytes, parts: readonly (string | number | Phrase)[]): void {
    w.byte(34);
    for (let j = 0; j < parts.length; j++) {
      if (j) w.byte(32);
      const p = parts[j];
      if (typeof p === 'number') w.raw(this.kept[p] ?? (this.kept[p] = this.keep(w, this.fixedText(p))));
      else this.value(w, p);
    }
    w.byte(34);
  }

  /** A part's or a phrase value's JSON, without quotes. */
  private value(w: JsonBytes, v: PhraseValue): void {
    if (typeof v === 'string') {
      if (v !== '') this.inner(w, v);
    } else if (typeof v === 'number') {
      // Digits, a sign, a point, an exponent or a name (NaN): nothing JSON escapes. num() writes an integer's
      // digits as String does, without making the string (a port per address in a big log's explanations).
      if (v >= 0 && v <= 0xffffffff && v === Math.floor(v)) w.num(v);
      else w.ascii(String(v));
    } else if (v instanceof Ipv4Value) {
      w.room(15);
      w.n = dottedIpv4(w.buf, w.n, v.code);
    } else {
      const pieces = this.pieces.get(v.s) ?? this.keepPieces(w, v.s);
      w.raw(pieces[0]);
      for (let k = 0; k < v.v.length; k++) {
        this.value(w, v.v[k]);
        w.raw(pieces[k + 1]);
      }
    }
  }

  private keepPieces(w: JsonBytes, s: TemplateStringsArray): Uint8Array[] {
    const pieces = s.map((text) => this.keep(w, text));
    this.pieces.set(s, pieces);
    return pieces;
  }

  /** The bytes of `text` without quotes, made once. */
  private keep(w: JsonBytes, text: string): Uint8Array {
    const at = w.n;
    this.inner(w, text);
    // A plain copy (a Node Buffer's slice() would be a view of bytes the writer reuses); the bytes are then taken
    // back out of w, which write() puts them into again.
    const bytes = new Uint8Array(w.buf.subarray(at, w.n));
    w.n = at;
    return bytes;
  }

  /**
   * A string's JSON without its quotes: printable ASCII other than `"` and `\` as it is; any other string written
   * quoted, then moved back over its opening quote (a part holds no character JSON escapes otherwise than on its
   * own: the parts are joined by spaces and a phrase's pieces are the code's text, so no surrogate pair spans two).
   */
  private inner(w: JsonBytes, s: string): void {
    const len = s.length;
    if (len <= PLAIN_INNER) {
      w.room(len);
      const buf = w.buf;
      const n = w.n;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c < 32 || c > 126 || c === 34 || c === 92) break;
        buf[n + i] = c;
      }
      if (i === len) {
        w.n = n + len;
        return;
      }
    }
    const at = w.n;
    w.str(s);
    w.buf.copyWithin(at, at + 1, w.n - 1);
    w.n -= 2;
  }
}

/** JoinedText values this long or shorter (addresses, times, names) are copied by a loop over their characters. */
const PLAIN_INNER = 64;

function noFixedText(k: number): string {
  throw new Error(`no fixed text ${k}`);
}

/** Whether bytes [start, end) of buf are printable ASCII other than `"` and `\`, i.e. written in JSON as they are. */
export function plainBytes(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c < 32 || c > 126 || c === 34 || c === 92) return false;
  }
  return true;
}

/** Characters JSON.stringify writes otherwise than as their UTF-8 (control characters, lone surrogates; pairs too here). */
const NOT_AS_UTF8 = /[\u0000-\u001f\ud800-\udfff]/;

/**
 * Escapes the `"` and `\` among bytes [start, end) of buf, the UTF-8 of `s` (with room after it for one more byte per
 * character), as JSON.stringify does: found with indexOf, the bytes after each moved with copyWithin (a loop over the
 * bytes in JavaScript was no faster than JSON.stringify). Returns the new end, or -1 when `s` holds a character
 * JSON.stringify writes otherwise (a control character, a surrogate). Other non-ASCII and DEL are written as they are.
 */
export function escapeQuotes(s: string, buf: Uint8Array, start: number, end: number): number {
  if (NOT_AS_UTF8.test(s)) return -1;
  const v = buf.subarray(start, end);
  let extra = 0;
  for (let p = v.indexOf(34); p >= 0; p = v.indexOf(34, p + 1)) extra++;
  for (let p = v.indexOf(92); p >= 0; p = v.indexOf(92, p + 1)) extra++;
  const to = end + extra;
  // From the last one back: each moves up by the number of escapes at or before it.
  for (let hi = end - start; extra > 0; extra--) {
    const p = Math.max(v.lastIndexOf(34, hi - 1), v.lastIndexOf(92, hi - 1));
    buf.copyWithin(start + p + extra, start + p, start + hi);
    buf[start + p + extra - 1] = 92;
    hi = p;
  }
  return to;
}

/**
 * The dotted text of IPv4 address `code` (a uint32) written into buf from n (room for 15 bytes from n needed), nothing
 * past it; returns the end. The one writer of that text from the number: JsonBytes.ipv4, the command line's table cells
 * (cli/cell-bytes.ts), model/names.ts ipv4CodeId.
 */
export function dottedIpv4(buf: Uint8Array, n: number, code: number): number {
  // The four octets one after the other, not in a loop (as IsoBytes' digits: model/iso-bytes.ts).
  n = octet(buf, n, code >>> 24);
  buf[n++] = 46;
  n = octet(buf, n, (code >>> 16) & 255);
  buf[n++] = 46;
  n = octet(buf, n, (code >>> 8) & 255);
  buf[n++] = 46;
  return octet(buf, n, code & 255);
}

/** Octet o's (0-255) digits from a table at buf[n]; no byte past them is written (a table row's padding may be there). */
function octet(buf: Uint8Array, n: number, o: number): number {
  const t = o * 4;
  const len = OCTETS[t];
  buf[n] = OCTETS[t + 1];
  if (len > 1) buf[n + 1] = OCTETS[t + 2];
  if (len > 2) buf[n + 2] = OCTETS[t + 3];
  return n + len;
}

/** Per octet 0-255: its number of digits, then its digits (ASCII), 4 bytes each (dottedIpv4). */
const OCTETS = new Uint8Array(256 * 4);
for (let o = 0; o < 256; o++) {
  const d = String(o);
  OCTETS[o * 4] = d.length;
  for (let k = 0; k < d.length; k++) OCTETS[o * 4 + 1 + k] = d.charCodeAt(k);
}

/** Strings longer than this are copied natively, then checked (str). */
const LONG = 32;
const TRUE = utf8('true');
const FALSE = utf8('false');
const NULL = utf8('null');
