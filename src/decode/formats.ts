/**
 * The decoder registry: for each format of model/formats.ts, how its content is recognised (a magic number
 * on the head, or a scored sniff of a text sample) and the decoder that reads it. decode/index.ts tries the
 * magic entries first, then the text entries by score; adding a format is one entry here and one in
 * model/formats.ts.
 */
import type { ByteSource } from '../lib/byte-source';
import { FORMATS, type FormatInfo } from '../model/formats';
import type { InputReport } from '../model/report';
import { isKeyLog, decodeKeyLog } from './keylog-input';
import { isPcapng } from './pcapng';
import { pcapMagic } from './pcap';
import { decodeTextInput } from './text/index';
import { sampleLines, textFormatScores } from './text/sniff';
import type { InputFormat } from '../model/report';
import type { DecodeOptions, InputSinks } from './types';

export type Decode = (src: ByteSource, input: number, sinks: InputSinks, options: DecodeOptions, report: InputReport) => Promise<void>;

export interface FormatEntry {
  info: FormatInfo;
  /** Recognised by its first bytes. */
  magic?: (head: Uint8Array) => boolean;
  /** Recognised by a text sample: this format's votes (0 = not this); the highest wins. */
  score?: (scores: ReturnType<typeof textFormatScores>) => number;
  /** Captures are decoded by decode/index.ts's framer loop (they need the dissector); text formats here. */
  decode?: Decode;
}

const text = (format: 'asa-syslog' | 'asa-show-capture' | 'tcpdump-text'): Decode => (src, input, sinks, options, report) =>
  decodeTextInput(format, src, input, sinks, options, report);

export const FORMAT_ENTRIES: readonly FormatEntry[] = [
  { info: FORMATS.pcap, magic: (h) => pcapMagic(h) !== null },
  { info: FORMATS.pcapng, magic: isPcapng },
  { info: FORMATS['tls-keylog'], magic: isKeyLog, decode: (src, _input, sinks, options, report) => decodeKeyLog(src, sinks, options, report) },
  // Ties go to the earlier entry: syslog, then show capture, then tcpdump (as before the registry).
  { info: FORMATS['asa-syslog'], score: (v) => v.syslog || (v.seen > 0 && v.showCapture === 0 && v.tcpdump === 0 && v.syslogLike * 2 >= v.seen ? 0.5 : 0), decode: text('asa-syslog') },
  { info: FORMATS['asa-show-capture'], score: (v) => v.showCapture, decode: text('asa-show-capture') },
  { info: FORMATS['tcpdump-text'], score: (v) => v.tcpdump, decode: text('tcpdump-text') },
];

/** The entry for a format name. */
export function formatEntry(name: string): FormatEntry | undefined {
  return FORMAT_ENTRIES.find((e) => e.info.name === name);
}

/** The text format of a sample (decode/text-sample.ts), by the entries' scores; null when none votes. */
export function sniffTextFormat(sample: Uint8Array): InputFormat | null {
  const lines = sampleLines(sample);
  if (lines === null) return null;
  const v = textFormatScores(lines);
  let best: FormatEntry | null = null;
  let bestScore = 0;
  for (const e of FORMAT_ENTRIES) {
    const sc = e.score ? e.score(v) : 0;
    if (sc > bestScore) {
      best = e;
      bestScore = sc;
    }
  }
  return best ? best.info.name : null;
}
