/**
 * decodeInput: one input (file, blob, paste) -> TCP segments into the sinks + an InputReport.
 * The format comes from the content only: gzip (1f 8b, decompressed as a stream and sniffed again),
 * pcap, pcapng, then the text formats (decode/text). Damaged data never throws out of here: it
 * becomes a Problem (file + byte offset) in options.problems, and what came before is kept.
 */
import type { ByteSource } from '../lib/byte-source';
import { createGunzipSource, GzipDataError, isGzip } from '../lib/gzip-source';
import { readRecords, type RecordFramer } from '../lib/record-stream';
import type { InputReport } from '../model/report';
import { FrameDissector } from '../dissect/frame-dissector';
import { PcapFramer } from './pcap';
import { PcapngFramer } from './pcapng';
import { SNIFF_BYTES, sniffBinary, unknownFormatMessage } from './sniff';
import { decodeTextInput, sniffTextFormat } from './text/index';
import { decodeKeyLog, isKeyLog } from './keylog-input';
import type { DecodeOptions, InputSinks } from './types';

export async function decodeInput(source: ByteSource, input: number, sinks: InputSinks, options: DecodeOptions): Promise<InputReport> {
  const problems = options.problems;
  const report: InputReport = {
    file: source.name,
    format: 'unknown',
    bytes: 0,
    linkTypes: [],
    packets: 0,
    tcpPackets: 0,
    skipped: {},
    warnings: problems.warnings,
    errors: problems.errors,
  };
  let src = source;
  let head: Uint8Array;
  try {
    head = await src.read(0, SNIFF_BYTES);
    if (isGzip(head)) {
      report.gzip = true;
      src = createGunzipSource(source);
      head = await src.read(0, SNIFF_BYTES);
    }
  } catch (e) {
    problems.error(readFailure(e), { offset: e instanceof GzipDataError ? e.decompressedOffset : 0 });
    return report;
  }

  const binary = sniffBinary(head);
  if (binary === 'pcap' || binary === 'pcapng') {
    report.format = binary;
    await decodeCapture(binary, src, input, sinks, options, report);
  } else if (binary === 'gzip') {
    problems.error('gzip inside gzip is not read: decompress the file once first', { offset: 0 });
  } else if (isKeyLog(head)) {
    report.format = 'tls-keylog';
    await decodeKeyLog(src, sinks, options, report);
  } else {
    const text = sniffTextFormat(head);
    if (text) {
      report.format = text;
      await decodeTextInput(text, src, input, sinks, options, report);
    } else {
      problems.error(unknownFormatMessage(head), { offset: 0 });
    }
  }
  report.warnings = problems.warnings;
  report.errors = problems.errors;
  return report;
}

/**
 * The bytes decodeInput decoded, for re-reading a packet at its recordOffset: the source itself,
 * or its decompressed view when it is gzip (where read() decompresses again from the start).
 */
export async function decodedSource(source: ByteSource): Promise<ByteSource> {
  return isGzip(await source.read(0, 2)) ? createGunzipSource(source) : source;
}

function readFailure(e: unknown): string {
  if (e instanceof GzipDataError) return `${e.message}; kept what was decompressed before it`;
  return `could not read the input: ${(e as Error)?.message ?? String(e)}`;
}

async function decodeCapture(
  format: 'pcap' | 'pcapng',
  src: ByteSource,
  input: number,
  sinks: InputSinks,
  options: DecodeOptions,
  report: InputReport,
): Promise<void> {
  const problems = options.problems;
  const dissector = new FrameDissector(sinks.segments, input);
  const linkTypes = new Set<number>();
  const onLinkType = (lt: number) => void linkTypes.add(lt);
  const framer: RecordFramer & { frames: number } =
    format === 'pcap' ? new PcapFramer(dissector, problems, onLinkType) : new PcapngFramer(dissector, problems, onLinkType, sinks.secrets);
  try {
    const r = await readRecords(src, framer, options);
    report.bytes = r.bytes;
    if (r.cancelled) problems.warn(`reading cancelled after ${framer.frames} packets`, { offset: r.bytes });
  } catch (e) {
    problems.error(readFailure(e), { offset: e instanceof GzipDataError ? e.decompressedOffset : report.bytes });
    if (e instanceof GzipDataError) report.bytes = e.decompressedOffset;
  }
  report.packets = framer.frames;
  report.tcpPackets = dissector.tcpPackets;
  report.linkTypes = [...linkTypes].sort((a, b) => a - b);
  dissector.addSkipped(report.skipped);
  for (const [lt, n] of dissector.unsupported) {
    problems.warn(`link type ${lt} is not supported; ${n} packet${n === 1 ? '' : 's'} on it skipped (the first here)`, {
      offset: dissector.unsupportedAt.get(lt),
    });
  }
}
