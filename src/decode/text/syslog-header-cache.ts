/**
 * The syslog headers of the last few distinct header texts, each parsed once (syslog-header.ts parseHeader): lines
 * of a log share their header with many others (same second, same device), and two or three devices' lines
 * interleave, so one remembered header missed on every change of device. A header also keeps what the line decoder
 * worked out from it: the stamp as epoch µs for a year, and its device's names id.
 */
import { createHeader, parseHeader, type SyslogHeader } from './syslog-header';

export interface CachedHeader {
  /** The header text (the line up to its tag). */
  text: string;
  h: SyslogHeader;
  hasStamp: boolean;
  /** The stamp in epoch µs when read in year `timeYear` (syslog.ts fills both; -1: not yet). */
  timeYear: number;
  timeUs: number;
  /** The device's names id for the firewall store's records (-1: not yet). */
  device: number;
}

const WAYS = 4;

export class HeaderCache {
  private readonly entries: CachedHeader[] = [];
  private last = 0;
  private next = 0;

  constructor() {
    for (let k = 0; k < WAYS; k++) this.entries.push({ text: '\u0000', h: createHeader(), hasStamp: false, timeYear: -1, timeUs: NaN, device: -1 });
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
    const k = this.next;
    this.next = (k + 1) % WAYS;
    this.last = k;
    const c = e[k];
    c.hasStamp = parseHeader(s, tagPos, c.h);
    c.text = text;
    c.timeYear = -1;
    c.device = -1;
    return c;
  }
}
