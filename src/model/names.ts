/**
 * Interned strings of the firewall store (model/firewall-store.ts): one id per distinct string, IPv4 addresses by
 * their 32-bit value.
 */
import { dottedIpv4 } from '../lib/json-bytes';

/** No string: the id stored for an absent value. */
export const NONE = 0xffffffff;

/** Dotted IPv4 text in its one canonical form ("10.0.0.1": four parts 0-255, no leading zeros) as a uint32, else -1. */
export function ipv4Code(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
      continue;
    }
    if (c < 48 || c > 57 || (digits > 0 && part === 0)) return -1;
    part = part * 10 + (c - 48);
    digits++;
    if (part > 255) return -1;
  }
  return dots === 3 && digits > 0 ? v * 256 + part : -1;
}

/**
 * The text of canonical dotted IPv4 bytes b[a, e) (7 to 15 of them): String.fromCharCode with the bytes as its
 * arguments makes the string in one step, ~5x faster than fromCharCode.apply over a subarray (a big log interns
 * hundreds of thousands of addresses).
 */
function ipv4Text(b: Uint8Array, a: number, e: number): string {
  const f = String.fromCharCode;
  const c0 = b[a], c1 = b[a + 1], c2 = b[a + 2], c3 = b[a + 3], c4 = b[a + 4], c5 = b[a + 5], c6 = b[a + 6];
  switch (e - a) {
    case 7: return f(c0, c1, c2, c3, c4, c5, c6);
    case 8: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7]);
    case 9: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8]);
    case 10: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8], b[a + 9]);
    case 11: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8], b[a + 9], b[a + 10]);
    case 12: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8], b[a + 9], b[a + 10], b[a + 11]);
    case 13: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8], b[a + 9], b[a + 10], b[a + 11], b[a + 12]);
    case 14: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8], b[a + 9], b[a + 10], b[a + 11], b[a + 12], b[a + 13]);
    case 15: return f(c0, c1, c2, c3, c4, c5, c6, b[a + 7], b[a + 8], b[a + 9], b[a + 10], b[a + 11], b[a + 12], b[a + 13], b[a + 14]);
    default: return String.fromCharCode.apply(null, b.subarray(a, e) as unknown as number[]);
  }
}

/** The dotted text of an IPv4 value being made (Names.ipv4CodeId). */
const dottedScratch = new Uint8Array(16);

/**
 * Interned strings: id per distinct string. IPv4 addresses (most of a big log's distinct strings) are found by
 * their 32-bit value in a typed-array table instead of the Map: no string hashing, no Map entry per address.
 */
export class Names {
  readonly list: string[] = [];
  private readonly map = new Map<string, number>();
  /**
   * IPv4 value -> id: pairs (value, id + 1) side by side (0: empty slot), so a look-up touches one cache line (a big
   * log's table is megabytes: a miss per probe); open addressing, at most half full.
   */
  private ip = new Int32Array(2 << 12);
  private ipCount = 0;
  /** Bit k: id k is a dotted IPv4 address (a firewall log's normalised address ids need no look-up for them). */
  private v4Bits = new Int32Array(256);
  /** IPv4 value by id (0: not an IPv4 address, or 0.0.0.0): its text is made from the number (ipv4Of). */
  private codes = new Uint32Array(1 << 12);

  /** The index in `ip` of code's pair, or of the empty pair where it would go. */
  private ipSlot(code: number): number {
    const ip = this.ip;
    const mask = ip.length - 2;
    const key = code | 0;
    let i = this.ipHome(code);
    while (ip[i + 1] !== 0 && ip[i] !== key) i = (i + 2) & mask;
    return i;
  }

  /** The index in `ip` where code's probe starts. */
  private ipHome(code: number): number {
    let h = Math.imul(code ^ (code >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) << 1) & (this.ip.length - 2);
  }

  private ipAdd(slot: number, code: number, id: number): void {
    this.ip[slot] = code;
    this.ip[slot + 1] = id + 1;
    if (++this.ipCount * 4 <= this.ip.length) return;
    const old = this.ip;
    this.ip = new Int32Array(old.length * 2);
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] === 0) continue;
      const j = this.ipSlot(old[k] >>> 0);
      this.ip[j] = old[k];
      this.ip[j + 1] = old[k + 1];
    }
  }

  /** A copy of s to keep: `s` is usually a slice of a decoded chunk, and keeping the slice would keep the whole
   * chunk alive (V8 sliced strings point into their parent), hundreds of MB over a big log. */
  private own(s: string): string {
    return s.length > 12 ? (JSON.parse(JSON.stringify(s)) as string) : s;
  }

  /** `owned`: s owns its characters (it was not cut from a bigger text, e.g. received from another thread): kept as it is. */
  id(s: string | null | undefined, owned = false): number {
    if (s === null || s === undefined) return NONE;
    const code = ipv4Code(s);
    if (code >= 0) return this.ipv4Id(code, s, 0, s.length, owned);
    let i = this.map.get(s);
    if (i === undefined) {
      i = this.list.length;
      const own = owned ? s : this.own(s);
      this.list.push(own);
      this.map.set(own, i);
    }
    return i;
  }
  /**
   * id() of the canonical dotted IPv4 text s[a, b) (a string, or ASCII bytes) whose value is `code` (ipv4Code of
   * that text), read where it stands in a line: the text is made only the first time the address is seen.
   */
  ipv4Id(code: number, s: string | Uint8Array, a: number, b: number, owned = false): number {
    const slot = this.ipSlot(code);
    const known = this.ip[slot + 1];
    if (known !== 0) return known - 1;
    const i = this.list.length;
    const text = typeof s !== 'string' ? ipv4Text(s, a, b) : a === 0 && b === s.length ? s : s.slice(a, b);
    this.list.push(typeof s === 'string' && !owned ? this.own(text) : text); // text made from bytes owns its characters
    this.ipAdd(slot, code, i);
    if (i >>> 5 >= this.v4Bits.length) {
      const bits = new Int32Array(Math.max((i >>> 5) + 1, this.v4Bits.length * 2));
      bits.set(this.v4Bits);
      this.v4Bits = bits;
    }
    this.v4Bits[i >>> 5] |= 1 << (i & 31);
    if (i >= this.codes.length) {
      const codes = new Uint32Array(Math.max(i + 1, this.codes.length * 2));
      codes.set(this.codes);
      this.codes = codes;
    }
    this.codes[i] = code;
    return i;
  }

  /**
   * id() of the IPv4 address whose value is `code` (a uint32), its text made from the number the first time it is
   * seen: what a decoder on another thread sends instead of the names id (engine/record-batch.ts), so that it does
   * no look-up per address (a big log's table is megabytes: a cache miss per look-up).
   */
  ipv4CodeId(code: number): number {
    const known = this.ip[this.ipSlot(code) + 1];
    if (known !== 0) return known - 1;
    // The text made in one step from the digits (ipv4Text), not joined from four number strings.
    return this.ipv4Id(code, dottedScratch, 0, dottedIpv4(dottedScratch, 0, code));
  }

  /**
   * The first place of the IPv4 value `code` in the table of addresses, read and not looked at: a caller that reads
   * ahead for the look-ups it makes next (engine/record-batch.ts) has it in cache then.
   */
  ipv4Peek(code: number): number {
    return this.ip[this.ipHome(code)];
  }

  /**
   * The IPv4 value of name `id` when it is a dotted IPv4 address (whose text is then the canonical one of that value,
   * ipv4Code), else -1 (also for 0.0.0.0): lets a writer make the text from 4 bytes instead of reading the string.
   */
  ipv4Of(id: number): number {
    const code = id < this.codes.length ? this.codes[id] : 0;
    return code !== 0 ? code : -1;
  }

  /** Recently asked strings of few values (devices, interfaces, reasons) and their ids, tried before the map. */
  private readonly recent: string[] = [];
  private readonly recentId: number[] = [];
  private recentNext = 0;
  /**
   * id() for a field of few distinct values: a short list of recent strings is compared first, which is cheaper
   * than hashing the string into a big map (addresses make it hundreds of thousands of entries: cache misses).
   */
  idFew(s: string | null | undefined): number {
    if (s === null || s === undefined) return NONE;
    const r = this.recent;
    for (let k = 0; k < r.length; k++) if (r[k] === s) return this.recentId[k];
    const i = this.id(s);
    const slot = this.recentNext;
    this.recentNext = (slot + 1) & 7;
    r[slot] = this.list[i];
    this.recentId[slot] = i;
    return i;
  }
  /** The id of `s` if interned, else -1 (never adds). */
  find(s: string): number {
    const code = ipv4Code(s);
    if (code >= 0) {
      return this.ip[this.ipSlot(code) + 1] - 1;
    }
    return this.map.get(s) ?? -1;
  }
  /** Whether id names a dotted IPv4 address (in its one canonical form: ipv4Code). */
  isIpv4(id: number): boolean {
    const w = id >>> 5;
    return w < this.v4Bits.length && (this.v4Bits[w] & (1 << (id & 31))) !== 0;
  }
  at(id: number): string | null {
    return id === NONE ? null : this.list[id];
  }

  /** What readers on another thread need (NamesSnapshot): the list and the IPv4 facts by id, not the look-ups. */
  snapshot(): NamesSnapshot {
    return { list: this.list, v4Bits: this.v4Bits, codes: this.codes };
  }

  /** Names to read from a snapshot (at, list, isIpv4, ipv4Of; `id` and `find` know only the names added after it). */
  static fromSnapshot(s: NamesSnapshot): Names {
    const n = new Names();
    (n as { list: string[] }).list = s.list;
    n.v4Bits = s.v4Bits;
    n.codes = s.codes;
    return n;
  }
}

/** Names as another thread reads them (cloned to it: Names.snapshot, Names.fromSnapshot). */
export interface NamesSnapshot {
  list: string[];
  v4Bits: Int32Array<ArrayBuffer>;
  codes: Uint32Array<ArrayBuffer>;
}
