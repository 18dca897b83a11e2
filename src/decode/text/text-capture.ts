/**
 * Text capture decoder: ASA `show capture NAME [detail]` and `tcpdump -n` text (line grammar in capture-line.ts,
 * formats.md §1.14/§1.15) -> TcpSegments with payload null, like a pcap's packets.
 * Times: `-tttt` dates and `-tt` epochs are absolute; a time of day alone takes options.date (YYYY-MM-DD, e.g.
 * from syslog loaded beside it), else 1970-01-01 with a warning; going back more than 12 h means midnight passed.
 * Two-line records (ASA `detail` MAC line + indented packet line; tcpdump -v IP line + TCP line) take the frame
 * number, stamp and TTL from the first line. Sequence numbers: see capture-seq.ts.
 * Not handled: host names instead of addresses (tcpdump without -n), hex dumps (skipped), asp-drop reasons.
 */
import type { ByteSource } from '../../lib/byte-source';
import { readTextInput } from './line-notes';
import { undatedWarning, type InputReport } from '../../model/report';
import { createSegment, type TcpSegment } from '../../model/segment';
import type { DecodeOptions, InputSinks, TextSniff } from '../types';
import { parseCaptureLine } from './capture-line';
import { createLineFacts } from './capture-facts';
import { SeqTracker } from './capture-seq';

const DAY_US = 86400e6;

/**
 * The two grammars' votes on a text sample (decode/types.ts TextSniff), ASA `show capture` offered each line first:
 *   show capture  `N: HH:MM:SS.frac ... a.b.c.d.port > ...:` numbered packet lines (1 vote), `N packets captured` (3);
 *   tcpdump       stamp (time of day, -tt epoch or -tttt date) then `IP`/`IP6`/address `... > ...:` lines.
 * ASA numbers its packets `N: `; tcpdump prints `IP`/`IP6` (or nothing, for old versions) and never `N: `.
 */
function captureSniff(numbered: boolean): TextSniff {
  const seg = createSegment();
  const facts = createLineFacts();
  return {
    line(line) {
      if (numbered && /^\s*\d+ packets? captured/.test(line)) return 3;
      if (numbered !== /^\s*\d+: /.test(line)) return 0;
      const kind = parseCaptureLine(line, seg, facts);
      if (kind === 'tcp') return 1;
      if (kind === 'non-tcp') return / > /.test(line) ? 1 : 0;
      return kind === 'stamp-only' && (numbered || /\bIP6? /.test(line)) ? 1 : 0;
    },
  };
}
export const showCaptureSniff = (): TextSniff => captureSniff(true);
export const tcpdumpSniff = (): TextSniff => captureSniff(false);

/** Days since 1970-01-01 of `YYYY-MM-DD`; NaN when malformed. */
export function parseDateOption(date: string | undefined): number {
  if (!date) return NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return NaN;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return Number.isFinite(ms) ? ms / 86400000 : NaN;
}

export interface TextCaptureLineDecoder {
  line(s: string, lineNo: number, byteOffset: number): void;
  finish(): void;
  readonly segments: number;
}

/** The per-line state machine (tests and the whole-file decoder share it). */
export function createTextCaptureDecoder(
  input: number,
  emit: (seg: TcpSegment) => void,
  options: Pick<DecodeOptions, 'date' | 'problems'>,
  report: Pick<InputReport, 'skipped' | 'undated'>,
  relativeByDefault: boolean,
): TextCaptureLineDecoder {
  const seg = createSegment();
  seg.input = input;
  seg.payload = null;
  const f = createLineFacts();
  const seq = new SeqTracker(relativeByDefault);
  let dateDays = parseDateOption(options.date);
  let warnedNoDate = false;
  let warnedNoStamp = false;
  let warnedNoSeq = 0;
  let unknownLines = 0;
  let dayOffset = 0;
  let lastTod = -1;
  let lastTime = 0;
  let autoFrame = 0;
  let segments = 0;
  // A stamp-only line waiting for its packet line.
  let pendingFrame = -1;
  let pendingTime = NaN;
  let pendingTtl = -1;
  let pendingLine = 0;

  const bump = (k: string) => {
    report.skipped[k] = (report.skipped[k] ?? 0) + 1;
  };

  const timeOf = (lineNo: number): number => {
    switch (f.stamp) {
      case 'epoch':
        return f.epochUs;
      case 'date':
        return f.dateDays * DAY_US + f.todUs;
      case 'tod': {
        if (Number.isNaN(dateDays)) {
          dateDays = 0;
          report.undated = true;
          if (!warnedNoDate) {
            warnedNoDate = true;
            options.problems.warn(undatedWarning(), { line: lineNo });
          }
        }
        if (lastTod >= 0 && f.todUs < lastTod - DAY_US / 2) dayOffset++;
        else if (lastTod >= 0 && f.todUs > lastTod + DAY_US / 2 && dayOffset > 0) dayOffset--;
        lastTod = f.todUs;
        return (dateDays + dayOffset) * DAY_US + f.todUs;
      }
      default:
        return NaN;
    }
  };

  function line(s: string, lineNo: number, byteOffset: number): void {
    const kind = parseCaptureLine(s, seg, f);
    if (kind === 'stamp-only') {
      pendingFrame = f.frame;
      pendingTime = timeOf(lineNo);
      pendingTtl = f.ttl >= 0 ? f.ttl : /\bttl\s+(\d+)/.exec(s) ? Number(/\bttl\s+(\d+)/.exec(s)![1]) : -1;
      pendingLine = lineNo;
      return;
    }
    if (kind === 'other') {
      const c0 = s.charCodeAt(0);
      if (c0 === 32 || c0 === 9) {
        // Indented: a decoded-payload or detail continuation line (tcpdump -v, -x, ASA detail), not a packet.
        if (s.trim().length > 0) bump('continuation line');
        return;
      }
      if (s.length > 0 && s.trim().length > 0 && !/^(\d+ packets? (captured|shown)|\S+# |capture |Drop-reason: |Phase: )/.test(s)) {
        unknownLines++;
        bump('unrecognised line');
        if (unknownLines <= 10) options.problems.warn('line not understood as a captured packet; skipped', { line: lineNo });
      }
      return;
    }
    if (kind === 'non-tcp') {
      bump(f.truncated ? 'truncated' : 'non-tcp');
      pendingFrame = -1;
      pendingTime = NaN;
      return;
    }
    // A TCP packet.
    let time: number;
    let frame = f.frame;
    if (f.stamp === 'none' && pendingLine === lineNo - 1 && !Number.isNaN(pendingTime)) {
      time = pendingTime;
      if (frame < 0) frame = pendingFrame;
      if (f.ttl < 0) f.ttl = pendingTtl;
    } else {
      time = timeOf(lineNo);
    }
    pendingTime = NaN;
    pendingFrame = -1;
    if (Number.isNaN(time)) {
      if (!warnedNoStamp) {
        warnedNoStamp = true;
        options.problems.warn('packet line without a time stamp; it gets the previous packet\'s time', { line: lineNo });
      }
      time = lastTime;
    }
    lastTime = time;
    autoFrame++;
    seg.frame = frame >= 0 ? frame : autoFrame;
    seg.recordOffset = byteOffset;
    seg.timeUs = time;
    seg.ttl = f.ttl;
    seg.ipLength = -1;
    if (f.truncated) bump('truncated');
    if (!seq.fix(seg, f.hasSeq, f.hasAck) && warnedNoSeq++ < 3) {
      options.problems.warn('no sequence number printed and none known for this direction yet; used 0', { line: lineNo });
    }
    segments++;
    emit(seg);
  }

  return {
    line,
    finish() {},
    get segments() {
      return segments;
    },
  };
}

/** Decodes one text capture input, streaming it line by line; segments go to sinks.segments. */
export async function decodeTextCapture(
  source: ByteSource,
  input: number,
  sinks: InputSinks,
  options: DecodeOptions,
  report: InputReport,
  relativeByDefault: boolean,
): Promise<void> {
  const dec = createTextCaptureDecoder(input, (s) => sinks.segments.segment(s), options, report, relativeByDefault);
  const res = await readTextInput(source, dec.line, options, report);
  dec.finish();
  report.tcpPackets = dec.segments;
  if (dec.segments === 0 && res.lines > 0) options.problems.warn('no TCP packet line found in this input', { line: 1 });
}
