/**
 * The ASA/FTD syslog vote on a text sample (decode/types.ts TextSniff): a line with a `%ASA-`/`%FTD-`/`%PIX-` tag
 * and a six-digit ID is one vote. Syslog lines of other daemons (`<PRI>`, `Mmm dd HH:MM:SS`, ISO 8601) make it the
 * format when no format has a vote and they are at least half the lines (a central log file whose sample holds no
 * firewall line); so does a log export's header row (`"_time","host","_raw"`), however long the rows are.
 */
import type { TextSniff } from '../types';
import { csvLayout } from './containers/csv';
import { findTag, type TagMatch } from './syslog-tag';

/** A syslog line of any daemon: a central log file's shape. */
const SYSLOG_LINE = /^(<\d{1,3}>|[A-Z][a-z]{2} [ 0-3]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)/;

export function syslogSniff(): TextSniff {
  const tag: TagMatch = { tagPos: 0, id: 0, severity: 0, bodyPos: 0 };
  let like = 0;
  return {
    line(line, n) {
      if (n === 1 && csvLayout(line) !== null) like += 1e6;
      if (findTag(line, tag)) return 1;
      if (SYSLOG_LINE.test(line)) like++;
      return 0;
    },
    score: (votes, seen, others) => votes || (seen > 0 && others === 0 && like * 2 >= seen ? 0.5 : 0),
  };
}
