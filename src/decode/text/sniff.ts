/**
 * Is a sample of an input (decode/text-sample.ts: its head and windows spread over the file) text Teardown can
 * read, and which: ASA/FTD syslog, ASA `show capture` output, or tcpdump -n text? Votes over up to 2,000 lines:
 *   syslog        a `%ASA-`/`%FTD-`/`%PIX-` tag with a six-digit ID;
 *   show capture  `N: HH:MM:SS.frac ... a.b.c.d.port > ...:` numbered packet lines, or `N packets captured`;
 *   tcpdump       stamp (time of day, -tt epoch or -tttt date) then `IP`/`IP6`/address `... > ...:` lines.
 * Syslog lines of other daemons count for syslog when no format has a vote (a central log file whose sample
 * holds no firewall line). Binary data (many control characters) is not text: null; NUL bytes are not
 * counted (a log truncated while written starts with a run of them).
 */
import { createSegment } from '../../model/segment';
import { parseCaptureLine } from './capture-line';
import { createLineFacts } from './capture-facts';
import { findTag, type TagMatch } from './syslog-tag';
import { csvLayout } from './containers/csv';

/** A syslog line of any daemon (`<PRI>`, `Mmm dd HH:MM:SS`, ISO 8601): a central log file's shape. */
const SYSLOG_LINE = /^(<\d{1,3}>|[A-Z][a-z]{2} [ 0-3]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)/;

/** The sample's text, or null when it is not text (many control characters; NUL bytes are left out). */
function sampleText(head: Uint8Array): string | null {
  const n = head.length;
  let control = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) nul++;
    else if (c < 9 || (c > 13 && c < 32) || c === 127) control++;
  }
  const text = n - nul;
  if (text === 0 || control > text / 100 + 2) return null;
  const bytes = nul ? head.filter((c) => c !== 0) : head;
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** Votes of each text format over the sample's lines (at most 2,000 non-empty ones). */
export function textFormatScores(lines: readonly string[]): { syslog: number; showCapture: number; tcpdump: number; syslogLike: number; seen: number } {
  const tag: TagMatch = { tagPos: 0, id: 0, severity: 0, bodyPos: 0 };
  const seg = createSegment();
  const facts = createLineFacts();
  const r = { syslog: 0, showCapture: 0, tcpdump: 0, syslogLike: 0, seen: 0 };
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) continue;
    if (++r.seen > 2000) break;
    // A log export's header row (`"_time","host","_raw"`): its rows are syslog lines, however long the first.
    if (r.seen === 1 && csvLayout(line) !== null) r.syslogLike += 1e6;
    if (findTag(line, tag)) {
      r.syslog++;
      continue;
    }
    if (SYSLOG_LINE.test(line)) r.syslogLike++;
    if (/^\s*\d+ packets? captured/.test(line)) {
      r.showCapture += 3;
      continue;
    }
    const kind = parseCaptureLine(line, seg, facts);
    if (kind === 'tcp' || kind === 'non-tcp' || kind === 'stamp-only') {
      if (kind === 'non-tcp' && !/ > /.test(line)) continue;
      // ASA numbers its packets `N: `; tcpdump prints `IP`/`IP6` (or nothing, for old versions) and never `N: `.
      if (/^\s*\d+: /.test(line)) r.showCapture++;
      else if (kind !== 'stamp-only' || /\bIP6? /.test(line)) r.tcpdump++;
    }
  }
  return r;
}

/** The sample's lines, or null when it is not text. */
export function sampleLines(head: Uint8Array): string[] | null {
  if (head.length === 0) return null;
  const text = sampleText(head);
  if (text === null) return null;
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > 1 && head.length >= 64 * 1024) lines.pop(); // the last one may be cut
  return lines;
}
