/**
 * The `key=value` fields of a FortiGate log line read from its bytes (the fast path's form of fortigate-fields.ts
 * KeyValueLine, which stays the definition): the same walk (header words passed over, quoted values with `\`
 * escapes, bare values up to the next space, the first of a repeated key kept), over ASCII bytes, with no string per
 * field. A wanted key is found by a hash of its bytes taken while it is walked (one table probe per pair, most pairs
 * being keys no one asked for).
 */
import type { LineTime } from './fortigate-time';

const isKeyChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
const SLOTS = 1024;

export class KeyValueBytes {
  b: Uint8Array = new Uint8Array(0);
  /** Where the first pair starts; -1 when the line has none. */
  bodyAt = -1;
  readonly start: Int32Array;
  readonly end: Int32Array;
  private readonly keys: Uint8Array[];
  /** Key index + 1 by hash slot (0: none), open addressing. */
  private readonly slots = new Int16Array(SLOTS);

  constructor(keys: readonly string[]) {
    this.keys = keys.map((k) => Uint8Array.from(k, (c) => c.charCodeAt(0)));
    this.start = new Int32Array(keys.length).fill(-1);
    this.end = new Int32Array(keys.length).fill(-1);
    this.keys.forEach((k, i) => {
      let h = 0;
      for (let j = 0; j < k.length; j++) h = (Math.imul(h, 31) + k[j]) | 0;
      let s = (h ^ (h >>> 10)) & (SLOTS - 1);
      while (this.slots[s] !== 0) s = (s + 1) & (SLOTS - 1);
      this.slots[s] = i + 1;
    });
  }

  /** Reads the line b[a, e) (KeyValueLine.read). */
  read(b: Uint8Array, a: number, e: number): void {
    this.b = b;
    this.start.fill(-1);
    this.end.fill(-1);
    this.bodyAt = -1;
    const slots = this.slots;
    let i = a;
    while (i < e) {
      while (i < e && b[i] <= 32) i++;
      const k0 = i;
      let h = 0;
      for (let c = b[i]; i < e && isKeyChar(c); c = b[++i]) h = (Math.imul(h, 31) + c) | 0;
      if (i === k0 || i >= e || b[i] !== 61 /* = */) {
        while (i < e && b[i] > 32) i++;
        continue;
      }
      const k1 = i++;
      if (this.bodyAt < 0) this.bodyAt = k0;
      let v0 = i;
      let v1: number;
      if (i < e && b[i] === 34 /* " */) {
        v0 = ++i;
        while (i < e) {
          const c = b[i];
          if (c === 34) break;
          i += c === 92 /* \ */ ? 2 : 1;
        }
        v1 = Math.min(i, e);
        i++;
      } else {
        while (i < e && b[i] > 32) i++;
        v1 = i;
      }
      for (let s = (h ^ (h >>> 10)) & (SLOTS - 1); slots[s] !== 0; s = (s + 1) & (SLOTS - 1)) {
        const f = slots[s] - 1;
        if (this.sameKey(f, b, k0, k1)) {
          if (this.start[f] < 0) {
            this.start[f] = v0;
            this.end[f] = v1;
          }
          break;
        }
      }
    }
  }

  private sameKey(f: number, b: Uint8Array, k0: number, k1: number): boolean {
    const k = this.keys[f];
    if (k.length !== k1 - k0) return false;
    for (let j = 0; j < k.length; j++) if (k[j] !== b[k0 + j]) return false;
    return true;
  }

  has(k: number): boolean {
    return this.start[k] >= 0;
  }

  /** Whether key k's value is exactly the ASCII bytes `text`. */
  is(k: number, text: Uint8Array): boolean {
    const a = this.start[k];
    if (a < 0 || this.end[k] - a !== text.length) return false;
    for (let j = 0; j < text.length; j++) if (this.b[a + j] !== text[j]) return false;
    return true;
  }

  /**
   * KeyValueLine.uint: decimal, or hex after `0x`; -1 when absent or not a number; -2 for a hex value of more than 12
   * digits (where a sum of digits and parseInt might round apart: the fast path leaves such a line to the text reader).
   */
  uint(k: number): number {
    const a = this.start[k];
    const e = this.end[k];
    if (a < 0 || a === e) return -1;
    const b = this.b;
    let v = 0;
    if (e - a > 2 && b[a] === 48 && (b[a + 1] | 32) === 120) {
      if (e - a > 14) return -2;
      for (let i = a + 2; i < e; i++) {
        const c = b[i] | 32;
        const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
      }
      return v;
    }
    for (let i = a; i < e; i++) {
      const d = b[i] - 48;
      if (!(d >= 0 && d <= 9)) return -1;
      v = v * 10 + d;
    }
    return v <= Number.MAX_SAFE_INTEGER ? v : -1;
  }

  /** A plain decimal (no sign, no leading zero but "0") of at most 15 digits, else -1 (record-of.ts connIdOf). */
  plainDecimal(k: number): number {
    const a = this.start[k];
    const e = this.end[k];
    if (a < 0 || e - a < 1 || e - a > 15 || (this.b[a] === 48 && e - a > 1)) return -1;
    return this.uint(k);
  }

  /** Key k as an `eventtime` into `out` (fortigate-time.ts lineTime); false when it is not 10, 13, 16 or 19 digits. */
  eventTime(k: number, out: LineTime): boolean {
    const a = this.start[k];
    const n = this.end[k] - a;
    if (a < 0 || (n !== 10 && n !== 13 && n !== 16 && n !== 19)) return false;
    const b = this.b;
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < n; i++) {
      const d = b[a + i] - 48;
      if (!(d >= 0 && d <= 9)) return false;
      if (n === 19 && i >= 10) lo = lo * 10 + d;
      else hi = hi * 10 + d;
    }
    // 19 digits (ns) are past 2^53: seconds and nanoseconds apart, as lineTime reads them.
    out.timeUs = n === 19 ? hi * 1e6 + Math.floor(lo / 1000) : n === 10 ? hi * 1e6 : n === 13 ? hi * 1e3 : hi;
    out.precisionUs = n === 10 ? 1e6 : n === 13 ? 1e3 : 1;
    return true;
  }
}
