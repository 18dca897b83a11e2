/**
 * decodeInput: one input (file, blob, paste) -> TCP segments into the sinks + an InputReport.
 * The format comes from the content only: gzip (1f 8b, decompressed as a stream and sniffed again), the
 * registry's magic numbers (decode/formats.ts: pcap, pcapng, ...; a capture's entry gives its framer), then the
 * text formats (decode/text). Damaged data never throws out of here: it
 * becomes a Problem (file + byte offset) in options.problems, and what came before is kept.
 */
import type { ByteSource } from '../lib/byte-source';
import { createGunzipSource, GzipDataError, isGzip } from '../lib/gzip-source';
import { readRecords } from '../lib/record-stream';
import type { InputReport } from '../model/report';
import { FrameDissector } from '../dissect/frame-dissector';
import { SNIFF_BYTES, unknownFormatMessage } from './sniff';
import { formatEntry, magicEntry, sniffTextFormat, type MakeFramer } from './formats';
import { readTextSample } from './text-sample';
import { createCrLineSource, createNulFreeSource, createUtf16Source, textShape } from '../lib/text-source';
import type { DecodeOptions, InputSinks } from './types';
import type { InputFormat } from '../model/formats';

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

  if (isGzip(head)) {
    problems.error('gzip inside gzip is not read: decompress the file once first', { offset: 0 });
  } else {
    const byMagic = magicEntry(head);
    if (byMagic?.framer) {
      report.format = byMagic.info.name;
      await decodeCapture(byMagic.framer, src, input, sinks, options, report);
    } else if (byMagic?.decode) {
      report.format = byMagic.info.name;
      await byMagic.decode(src, input, sinks, options, report);
    } else {
      await decodeText(src, head, input, sinks, options, report);
    }
  }
  report.warnings = problems.warnings;
  report.errors = problems.errors;
  return report;
}

/**
 * The format decodeInput reads `source` as, sniffed the same way (gzip looked into), without decoding it: for a
 * caller that hands an input to another decoder by its format (the command line's log thread). Null when it is not
 * told here: UTF-16 text, or bytes that could not be read.
 */
export async function sniffInputFormat(source: ByteSource): Promise<InputFormat | 'unknown' | null> {
  try {
    let src = source;
    let head = await src.read(0, SNIFF_BYTES);
    if (isGzip(head)) {
      src = createGunzipSource(source);
      head = await src.read(0, SNIFF_BYTES);
    }
    if (isGzip(head)) return 'unknown';
    const byMagic = magicEntry(head);
    if (byMagic) return byMagic.info.name;
    const sample = await readTextSample(src, head);
    if (textShape(sample).utf16) return null;
    return sniffTextFormat(sample) ?? 'unknown';
  } catch {
    return null;
  }
}

/**
 * A text input: its sample decides the encoding (UTF-16 is decoded, NUL bytes dropped, CR-only line ends made
 * LF), then the text format by the registry's scores; each transform is said in a warning.
 */
async function decodeText(src: ByteSource, head: Uint8Array, input: number, sinks: InputSinks, options: DecodeOptions, report: InputReport): Promise<void> {
  const problems = options.problems;
  let sample: Uint8Array;
  try {
    sample = await readTextSample(src, head);
  } catch (e) {
    problems.error(readFailure(e), { offset: e instanceof GzipDataError ? e.decompressedOffset : 0 });
    return;
  }
  let text = src;
  const shape = textShape(sample);
  if (shape.utf16) {
    text = createUtf16Source(src, shape.utf16 === 'le');
    problems.warn(`UTF-16 text (${shape.utf16 === 'le' ? 'little' : 'big'}-endian): decoded; byte offsets count the text as UTF-8`, { offset: 0 });
    sample = await text.read(0, 256 * 1024);
  }
  const after = textShape(sample);
  let nulFree: ReturnType<typeof createNulFreeSource> | null = null;
  if (after.nul) text = nulFree = createNulFreeSource(text);
  if (after.crOnly) {
    text = createCrLineSource(text);
    problems.warn('lines end in CR alone (no LF): read as line ends', { line: 1 });
  }
  const format = sniffTextFormat(sample);
  const entry = format ? formatEntry(format) : undefined;
  if (!entry?.decode) {
    problems.error(unknownFormatMessage(head), { offset: 0 });
    // Nothing decoded, but its size is what the user knows the file by ("0 B" for a 3.4 KB file reads as a bug).
    report.bytes = src.size ?? sample.length;
    return;
  }
  report.format = entry.info.name;
  await entry.decode(text, input, sinks, options, report);
  if (nulFree && nulFree.dropped() > 0) {
    problems.warn(`${nulFree.dropped()} NUL bytes skipped (a file truncated while it was written, e.g. by logrotate copytruncate); byte offsets count without them`, { line: 1 });
  }
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
  makeFramer: MakeFramer,
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
  const framer = makeFramer(dissector, problems, onLinkType, sinks.secrets);
  try {
    const r = await readRecords(src, framer, options);
    report.bytes = r.bytes;
    if (r.cancelled) problems.warn(`reading cancelled after ${framer.frames} packets`, { offset: r.bytes });
  } catch (e) {
    problems.error(readFailure(e), { offset: e instanceof GzipDataError ? e.decompressedOffset : report.bytes });
    if (e instanceof GzipDataError) report.bytes = e.decompressedOffset;
  }
  const notes = framer.rereadNotes?.();
  if (notes) sinks.rereadNotes?.(notes);
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
