/**
 * When a FortiGate log line was written (FortiOS Log Message Reference, fields `eventtime`, `date`, `time`, `tz`):
 * `eventtime` is the epoch time of the event, in seconds on older FortiOS and in nanoseconds since 6.2 (its number
 * of digits says which: 10 seconds, 13 ms, 16 µs, 19 ns); without it, `date=YYYY-MM-DD time=HH:MM:SS` is the
 * device's local time, in the zone `tz` names (`+0100`, `-0700`) or, when the line names none, the zone option
 * (decode options `tz`), else UTC.
 */
import type { KeyValueLine } from './fortigate-fields';
import type { ZoneSpec } from './syslog-zones';

export interface LineTime {
  timeUs: number;
  precisionUs: number;
}

const SCALE: Record<number, [toUs: number, precisionUs: number]> = {
  10: [1e6, 1e6],
  13: [1e3, 1e3],
  16: [1, 1],
  19: [1e-3, 1],
};

/** Reads the line's time into `out` (timeUs NaN when the line has none that reads). */
export function lineTime(kv: KeyValueLine, f: { eventtime: number; date: number; time: number; tz: number }, zone: ZoneSpec | null, out: LineTime): void {
  const digits = kv.length(f.eventtime);
  const scale = SCALE[digits];
  if (scale) {
    // 19 digits are past 2^53: the seconds and the nanoseconds are read apart so that no µs is rounded off.
    const a = kv.start[f.eventtime];
    const s = kv.s;
    let us = NaN;
    if (digits === 19) {
      if (/^\d{19}$/.test(s.slice(a, a + 19))) us = Number(s.slice(a, a + 10)) * 1e6 + Math.floor(Number(s.slice(a + 10, a + 19)) / 1000);
    } else {
      const v = kv.uint(f.eventtime);
      if (v >= 0) us = v * scale[0];
    }
    if (Number.isFinite(us)) {
      out.timeUs = us;
      out.precisionUs = scale[1];
      return;
    }
  }
  out.timeUs = dateTimeUs(kv, f, zone);
  out.precisionUs = 1e6;
}

/** `date` + `time` (+ `tz`) as epoch µs; NaN when they do not read. */
function dateTimeUs(kv: KeyValueLine, f: { date: number; time: number; tz: number }, zone: ZoneSpec | null): number {
  const d = kv.value(f.date);
  const t = kv.value(f.time);
  if (d === null || t === null) return NaN;
  const dm = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d);
  const tm = /^(\d\d):(\d\d):(\d\d)$/.exec(t);
  if (!dm || !tm) return NaN;
  const mo = Number(dm[2]);
  const day = Number(dm[3]);
  const h = Number(tm[1]);
  const mi = Number(tm[2]);
  const se = Number(tm[3]);
  if (mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || se > 60) return NaN;
  const localMs = Date.UTC(Number(dm[1]), mo - 1, day, h, mi, se);
  let offsetMin: number;
  const tz = kv.value(f.tz);
  const zm = tz === null ? null : /^([+-])(\d\d):?(\d\d)$/.exec(tz.trim());
  if (zm) offsetMin = (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3]));
  else if (zone) offsetMin = zone.offsetAt(localMs);
  else offsetMin = 0;
  return (localMs - offsetMin * 60_000) * 1000;
}
