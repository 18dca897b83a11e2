/**
 * The `key=value` fields of a FortiGate (FortiOS) log line, found where they are: FortiOS writes each log as
 * space-separated `key=value` pairs, string values in double quotes (`devname="fw01"`, which may hold spaces),
 * numbers and addresses bare (`srcport=443 srcip=10.0.0.1`); FortiAnalyzer's raw export writes every value bare
 * (`action=close`, `itime=2014-12-29 15:35:09`: a bare value ends at the next space). Whatever is in front of the
 * first pair (a syslog header such as `<189>`, an RFC 5424 header, a relay's stamp and host) is not a pair and
 * is passed over. Only the keys a reader asked for are kept, as start/end offsets into the line (no string and
 * no object per field): `value(k)` makes a string only for a field someone reads.
 */
import { isDigit } from './text-scan';

const isKeyChar = (c: number): boolean => (c >= 97 && c <= 122) || isDigit(c) || c === 95;

export class KeyValueLine {
  /** The line the offsets are into. */
  s = '';
  /** Where the first `key=value` pair starts (the message without its header); -1 when the line has none. */
  bodyAt = -1;
  /** Per wanted key (its index in the constructor's list): where its value starts and ends, -1 when absent. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  private readonly keys: readonly string[];
  /** Wanted keys by length and first two characters, for a lookup without a substring. */
  private readonly byHead = new Map<number, number[]>();

  constructor(keys: readonly string[]) {
    this.keys = keys;
    this.start = new Int32Array(keys.length).fill(-1);
    this.end = new Int32Array(keys.length).fill(-1);
    keys.forEach((k, i) => {
      const h = head(k, 0, k.length);
      const list = this.byHead.get(h);
      if (list) list.push(i);
      else this.byHead.set(h, [i]);
    });
  }

  /** Reads line `s`: every wanted key's value offsets (the first of a key repeated wins). */
  read(s: string): void {
    this.s = s;
    this.start.fill(-1);
    this.end.fill(-1);
    this.bodyAt = -1;
    const n = s.length;
    let i = 0;
    while (i < n) {
      while (i < n && s.charCodeAt(i) <= 32) i++;
      const k0 = i;
      while (i < n && isKeyChar(s.charCodeAt(i))) i++;
      if (i === k0 || i >= n || s.charCodeAt(i) !== 61 /* = */) {
        // Not a pair (a header word): on to the next space.
        while (i < n && s.charCodeAt(i) > 32) i++;
        continue;
      }
      const k1 = i++;
      if (this.bodyAt < 0) this.bodyAt = k0;
      let v0 = i;
      let v1: number;
      if (i < n && s.charCodeAt(i) === 34 /* " */) {
        v0 = ++i;
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c === 34) break;
          i += c === 92 /* \ */ ? 2 : 1;
        }
        v1 = Math.min(i, n);
        i++;
      } else {
        while (i < n && s.charCodeAt(i) > 32) i++;
        v1 = i;
      }
      const list = this.byHead.get(head(s, k0, k1));
      if (list === undefined) continue;
      for (const f of list) {
        if (this.start[f] < 0 && s.startsWith(this.keys[f], k0)) {
          this.start[f] = v0;
          this.end[f] = v1;
          break;
        }
      }
    }
  }

  has(k: number): boolean {
    return this.start[k] >= 0;
  }

  /** The value of wanted key k as a string; null when absent. */
  value(k: number): string | null {
    const a = this.start[k];
    return a < 0 ? null : this.s.slice(a, this.end[k]);
  }

  /** Whether key k's value is exactly `text`. */
  is(k: number, text: string): boolean {
    const a = this.start[k];
    return a >= 0 && this.end[k] - a === text.length && this.s.startsWith(text, a);
  }

  /**
   * The value of key k as a whole number (decimal, or hex with `0x` as FortiOS writes ICMP types); -1 when absent or
   * not a number. Up to 2^53.
   */
  uint(k: number): number {
    const a = this.start[k];
    const b = this.end[k];
    if (a < 0 || a === b) return -1;
    const s = this.s;
    if (b - a > 2 && s.charCodeAt(a) === 48 && (s.charCodeAt(a + 1) | 32) === 120) {
      const v = parseInt(s.slice(a + 2, b), 16);
      return Number.isFinite(v) && /^[0-9a-f]+$/i.test(s.slice(a + 2, b)) ? v : -1;
    }
    let v = 0;
    for (let i = a; i < b; i++) {
      const c = s.charCodeAt(i);
      if (!isDigit(c)) return -1;
      v = v * 10 + (c - 48);
    }
    return v <= Number.MAX_SAFE_INTEGER ? v : -1;
  }

  /** How many characters key k's value has (-1 when absent). */
  length(k: number): number {
    return this.start[k] < 0 ? -1 : this.end[k] - this.start[k];
  }
}

/** Length and first two characters of the key s[a, b), as one number. */
function head(s: string, a: number, b: number): number {
  const n = b - a;
  return n * 65536 + (n > 0 ? s.charCodeAt(a) : 0) * 256 + (n > 1 ? s.charCodeAt(a + 1) : 0);
}
