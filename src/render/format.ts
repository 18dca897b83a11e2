/**
 * Short human formats for times, durations and sizes, shared by the table, the ladder and tooltips. Every one is
 * total: a time out of Date's range (a hostile or damaged stamp) prints as raw seconds, a non-finite number as "?".
 */
import { inDateRange, rawSeconds } from '../model/report';

/** "0", "61 µs", "45.2 ms", "2.49 s", "2 min 5 s", "3 h 2 min". */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '?';
  const a = Math.abs(us);
  const sign = us < 0 ? '−' : '';
  if (a === 0) return '0';
  if (a < 1000) return `${sign}${round(a, a < 10 ? 1 : 0)} µs`;
  if (a < 1e6) return `${sign}${round(a / 1000, a < 1e4 ? 2 : a < 1e5 ? 1 : 0)} ms`;
  if (a < 60e6) return `${sign}${round(a / 1e6, a < 1e7 ? 3 : 2)} s`;
  if (a < 3600e6) {
    const m = Math.floor(a / 60e6);
    const s = Math.round((a - m * 60e6) / 1e6);
    return `${sign}${m} min${s ? ` ${s} s` : ''}`;
  }
  const h = Math.floor(a / 3600e6);
  const m = Math.round((a - h * 3600e6) / 60e6);
  return `${sign}${h} h${m ? ` ${m} min` : ''}`;
}

/** Signed offset, "+45.2 ms" / "−2.536 s" / "0". */
export function formatOffset(us: number): string {
  if (us === 0) return '0';
  return us > 0 ? `+${formatDuration(us)}` : formatDuration(us);
}

export type OffsetUnit = 'µs' | 'ms' | 's';

/** The unit a column of offsets is written in: that of the largest, so a column never mixes units. */
export function offsetUnit(maxAbsUs: number): OffsetUnit {
  return maxAbsUs < 1000 ? 'µs' : maxAbsUs < 1e6 ? 'ms' : 's';
}

/**
 * Offset with every captured digit (microseconds), for the ladder's time column: "+61 µs", "+45.179 ms",
 * "+2.536386 s"; in `unit` when given (a column's, from offsetUnit): "+0.045179 s" beside "+2.536386 s".
 */
export function formatOffsetPrecise(us: number, unit?: OffsetUnit): string {
  if (!Number.isFinite(us)) return '?';
  const a = Math.abs(us);
  const sign = us < 0 ? '−' : '+';
  if (a === 0) return '0';
  const u = unit ?? offsetUnit(a);
  if (u === 'µs') return `${sign}${Math.round(a)} µs`;
  if (u === 'ms') return `${sign}${(a / 1000).toFixed(3)} ms`;
  return `${sign}${(a / 1e6).toFixed(6)} s`;
}

/** A round offset in a column's unit, without trailing zeros: "+2.5 s", "+500 ms", "0". */
export function formatOffsetIn(us: number, unit: OffsetUnit): string {
  if (!Number.isFinite(us)) return '?';
  if (us === 0) return '0';
  const v = Math.abs(us) / (unit === 's' ? 1e6 : unit === 'ms' ? 1000 : 1);
  return `${us < 0 ? '−' : '+'}${round(v, unit === 's' ? 6 : unit === 'ms' ? 3 : 0)} ${unit}`;
}

function round(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return digits > 0 ? s.replace(/\.?0+$/, '') : s;
}

/** "980 B", "104.7 KB", "1.0 MB" (powers of 1024, like capinfos). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** "12 345" style grouping without locale surprises. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '?';
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Time of day with microseconds, UTC: "12:00:47.907301". */
/** "1 connection", "2 connections": a count with its noun, singular for one. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

export function formatClock(timeUs: number, digits = 6): string {
  if (!inDateRange(timeUs)) return rawSeconds(timeUs);
  const ms = Math.floor(timeUs / 1000);
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  if (digits === 0) return `${hh}:${mm}:${ss}`;
  const frac = String(Math.floor(timeUs - Math.floor(timeUs / 1e6) * 1e6)).padStart(6, '0').slice(0, digits);
  return `${hh}:${mm}:${ss}.${frac}`;
}

/** "2018-06-20 12:00:47.907301" UTC. */
export function formatDateTime(timeUs: number): string {
  if (!inDateRange(timeUs)) return rawSeconds(timeUs);
  const d = new Date(Math.floor(timeUs / 1000));
  return `${d.toISOString().slice(0, 10)} ${formatClock(timeUs)}`;
}
