/**
 * Scanners of the syslog fast path (syslog-fast.ts): read an IPv4 address, an endpoint or a name where it stands in
 * the line, as numbers and positions, and intern names by a hash of their characters, so that a line makes no
 * string at all once its names have been seen. Each accepts only the plainest form of its field (what the general
 * readers in syslog-fields.ts read the same way); anything else makes the caller give the line to those readers.
 */
import type { Names } from '../../model/names';
import type { Cursor } from './text-scan';

/**
 * The canonical dotted IPv4 address at s[p..] (four parts 0-255 without leading zeros, as model/names.ts ipv4Code
 * accepts) as a uint32, not followed by a digit or a dot; -1 otherwise. `at.end` gets its end.
 */
export function scanIpv4(s: string, p: number, at: Cursor): number {
  let v = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(p) !== 46) return -1;
      p++;
    }
    let c = s.charCodeAt(p) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    let n = c;
    p++;
    if (n !== 0) {
      c = s.charCodeAt(p) - 48;
      if (c >= 0 && c <= 9) {
        n = n * 10 + c;
        p++;
        c = s.charCodeAt(p) - 48;
        if (c >= 0 && c <= 9) {
          n = n * 10 + c;
          p++;
          if (n > 255) return -1;
        }
      }
    }
    v = v * 256 + n;
  }
  const c = s.charCodeAt(p);
  if ((c >= 48 && c <= 57) || c === 46) return -1;
  at.end = p;
  return v;
}

/** Decimal digits at s[p..] (at least one, at most 15: exact in a double); -1 otherwise. `at.end` gets their end. */
export function scanDigits(s: string, p: number, at: Cursor): number {
  let v = 0;
  let i = p;
  for (;;) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) break;
    v = v * 10 + c;
    i++;
  }
  if (i === p || i - p > 15) return -1;
  at.end = i;
  return v;
}

/** `h:mm:ss` (hours unbounded) at s[p..] as seconds, as syslog-fields.ts readDuration reads it; -1 when not that shape. */
export function scanDuration(s: string, p: number, at: Cursor): number {
  const h = scanDigits(s, p, at);
  if (h < 0 || s.charCodeAt(at.end) !== 58) return -1;
  const m = scanDigits(s, at.end + 1, at);
  if (m < 0 || s.charCodeAt(at.end) !== 58) return -1;
  const sec = scanDigits(s, at.end + 1, at);
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
 * The endpoint at s[p..]: `iface:` first when `withIface` (an interface of any characters but colon, space, slash
 * and parentheses), then an IPv4 address, `/`, the port, and when `withMapped` an optional ` (m.m.m.m/port)`.
 * Returns where it ends, -1 when the text there is not that shape.
 */
export function scanEndpoint(s: string, p: number, withIface: boolean, withMapped: boolean, out: EndpointScan, at: Cursor): number {
  if (withIface) {
    const a = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 58) break;
      if (!(c > 32) || c === 47 || c === 40 || c === 41) return -1; // space, control, end of line, slash, parentheses
      p++;
    }
    if (p === a) return -1;
    out.ifaceStart = a;
    out.ifaceEnd = p;
    p++;
  }
  out.addrStart = p;
  const addr = scanIpv4(s, p, at);
  if (addr < 0 || s.charCodeAt(at.end) !== 47) return -1;
  out.addr = addr;
  out.addrEnd = at.end;
  const port = scanDigits(s, at.end + 1, at);
  if (port < 0) return -1;
  out.port = port;
  p = at.end;
  out.mapped = -1;
  out.mappedPort = -1;
  if (withMapped && s.charCodeAt(p) === 32 && s.charCodeAt(p + 1) === 40) {
    const m = scanIpv4(s, p + 2, at);
    if (m < 0 || s.charCodeAt(at.end) !== 47) return -1;
    out.mapped = m;
    out.mappedStart = p + 2;
    out.mappedEnd = at.end;
    const mp = scanDigits(s, at.end + 1, at);
    if (mp < 0 || s.charCodeAt(at.end) !== 41) return -1;
    out.mappedPort = mp;
    p = at.end + 1;
  }
  return p;
}

/**
 * Names of few values (interfaces, devices, teardown reasons, rules) interned by a hash of their characters where
 * they stand in the line: the text is made only when the table does not have it (once per distinct name).
 */
export class TokenIds {
  private hashes = new Int32Array(256);
  /** names id + 1 per slot (0: empty). */
  private ids = new Int32Array(256);
  private count = 0;

  constructor(readonly names: Names) {}

  /** The names id of s[a, b) (names.id of that text). */
  id(s: string, a: number, b: number): number {
    let h = 0x811c9dc5 ^ (b - a);
    for (let i = a; i < b; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const mask = this.ids.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const v = this.ids[slot];
      if (v === 0) break;
      if (this.hashes[slot] === h && this.same(this.names.list[v - 1], s, a, b)) return v - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.names.id(s.slice(a, b));
    this.hashes[slot] = h;
    this.ids[slot] = id + 1;
    if (++this.count * 2 > this.ids.length) this.rehash();
    return id;
  }

  private same(t: string, s: string, a: number, b: number): boolean {
    if (t.length !== b - a) return false;
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) !== s.charCodeAt(a + i)) return false;
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
