/**
 * Is the head of an input text Teardown can read, and which: ASA/FTD syslog, ASA `show capture` output, or
 * tcpdump -n text? Looks at up to 200 lines of the first 64 KiB and votes:
 *   syslog        a `%ASA-`/`%FTD-`/`%PIX-` tag with a six-digit ID;
 *   show capture  `N: HH:MM:SS.frac ... a.b.c.d.port > ...:` numbered packet lines, or `N packets captured`;
 *   tcpdump       stamp (time of day, -tt epoch or -tttt date) then `IP`/`IP6`/address `... > ...:` lines.
 * Binary data (NUL bytes or many control characters) is not text: null.
 */
import type { InputFormat } from '../../model/report';
import { createSegment } from '../../model/segment';
import { createLineFacts, parseCaptureLine } from './capture-line';
import { findTag, type TagMatch } from './syslog-tag';

export function sniffTextFormat(head: Uint8Array): InputFormat | null {
  const n = Math.min(head.length, 64 * 1024);
  if (n === 0) return null;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) return null;
    if (c < 9 || (c > 13 && c < 32) || c === 127) control++;
  }
  if (control > n / 100 + 2) return null;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, n));
  const lines = text.split('\n');
  if (lines.length > 1 && n === 64 * 1024) lines.pop(); // the last one may be cut
  const tag: TagMatch = { tagPos: 0, id: 0, severity: 0, bodyPos: 0 };
  const seg = createSegment();
  const facts = createLineFacts();
  let syslog = 0;
  let asa = 0;
  let tcpdump = 0;
  let seen = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) continue;
    if (++seen > 200) break;
    if (findTag(line, tag)) {
      syslog++;
      continue;
    }
    if (/^\s*\d+ packets? captured/.test(line)) {
      asa += 3;
      continue;
    }
    const kind = parseCaptureLine(line, seg, facts);
    if (kind === 'tcp' || kind === 'non-tcp' || kind === 'stamp-only') {
      if (kind === 'non-tcp' && !/ > /.test(line)) continue;
      // ASA numbers its packets `N: `; tcpdump prints `IP`/`IP6` (or nothing, for old versions) and never `N: `.
      if (/^\s*\d+: /.test(line)) asa++;
      else if (kind !== 'stamp-only' || /\bIP6? /.test(line)) tcpdump++;
    }
  }
  if (syslog === 0 && asa === 0 && tcpdump === 0) return null;
  if (syslog >= asa && syslog >= tcpdump) return 'asa-syslog';
  return asa >= tcpdump ? 'asa-show-capture' : 'tcpdump-text';
}
