/**
 * The syslog header in front of an ASA/FTD message tag: time stamp and device name.
 *
 * Follows the wrapper facts in docs formats.md §1.1 (Cisco logging guide; Elastic cisco_asa pipeline
 * SYSLOG_HEADER). Grammar (every part optional, everything before the `%ASA-` tag is header):
 *   [relay prefix] [<PRI>] [weekday] ([yyyy] MMM [d]d [yyyy] HH:MM:SS[.frac] [yyyy] [TZ] | yyyy-mm-ddTHH:MM:SS[.frac](Z|±hh:mm))
 *   [device] [process[pid]] [:]
 * e.g. `Wed Jun 20 11:58:46 2018;; <167>Jun 20 2018 11:58:45 : ` (relay stamp, then the device's own), and FTD's
 * year-first `<166>: 2024 Mar 05 14:22:01 UTC: `. RFC 5424 headers (`<166>1 2024-03-05T14:22:01+00:00 host `) are
 * the ISO form. Zone abbreviations come from syslog-zones.ts; an ambiguous one (IST, CST) or an unknown one
 * (`YEKT`) is flagged in `zoneIssue` for the decoder to warn about.
 * The LAST stamp before the tag is used: it is the device's own (relays put theirs in front).
 * Not handled: stamps in other languages, day-first dates, sequence counters inside the stamp.
 */
import { looksLikeZone, zoneMeanings, type ZoneSpec } from './syslog-zones';

export interface SyslogHeader {
  /** -1 when the stamp has no year. */
  year: number;
  /** 0..11; -1 when no stamp was found. */
  month: number;
  day: number;
  /** Seconds since midnight of the stamp (local to the stamp's zone). */
  secondOfDay: number;
  /** Fractional part in microseconds. */
  fracUs: number;
  precisionUs: number;
  /** Minutes east of UTC given by the stamp (Z, +02:00, EDT...); NaN when the stamp names no zone. */
  tzOffsetMin: number;
  /** The zone abbreviation when it is ambiguous or unknown ('' otherwise), and which: see ZONE_*. */
  zone: string;
  zoneIssue: number;
  device: string;
}

export const ZONE_OK = 0;
/** The abbreviation has several meanings (IST, CST): its first was used unless a zone option says otherwise. */
export const ZONE_AMBIGUOUS = 1;
/** The abbreviation is not in the table: tzOffsetMin is NaN (read in the zone option, else UTC). */
export const ZONE_UNKNOWN = 2;

export function createHeader(): SyslogHeader {
  return { year: -1, month: -1, day: 0, secondOfDay: 0, fracUs: 0, precisionUs: 1e6, tzOffsetMin: NaN, zone: '', zoneIssue: ZONE_OK, device: '' };
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Month index of a 3-letter English name at s[i..i+3), -1 when not a month (char codes: no substring). */
function monthAt(s: string, i: number): number {
  if (i < 0 || i + 3 > s.length) return -1;
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  if (a < 65 || a > 90) return -1;
  for (let m = 0; m < 12; m++) {
    const k = m * 3;
    if (MONTHS.charCodeAt(k) === a && MONTHS.charCodeAt(k + 1) === b && MONTHS.charCodeAt(k + 2) === c) return m;
  }
  return -1;
}

function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Index of the first colon of the last `H:MM:SS`/`HH:MM:SS` in s[0, end), or -1. */
function lastTimeColon(s: string, end: number): number {
  let c = s.lastIndexOf(':', end - 1);
  while (c > 0) {
    if (
      c + 5 < end &&
      s.charCodeAt(c + 3) === 58 &&
      isDigit(s.charCodeAt(c - 1)) &&
      isDigit(s.charCodeAt(c + 1)) &&
      isDigit(s.charCodeAt(c + 2)) &&
      isDigit(s.charCodeAt(c + 4)) &&
      isDigit(s.charCodeAt(c + 5)) &&
      !isDigit(s.charCodeAt(c + 6))
    ) {
      return c;
    }
    c = s.lastIndexOf(':', c - 1);
  }
  return -1;
}

/** True for tokens that cannot be a device name: PRI, punctuation, bare numbers. */
function deviceLike(tok: string): boolean {
  if (tok.length === 0) return false;
  if (tok.charCodeAt(0) === 60 && tok.charCodeAt(tok.length - 1) === 62 && /^<\d+>$/.test(tok)) return false;
  let letters = false;
  let dots = 0;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (isLetter(c)) letters = true;
    else if (c === 46) dots++;
  }
  return letters || dots === 3;
}

/** First token of the text between `from` and `to`, without separators and a `[pid]`. */
function deviceToken(s: string, from: number, to: number): string {
  let a = from;
  while (a < to) {
    const c = s.charCodeAt(a);
    if (c === 32 || c === 58 || c === 9 || c === 59 || c === 44 || c === 124) a++;
    else break;
  }
  // A <PRI> glued to the device (`<166>ACA1a-FW-FTDV01 %FTD-...`).
  if (s.charCodeAt(a) === 60) {
    const gt = s.indexOf('>', a);
    if (gt > 0 && gt < to && gt - a <= 4 && digitsAt(s, a + 1, gt - a - 1) >= 0) a = gt + 1;
  }
  let b = a;
  while (b < to) {
    const c = s.charCodeAt(b);
    if (c === 32 || c === 9 || c === 91 || c === 124) break;
    if (c === 58 && (b + 1 >= to || s.charCodeAt(b + 1) === 32)) break;
    b++;
  }
  const tok = s.slice(a, b);
  return deviceLike(tok) ? tok : '';
}

/** Reads the header s[0, tagPos) into `out`. Returns false when no time stamp was found (device still set). */
export function parseHeader(s: string, tagPos: number, out: SyslogHeader): boolean {
  out.year = -1;
  out.month = -1;
  out.day = 0;
  out.secondOfDay = 0;
  out.fracUs = 0;
  out.precisionUs = 1e6;
  out.tzOffsetMin = NaN;
  out.zone = '';
  out.zoneIssue = ZONE_OK;
  out.device = '';
  const c = lastTimeColon(s, tagPos);
  if (c < 0) {
    out.device = deviceToken(s, 0, tagPos);
    return false;
  }
  const twoDigitHour = isDigit(s.charCodeAt(c - 2));
  const hs = twoDigitHour ? c - 2 : c - 1;
  const hour = twoDigitHour ? digitsAt(s, hs, 2) : digitsAt(s, hs, 1);
  const minute = digitsAt(s, c + 1, 2);
  const second = digitsAt(s, c + 4, 2);
  if (hour > 23 || minute > 59 || second > 60) {
    out.device = deviceToken(s, 0, tagPos);
    return false;
  }
  out.secondOfDay = hour * 3600 + minute * 60 + second;
  let p = c + 6;
  if (s.charCodeAt(p) === 46 || s.charCodeAt(p) === 44) {
    let q = p + 1;
    let frac = 0;
    let n = 0;
    while (q < tagPos && isDigit(s.charCodeAt(q))) {
      if (n < 6) {
        frac = frac * 10 + (s.charCodeAt(q) - 48);
        n++;
      }
      q++;
    }
    if (n > 0) {
      out.fracUs = frac * 10 ** (6 - n);
      out.precisionUs = 10 ** (6 - n);
      p = q;
    }
  }
  let stampStart = hs;
  const before = s.charCodeAt(hs - 1);
  // ISO 8601: yyyy-mm-ddTHH:MM:SS (or a space instead of T).
  if ((before === 84 || before === 32) && hs >= 11 && s.charCodeAt(hs - 4) === 45 && s.charCodeAt(hs - 7) === 45) {
    const y = digitsAt(s, hs - 11, 4);
    const mo = digitsAt(s, hs - 6, 2);
    const d = digitsAt(s, hs - 3, 2);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
      out.year = y;
      out.month = mo - 1;
      out.day = d;
      stampStart = hs - 11;
      const z = s.charCodeAt(p);
      if (z === 90) {
        out.tzOffsetMin = 0;
        p++;
      } else if ((z === 43 || z === 45) && isDigit(s.charCodeAt(p + 1))) {
        const oh = digitsAt(s, p + 1, 2);
        const colon = s.charCodeAt(p + 3) === 58 ? 1 : 0;
        const om = digitsAt(s, p + 3 + colon, 2);
        if (oh >= 0 && om >= 0) {
          out.tzOffsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
          p += 5 + colon;
        }
      }
    }
  }
  if (out.month < 0) {
    // MMM [d]d [yyyy] before the time.
    let q = hs - 1;
    while (q >= 0 && s.charCodeAt(q) === 32) q--;
    let e = q + 1;
    while (q >= 0 && isDigit(s.charCodeAt(q))) q--;
    let n = e - q - 1;
    if (n === 4) {
      out.year = digitsAt(s, q + 1, 4);
      while (q >= 0 && s.charCodeAt(q) === 32) q--;
      e = q + 1;
      while (q >= 0 && isDigit(s.charCodeAt(q))) q--;
      n = e - q - 1;
    }
    if (n === 1 || n === 2) {
      const day = digitsAt(s, q + 1, n);
      while (q >= 0 && s.charCodeAt(q) === 32) q--;
      const m = monthAt(s, q - 2);
      if (m >= 0 && day >= 1 && day <= 31) {
        out.month = m;
        out.day = day;
        stampStart = q - 2;
        // FTD's year-first stamp: `2024 Mar 05 14:22:01`.
        if (out.year < 0 && q >= 7 && s.charCodeAt(q - 3) === 32 && !isDigit(s.charCodeAt(q - 8))) {
          const y = digitsAt(s, q - 7, 4);
          if (y >= 1970) {
            out.year = y;
            stampStart = q - 7;
          }
        }
      }
    }
    if (out.month < 0) {
      // A time without a date: useless for correlation.
      out.year = -1;
      out.device = deviceToken(s, p, tagPos) || deviceToken(s, 0, hs);
      return false;
    }
    // Trailing year (`Wed Jun 20 11:58:46 2018`) or zone (`EDT`, `UTC`).
    if (s.charCodeAt(p) === 32) {
      const y = digitsAt(s, p + 1, 4);
      if (y >= 1970 && !isDigit(s.charCodeAt(p + 5))) {
        if (out.year < 0) out.year = y;
        p += 5;
      } else {
        // Zone abbreviations are upper case (UTC, EDT, MSK): look only at such tokens, not at host names.
        let q2 = p + 1;
        while (q2 < tagPos && s.charCodeAt(q2) >= 65 && s.charCodeAt(q2) <= 90) q2++;
        if (q2 > p + 1 && q2 - p - 1 <= 5 && !isLetter(s.charCodeAt(q2)) && !isDigit(s.charCodeAt(q2))) {
          const name = s.slice(p + 1, q2);
          const z = zoneMeanings(name);
          if (z !== undefined) {
            out.tzOffsetMin = z[0].offsetMin;
            if (z.length > 1) {
              out.zone = name;
              out.zoneIssue = ZONE_AMBIGUOUS;
            }
            p = q2;
          } else if (looksLikeZone(name)) {
            out.zone = name;
            out.zoneIssue = ZONE_UNKNOWN;
            p = q2;
          }
        }
      }
    }
  }
  out.device = deviceToken(s, p, tagPos);
  if (!out.device && stampStart > 0) {
    // Relay forms (`host1.example.com : Sep 25 05:08:29 UTC: %ASA-...`): the token before the stamp.
    let e = stampStart - 1;
    while (e >= 0 && (s.charCodeAt(e) === 32 || s.charCodeAt(e) === 58)) e--;
    let b = e;
    while (b >= 0 && s.charCodeAt(b) !== 32 && s.charCodeAt(b) !== 62) b--;
    const tok = s.slice(b + 1, e + 1);
    if (monthAt(tok, 0) < 0 || tok.length !== 3) out.device = deviceLike(tok) && !/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/.test(tok) ? tok : '';
  }
  return true;
}

const dayCache = new Map<number, number>();
// Consecutive stamps nearly always fall on the same day: the last day answers without a map lookup.
let lastDayKey = -1;
let lastDayMs = 0;

/**
 * Epoch microseconds of a header stamp for a given year (the header's own when it has one). `zone` (the zone
 * option) reads stamps that name no zone, an unknown one or an ambiguous one; without it they are UTC (or the
 * ambiguous abbreviation's first meaning).
 */
export function headerTimeUs(h: SyslogHeader, year: number, zone: ZoneSpec | null = null): number {
  const key = year * 512 + h.month * 32 + h.day;
  let ms = key === lastDayKey ? lastDayMs : dayCache.get(key);
  if (ms === undefined) {
    ms = Date.UTC(year, h.month, h.day);
    if (dayCache.size > 4096) dayCache.clear();
    dayCache.set(key, ms);
  }
  lastDayKey = key;
  lastDayMs = ms;
  let tz = h.tzOffsetMin;
  if (tz !== tz || (zone !== null && h.zoneIssue === ZONE_AMBIGUOUS)) {
    tz = zone === null ? 0 : zone.offsetAt(ms + h.secondOfDay * 1000);
  }
  return (ms + (h.secondOfDay - tz * 60) * 1000) * 1000 + h.fracUs;
}
