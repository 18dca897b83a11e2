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

/** Does b[p..] start with the literal `l` (within `end`)? */
export function startsAt(b: Uint8Array, p: number, end: number, l: Uint8Array): boolean {
  const n = l.length;
  if (p + n > end) return false;
  for (let k = 0; k < n; k++) if (b[p + k] !== l[k]) return false;
  return true;
}

/** Index of the first `l` in b[p, end), -1 when none. */
export function find(b: Uint8Array, p: number, end: number, l: Uint8Array): number {
  const first = l[0];
  const last = end - l.length;
  for (let i = p; i <= last; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < l.length && b[i + k] === l[k]) k++;
    if (k === l.length) return i;
  }
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
    v = v * 256 + n;
  }
  const c = b[p];
  if (isDigit(c) || c === 46) return -1;
  at.end = p;
  return v;
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
      const c = b[p];
      if (c === 58) break;
      if (c <= 32 || c > 126 || c === 47 || c === 40 || c === 41) return -1;
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
  private count = 0;

  constructor(readonly names: Names) {}

  /** The names id of the text of b[a, e) (names.id of that text). */
  id(b: Uint8Array, a: number, e: number): number {
    let h = 0x811c9dc5 ^ (e - a);
    for (let i = a; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const mask = this.ids.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const v = this.ids[slot];
      if (v === 0) break;
      if (this.hashes[slot] === h && this.same(this.names.list[v - 1], b, a, e)) return v - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.names.id(asciiText(b, a, e));
    this.hashes[slot] = h;
    this.ids[slot] = id + 1;
    if (++this.count * 2 > this.ids.length) this.rehash();
    return id;
  }

  private same(t: string, b: Uint8Array, a: number, e: number): boolean {
    if (t.length !== e - a) return false;
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) !== b[a + i]) return false;
    return true;
  }

  private rehash(): void {
    const hashes = this.hashes;
    const ids = this.ids;
    this.hashes = new Int32Array(hashes.length * 2);
    this.ids = new Int32Array(ids.length * 2);
    const mask = this.ids.length - 1;
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] === 0) continue;
      let slot = (hashes[k] ^ (hashes[k] >>> 15)) & mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[k];
      this.ids[slot] = ids[k];
    }
  }
}
