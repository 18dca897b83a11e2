/**
 * Kiwi Syslog Server log files: its default "log to file" format is tab-delimited
 * `Date<TAB>Time<TAB>Priority<TAB>Hostname<TAB>Message`, e.g.
 *   `2024-03-05<TAB>14:22:01<TAB>Local4.Info<TAB>10.0.0.1<TAB>Mar 05 2024 14:22:01: %ASA-6-302013: Built ...`
 * (the date and time also appear joined by a space). The stamp is the collector's local time (read in the zone
 * option, else UTC); the host column is the sender's address or name.
 * Not handled: Kiwi's other custom layouts (they are read as plain lines: the tag search still finds messages).
 */

export interface KiwiFields {
  /** `YYYY-MM-DD HH:MM:SS` */
  stamp: string;
  host: string;
  /** Index of the message in the line. */
  messageAt: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The Kiwi columns of a line, or null when it is not one. */
export function readKiwiLine(s: string): KiwiFields | null {
  // YYYY-MM-DD
  if (!(isDigit(s.charCodeAt(0)) && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45)) return null;
  const sep = s.charCodeAt(10);
  if (sep !== 9 && sep !== 32) return null;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  let p = 19;
  if (s.charCodeAt(p) === 46) while (isDigit(s.charCodeAt(++p)));
  if (s.charCodeAt(p) !== 9) return null;
  const prio = p + 1;
  const t2 = s.indexOf('\t', prio);
  if (t2 < 0 || t2 - prio > 24 || s.indexOf('.', prio) > t2 || s.indexOf('.', prio) < 0) return null;
  const t3 = s.indexOf('\t', t2 + 1);
  if (t3 < 0) return null;
  return { stamp: `${s.slice(0, 10)} ${s.slice(11, p)}`, host: s.slice(t2 + 1, t3).trim(), messageAt: t3 + 1 };
}
