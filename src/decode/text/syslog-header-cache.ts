/**
 * The syslog headers of the last few distinct header texts, each parsed once (syslog-header.ts parseHeader): lines
 * of a log share their header with many others (same second, same device), and two or three devices' lines
 * interleave, so one remembered header missed on every change of device. Looked up by the line's text or, on the
 * fast path, by its bytes. A header also keeps what the line decoder worked out from it: the stamp as epoch µs
 * for a year, and its device's names id.
 */
import { createHeader, parseHeader, type SyslogHeader } from './syslog-header';
import { asciiText, sameBytes } from './syslog-fast-scan';

export interface CachedHeader {
  /** The header text (the line up to its tag), and its bytes (ASCII) in bytes[0, len) when it has at most MAX_BYTES. */
  text: string;
  bytes: Uint8Array;
  /** bytes[0, len) as little-endian int32 words (syslog-fast-scan.ts sameBytes). */
  words: Int32Array;
  len: number;
  h: SyslogHeader;
  hasStamp: boolean;
  /** The stamp in epoch µs when read in year `timeYear` (syslog.ts fills both; -1: not yet). */
  timeYear: number;
  timeUs: number;
  /** The device's names id for the firewall store's records (-1: not yet). */
  device: number;
}

/** Entries (a power of two). */
const WAYS = 4;
const MAX_BYTES = 256;

export class HeaderCache {
  private readonly entries: CachedHeader[] = [];
  private last = 0;
  private next = 0;

  constructor() {
    for (let k = 0; k < WAYS; k++) {
      this.entries.push({ text: '\u0000', bytes: new Uint8Array(MAX_BYTES), words: new Int32Array(MAX_BYTES / 4), len: -1, h: createHeader(), hasStamp: false, timeYear: -1, timeUs: NaN, device: -1 });
    }
  }

  /** The parsed header of line s, whose tag starts at tagPos. */
  get(s: string, tagPos: number): CachedHeader {
    const e = this.entries;
    const mru = e[this.last];
    // Comparing a substring with === is faster in V8 than startsWith or a charCodeAt loop on these sliced strings.
    if (mru.text.length === tagPos && s.substring(0, tagPos) === mru.text) return mru;
    const text = s.substring(0, tagPos);
    for (let k = 0; k < WAYS; k++) {
      if (e[k].text === text) {
        this.last = k;
        return e[k];
      }
    }
    const c = this.fill(s, tagPos, text);
    c.len = -1;
    if (tagPos <= MAX_BYTES) {
      // Kept as bytes when ASCII without '%' (getBytes and startOf look for headers that end at a line's first '%').
      let plain = true;
      for (let i = 0; i < tagPos; i++) {
        const ch = s.charCodeAt(i);
        if (ch > 127 || ch === 37) plain = false;
        c.bytes[i] = ch;
      }
      if (plain) setLen(c, tagPos);
    }
    return c;
  }

  /**
   * The cached header that the line at b[start, end) starts with, followed by '%' (then the line's first '%': no
   * cached header's bytes hold one), or null: what getBytes would find at that '%', without searching for it.
   */
  startOf(b: Uint8Array, start: number, end: number): CachedHeader | null {
    const e = this.entries;
    for (let j = 0, k = this.last; j < WAYS; j++, k = (k + 1) & (WAYS - 1)) {
      const c = e[k];
      const n = c.len;
      if (n < 0 || start + n >= end || b[start + n] !== 37) continue;
      if (sameBytes(b, start, c.words, c.bytes, n)) {
        this.last = k;
        return c;
      }
    }
    return null;
  }

  /** The parsed header of the line in b[start..] (ASCII) whose tag starts at tagPos; null when the header is too long. */
  getBytes(b: Uint8Array, start: number, tagPos: number): CachedHeader | null {
    const n = tagPos - start;
    if (n > MAX_BYTES) return null;
    const e = this.entries;
    for (let j = 0, k = this.last; j < WAYS; j++, k = (k + 1) & (WAYS - 1)) {
      const c = e[k];
      if (c.len !== n) continue;
      const hb = c.bytes;
      let i = 0;
      while (i < n && hb[i] === b[start + i]) i++;
      if (i === n) {
        this.last = k;
        return c;
      }
    }
    // The text up to and including the tag's first character: parseHeader may look at the character at tagPos.
    const line = asciiText(b, start, tagPos + 1);
    const c = this.fill(line, n, line.slice(0, n));
    c.bytes.set(b.subarray(start, tagPos));
    setLen(c, n);
    return c;
  }

  private fill(s: string, tagPos: number, text: string): CachedHeader {
    const k = this.next;
    this.next = (k + 1) % WAYS;
    this.last = k;
    const c = this.entries[k];
    c.hasStamp = parseHeader(s, tagPos, c.h);
    c.text = text;
    c.timeYear = -1;
    c.device = -1;
    return c;
  }
}

/** Marks c.bytes[0, n) as its header's bytes, and fills its words. */
function setLen(c: CachedHeader, n: number): void {
  const b = c.bytes;
  for (let k = 0; k < n >> 2; k++) c.words[k] = b[4 * k] | (b[4 * k + 1] << 8) | (b[4 * k + 2] << 16) | (b[4 * k + 3] << 24);
  c.len = n;
}
