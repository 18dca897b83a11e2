/**
 * Scanners of the syslog fast path (syslog-fast.ts) over a line's bytes (ASCII: one byte per character), before
 * any text is made of it: literals, IPv4 addresses, endpoints and numbers read where they stand, names interned by
 * a hash of their bytes, so that a line makes no string at all once its names have been seen. Each accepts only
 * the plainest form of its field (what the general readers in syslog-fields.ts read the same way); anything else
 * makes the caller give the line, as text, to those readers.
 */
import type { Names } from '../../model/names';
import type { Cursor } from './text-scan';

/** A literal's bytes (ASCII). */
export const lit = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * A literal for startsAt and find: its bytes, its whole 4-byte groups as little-endian int32 words, and the byte
 * find looks for first (its first that is not a space: spaces are the commonest byte of a line) and where.
 */
export interface Literal {
  bytes: Uint8Array;
  words: Int32Array;
  anchor: number;
  anchorAt: number;
}

export function literal(s: string): Literal {
  const bytes = lit(s);
  const words = new Int32Array(bytes.length >> 2);
  for (let k = 0; k < words.length; k++) words[k] = bytes[4 * k] | (bytes[4 * k + 1] << 8) | (bytes[4 * k + 2] << 16) | (bytes[4 * k + 3] << 24);
  let anchorAt = 0;
  while (anchorAt < bytes.length - 1 && bytes[anchorAt] === 32) anchorAt++;
  return { bytes, words, anchor: bytes[anchorAt], anchorAt };
}

let viewed: Uint8Array | null = null;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
/**
 * A DataView over b's bytes (same indices), kept for the next call with the same b (the line reader hands every line
 * of a piece in one array): 4 bytes compared at once at any offset, ~3x fewer steps than a byte at a time.
 */
export function viewOf(b: Uint8Array): DataView {
  if (b !== viewed) {
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    viewed = b;
  }
  return view;
}

/** Do b[p, p + n) and the 4-byte words `w` and bytes `l` (n of them) hold the same bytes? (p + n within b.) */
export function sameBytes(b: Uint8Array, p: number, w: Int32Array, l: Uint8Array, n: number): boolean {
  const v = viewOf(b);
  const words = n >> 2;
  for (let k = 0; k < words; k++) if (v.getInt32(p + 4 * k, true) !== w[k]) return false;
  for (let k = words * 4; k < n; k++) if (b[p + k] !== l[k]) return false;
  return true;
}

/** Does b[p..] start with the literal `l` (within `end`)? */
export function startsAt(b: Uint8Array, p: number, end: number, l: Literal): boolean {
  const n = l.bytes.length;
  return p + n <= end && sameBytes(b, p, l.words, l.bytes, n);
}

const HIGH = 0x80808080 | 0;

/**
 * Whether every byte of b[a, e) is printable ASCII (32-126): four at a time (a byte of 128 or more, one below 32,
 * one equal to 127, each found by a word test), the last few one by one.
 */
export function printable(b: Uint8Array, a: number, e: number): boolean {
  const v = viewOf(b);
  let i = a;
  for (; i + 4 <= e; i += 4) {
    const x = v.getInt32(i, true);
    const del = x ^ 0x7f7f7f7f;
    // With no high bit set: (x - 0x20 per byte) & ~x has a high bit set iff a byte is below 0x20; likewise a zero
    // byte of x ^ 0x7f per byte is a byte 127.
    if ((x & HIGH) !== 0 || ((x - 0x20202020) & ~x & HIGH) !== 0 || ((del - 0x01010101) & ~del & HIGH) !== 0) return false;
  }
  for (; i < e; i++) if (b[i] < 32 || b[i] > 126) return false;
  return true;
}

/** Index of the first `l` in b[p, end), -1 when none. */
export function find(b: Uint8Array, p: number, end: number, l: Literal): number {
  const c = l.anchor;
  const k = l.anchorAt;
  const n = l.bytes.length;
  const last = end - n + k;
  for (let i = p + k; i <= last; i++) if (b[i] === c && sameBytes(b, i - k, l.words, l.bytes, n)) return i - k;
  return -1;
}

/** The text of b[a, e) (ASCII bytes). */
export function asciiText(b: Uint8Array, a: number, e: number): string {
  let s = '';
  for (let i = a; i < e; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  return s;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The canonical dotted IPv4 address at b[p..] (four parts 0-255 without leading zeros, as model/names.ts ipv4Code
 * accepts) as a uint32, not followed by a digit or a dot; -1 otherwise. `at.end` gets its end. (Past the line's end
 * the bytes are those of the next line or undefined: a following digit or dot there only makes this refuse.)
 */
export function scanIpv4(b: Uint8Array, p: number, at: Cursor): number {
  let v = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (b[p] !== 46) return -1;
      p++;
    }
    let c = b[p] - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    let n = c;
    p++;
    if (n !== 0) {
      c = b[p] - 48;
      if (c >= 0 && c <= 9) {
        n = n * 10 + c;
        p++;
        c = b[p] - 48;
        if (c >= 0 && c <= 9) {
          n = n * 10 + c;
          p++;
          if (n > 255) return -1;
        }
      }
    }
    v = (v << 8) | n;
  }
  const c = b[p];
  if (isDigit(c) || c === 46) return -1;
  at.end = p;
  // Int32 steps above (no floating-point multiply), the value unsigned here.
  return v >>> 0;
}

/** Decimal digits at b[p, end) (at least one, at most 15: exact in a double); -1 otherwise. `at.end` gets their end. */
export function scanDigits(b: Uint8Array, p: number, end: number, at: Cursor): number {
  let v = 0;
  let i = p;
  while (i < end) {
    const c = b[i] - 48;
    if (!(c >= 0 && c <= 9)) break;
    v = v * 10 + c;
    i++;
  }
  if (i === p || i - p > 15) return -1;
  at.end = i;
  return v;
}

/** `h:mm:ss` (hours unbounded) at b[p..] as seconds, as syslog-fields.ts readDuration reads it; -1 when not that shape. */
export function scanDuration(b: Uint8Array, p: number, end: number, at: Cursor): number {
  const h = scanDigits(b, p, end, at);
  if (h < 0 || at.end >= end || b[at.end] !== 58) return -1;
  const m = scanDigits(b, at.end + 1, end, at);
  if (m < 0 || at.end >= end || b[at.end] !== 58) return -1;
  const sec = scanDigits(b, at.end + 1, end, at);
  if (sec < 0) return -1;
  return h * 3600 + m * 60 + sec;
}

/** Where an endpoint `[iface:]a.b.c.d/port[ (m.m.m.m/port)]` lies in the line (scanEndpoint fills it). */
export interface EndpointScan {
  ifaceStart: number;
  ifaceEnd: number;
  addr: number;
  addrStart: number;
  addrEnd: number;
  port: number;
  /** The mapped group's address (-1 when none) and its place, and its port. */
  mapped: number;
  mappedStart: number;
  mappedEnd: number;
  mappedPort: number;
}

export function createEndpointScan(): EndpointScan {
  return { ifaceStart: 0, ifaceEnd: 0, addr: -1, addrStart: 0, addrEnd: 0, port: -1, mapped: -1, mappedStart: 0, mappedEnd: 0, mappedPort: -1 };
}

/** Per byte in an endpoint's interface: 1 a character of its name (printable but colon, slash, parentheses), 2 the colon after it. */
const IFACE_CHAR = new Uint8Array(256);
for (let c = 33; c <= 126; c++) IFACE_CHAR[c] = c === 47 || c === 40 || c === 41 ? 0 : 1;
IFACE_CHAR[58] = 2;

/**
 * The endpoint at b[p, end): `iface:` first when `withIface` (an interface of any printable characters but colon,
 * slash and parentheses), then an IPv4 address, `/`, the port, and when `withMapped` an optional ` (m.m.m.m/port)`.
 * Returns where it ends, -1 when the text there is not that shape.
 */
export function scanEndpoint(b: Uint8Array, p: number, end: number, withIface: boolean, withMapped: boolean, out: EndpointScan, at: Cursor): number {
  if (withIface) {
    const a = p;
    for (;;) {
      if (p >= end) return -1;
      const k = IFACE_CHAR[b[p]];
      if (k !== 1) {
        if (k === 2) break;
        return -1;
      }
      p++;
    }
    if (p === a) return -1;
    out.ifaceStart = a;
    out.ifaceEnd = p;
    p++;
  }
  out.addrStart = p;
  const addr = scanIpv4(b, p, at);
  if (addr < 0 || at.end >= end || b[at.end] !== 47) return -1;
  out.addr = addr;
  out.addrEnd = at.end;
  const port = scanDigits(b, at.end + 1, end, at);
  if (port < 0) return -1;
  out.port = port;
  p = at.end;
  out.mapped = -1;
  out.mappedPort = -1;
  if (withMapped && p + 1 < end && b[p] === 32 && b[p + 1] === 40) {
    const m = scanIpv4(b, p + 2, at);
    if (m < 0 || at.end >= end || b[at.end] !== 47) return -1;
    out.mapped = m;
    out.mappedStart = p + 2;
    out.mappedEnd = at.end;
    const mp = scanDigits(b, at.end + 1, end, at);
    if (mp < 0 || at.end >= end || b[at.end] !== 41) return -1;
    out.mappedPort = mp;
    p = at.end + 1;
  }
  return p;
}

/**
 * Names of few values (interfaces, devices, teardown reasons, rules) interned by a hash of their bytes where they
 * stand in the line: the text is made only when the table does not have it (once per distinct name).
 */
export class TokenIds {
  private hashes = new Int32Array(256);
  /** names id + 1 per slot (0: empty). */
  private ids = new Int32Array(256);
  /** Per slot, where its name's bytes are in `bytes` and how many (compared there, not with the string). */
  private at = new Int32Array(256);
  private len = new Int32Array(256);
  private bytes = new Uint8Array(4096);
  private used = 0;
  private count = 0;
  /**
   * By length (below 64): the last name of that length asked for (its place in `bytes`, names id + 1; 0: none),
   * compared before hashing: a line's few names (interfaces, a reason) mostly differ in length from each other.
   */
  private lastAt = new Int32Array(64);
  private lastId = new Int32Array(64);

  constructor(readonly names: Names) {}

  /** The names id of the text of b[a, e) (names.id of that text). */
  id(b: Uint8Array, a: number, e: number): number {
    const n = e - a;
    const last = n < 64 ? this.lastId[n] : 0;
    if (last !== 0 && this.same(this.lastAt[n], b, a, n)) return last - 1;
    const id = this.hashed(b, a, e);
    if (n < 64) this.lastId[n] = id + 1;
    return id;
  }

  private hashed(b: Uint8Array, a: number, e: number): number {
    const n = e - a;
    let h = 0x811c9dc5 ^ n;
    for (let i = a; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const mask = this.ids.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const v = this.ids[slot];
      if (v === 0) break;
      if (this.hashes[slot] === h && this.len[slot] === n && this.same(this.at[slot], b, a, n)) {
        if (n < 64) this.lastAt[n] = this.at[slot];
        return v - 1;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.names.id(asciiText(b, a, e));
    this.hashes[slot] = h;
    this.ids[slot] = id + 1;
    this.at[slot] = this.keep(b, a, n);
    this.len[slot] = n;
    if (n < 64) this.lastAt[n] = this.at[slot];
    if (++this.count * 2 > this.ids.length) this.rehash();
    return id;
  }

  /** Are the n bytes kept at `at` those of b[a, a + n)? */
  private same(at: number, b: Uint8Array, a: number, n: number): boolean {
    const kept = this.bytes;
    let i = 0;
    while (i < n && kept[at + i] === b[a + i]) i++;
    return i === n;
  }

  /** A copy of b[a, a + n) in `bytes`; returns where. */
  private keep(b: Uint8Array, a: number, n: number): number {
    if (this.used + n > this.bytes.length) {
      const more = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
      more.set(this.bytes);
      this.bytes = more;
    }
    const at = this.used;
    this.bytes.set(b.subarray(a, a + n), at);
    this.used += n;
    return at;
  }

  private rehash(): void {
    const hashes = this.hashes;
    const ids = this.ids;
    const at = this.at;
    const len = this.len;
    this.hashes = new Int32Array(hashes.length * 2);
    this.ids = new Int32Array(ids.length * 2);
    this.at = new Int32Array(ids.length * 2);
    this.len = new Int32Array(ids.length * 2);
    const mask = this.ids.length - 1;
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] === 0) continue;
      let slot = (hashes[k] ^ (hashes[k] >>> 15)) & mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[k];
      this.ids[slot] = ids[k];
      this.at[slot] = at[k];
      this.len[slot] = len[k];
    }
  }
}
