/**
 * The decoder registry: for each format of model/formats.ts, how its content is recognised (a magic number
 * on the head, or a scored sniff of a text sample) and the decoder that reads it: a text decoder, or for a binary
 * capture the framer that splits it into frames (decode/index.ts decodes with it; engine/export-frames.ts re-reads
 * packets with it; cli/threaded-decode.ts sends a file whose magic has one to the decode thread). decode/index.ts
 * tries the magic entries first, then the text entries by their decoders' votes; adding a format is its decoder or
 * framer (with a sniff of its own when it is text), one entry here and one in model/formats.ts.
 */
import type { ByteSource } from '../lib/byte-source';
import type { RecordFramer } from '../lib/record-stream';
import { FORMATS, type FormatInfo, type RereadableFormat } from '../model/formats';
import type { ProblemLog } from '../model/problems';
import type { InputFormat, InputReport } from '../model/report';
import { isKeyLog, decodeKeyLog } from './keylog-input';
import type { FrameTarget } from './frame-target';
import { isPcapng, PcapngFramer, pcapngPrelude } from './pcapng';
import { PCAP_HEADER, pcapMagic, PcapFramer } from './pcap';
import { sampleLines } from './text-sample';
import { decodeSyslog } from './text/syslog';
import { syslogSniff } from './text/syslog-sniff';
import { decodeFortigate, fortigateSniff } from './text/fortigate';
import { decodeTextCapture, showCaptureSniff, tcpdumpSniff } from './text/text-capture';
import type { DecodeOptions, InputSinks, TextSniff } from './types';

export type Decode = (src: ByteSource, input: number, sinks: InputSinks, options: DecodeOptions, report: InputReport) => Promise<void>;

/**
 * A binary capture's framer: splits the file into records and hands each frame to `target` (the dissector when
 * decoding, a collector when re-reading by offset); `onLinkType` hears each link type, `onSecrets` TLS key log
 * text the capture carries (pcapng DSBs).
 */
export type MakeFramer = (
  target: FrameTarget,
  problems: ProblemLog,
  onLinkType: (linkType: number) => void,
  onSecrets?: (keyLogText: string) => unknown,
) => RecordFramer & { frames: number; rereadNotes?(): readonly number[] | undefined };

/**
 * Re-reading one record without walking the input from its start, a binary capture's capability: the byte ranges
 * (offset, length pairs in file order) its framer must be given before the record at `offset` (pcap: the file
 * header; pcapng: the record's section header block and the interface blocks before it), from what its framer noted
 * of this input in the first pass (`notes`, the framer's rereadNotes()); null when they are not known, and the input
 * is walked from its start.
 */
export type RecordPrelude = (offset: number, notes: readonly number[] | undefined) => number[] | null;

export interface FormatEntry {
  info: FormatInfo;
  /** Recognised by its first bytes. */
  magic?: (head: Uint8Array) => boolean;
  /** Recognised by a text sample: a fresh vote of this format's (its decoder's own grammar). */
  sniff?: () => TextSniff;
  /** A binary capture (rereadable in model/formats.ts): its framer, run by decode/index.ts with the dissector. */
  framer?: MakeFramer;
  /** A binary capture: where one record is read without a walk from the start. */
  prelude?: RecordPrelude;
  /** Every other format's decoder. */
  decode?: Decode;
}

/**
 * A text decoder that never throws: a read failure (e.g. a damaged gzip stream underneath) becomes an error naming
 * the file, after what was decoded.
 */
const text = (decode: Decode): Decode => async (src, input, sinks, options, report) => {
  try {
    await decode(src, input, sinks, options, report);
  } catch (e) {
    const where = (e as { decompressedOffset?: number })?.decompressedOffset;
    options.problems.error(`could not read the whole input: ${(e as Error)?.message ?? String(e)}; kept what came before`, {
      offset: where ?? report.bytes,
    });
  }
};

export const FORMAT_ENTRIES: readonly FormatEntry[] = [
  { info: FORMATS.pcap, magic: (h) => pcapMagic(h) !== null, framer: (t, p, l) => new PcapFramer(t, p, l), prelude: () => [0, PCAP_HEADER] },
  { info: FORMATS.pcapng, magic: isPcapng, framer: (t, p, l, s) => new PcapngFramer(t, p, l, s), prelude: pcapngPrelude },
  { info: FORMATS['tls-keylog'], magic: isKeyLog, decode: (src, _input, sinks, options, report) => decodeKeyLog(src, sinks, options, report) },
  // Text formats in the order they are offered each line and win ties: ASA syslog, FortiGate, show capture, tcpdump.
  { info: FORMATS['asa-syslog'], sniff: syslogSniff, decode: text(decodeSyslog) },
  { info: FORMATS['fortigate-traffic'], sniff: fortigateSniff, decode: text(decodeFortigate) },
  { info: FORMATS['asa-show-capture'], sniff: showCaptureSniff, decode: text((s, i, k, o, r) => decodeTextCapture(s, i, k, o, r, false)) },
  { info: FORMATS['tcpdump-text'], sniff: tcpdumpSniff, decode: text((s, i, k, o, r) => decodeTextCapture(s, i, k, o, r, true)) },
];

/** The entry for a format name. */
export function formatEntry(name: string): FormatEntry | undefined {
  return FORMAT_ENTRIES.find((e) => e.info.name === name);
}

/** The entry whose magic number `head` starts with (the first in the list), if any. */
export function magicEntry(head: Uint8Array): FormatEntry | undefined {
  return FORMAT_ENTRIES.find((e) => e.magic?.(head));
}

/** The framer of a format whose packets are re-read by offset (every rereadable format has one). */
export function framerOf(format: RereadableFormat): MakeFramer {
  const framer = formatEntry(format)?.framer;
  if (!framer) throw new Error(`no framer for the rereadable format ${format}`);
  return framer;
}

/** The prelude of a format whose packets are re-read by offset, when it can read one record without a walk. */
export function preludeOf(format: RereadableFormat): RecordPrelude | undefined {
  return formatEntry(format)?.prelude;
}

/** Lines of a sample the text formats vote on. */
const SNIFF_LINES = 2000;

/** The text format of a sample (decode/text-sample.ts), by the entries' votes; null when none votes. */
export function sniffTextFormat(sample: Uint8Array): InputFormat | null {
  const lines = sampleLines(sample);
  if (lines === null) return null;
  const entries = FORMAT_ENTRIES.filter((e) => e.sniff);
  const sniffs = entries.map((e) => e.sniff!());
  const votes = sniffs.map(() => 0);
  let seen = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) continue;
    if (++seen > SNIFF_LINES) break;
    for (let k = 0; k < sniffs.length; k++) {
      const v = sniffs[k].line(line, seen);
      if (v > 0) {
        votes[k] += v;
        break;
      }
    }
  }
  const total = votes.reduce((a, b) => a + b, 0);
  let best: FormatEntry | null = null;
  let bestScore = 0;
  entries.forEach((e, k) => {
    const sc = sniffs[k].score ? sniffs[k].score!(votes[k], seen, total - votes[k]) : votes[k];
    if (sc > bestScore) {
      best = e;
      bestScore = sc;
    }
  });
  return best ? (best as FormatEntry).info.name : null;
}
