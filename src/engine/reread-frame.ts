/**
 * One packet of a connection read again from its input file, for the packet bytes and the packet details the UI
 * asks for on demand (the analysis keeps no frame bytes).
 */
import { isRereadable } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import { isGzip } from '../lib/gzip-source';
import type { AnalysisSession } from './analyze-sources';
import { preludeOf } from '../decode/formats';
import { readFramesAt, type ReadFrame } from './export-frames';

export interface RereadFrame {
  /** The packet's row in the packet table. */
  row: number;
  input: number;
  /** The input's file name. */
  file: string;
  /** The frame, its recordOffset the record's offset in the input file. */
  frame: ReadFrame;
}

/** Packet `packetIndex` of flow-table entry `entry`, re-read from its input; null for text inputs or out of range. */
export async function rereadFrame(s: AnalysisSession, sources: readonly ByteSource[], entry: number, packetIndex: number): Promise<RereadFrame | null> {
  const list = s.reports;
  if (!Number.isInteger(entry) || entry < 0 || entry >= list.packetCount) return null;
  const t = s.connections;
  const i = list.connIndex(entry);
  if (!Number.isInteger(packetIndex) || packetIndex < 0 || packetIndex >= t.rowCount(i)) return null;
  const row = t.row(i, packetIndex);
  const input = s.table.input.get(row);
  const format = s.inputs[input]?.format;
  const source = sources[input];
  if (!isRereadable(format) || !source) return null;
  const offset = s.table.recordOffset.get(row);
  // The record alone, after the few bytes its framer must read first (its format's prelude: a pcap's file header, a
  // pcapng's section header and interfaces); a gzip input (offsets in the decompressed stream, no index) or one
  // whose prelude is not known is walked from the start, as the export does.
  const ranges = isGzip(await source.read(0, 2)) ? null : preludeOf(format)?.(offset, s.rereadNotes[input]) ?? null;
  const prelude = ranges ? await readRanges(source, ranges) : null;
  const [frame] = prelude
    ? await readFramesAt(spliced(source, prelude, offset), format, input, [prelude.length])
    : await readFramesAt(source, format, input, [offset]);
  if (!frame) return null;
  return { row, input, file: s.files[input] ?? source.name, frame: { ...frame, recordOffset: offset } };
}

/** The bytes of `ranges` (offset, length pairs) one after the other; null when the source ends before one's end. */
async function readRanges(source: ByteSource, ranges: readonly number[]): Promise<Uint8Array | null> {
  let total = 0;
  for (let k = 1; k < ranges.length; k += 2) total += ranges[k];
  const out = new Uint8Array(total);
  let at = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const b = await source.read(ranges[k], ranges[k + 1]);
    if (b.length < ranges[k + 1]) return null;
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** `head`, then `source` from `offset` on: the record at `offset` is at head.length in this view. */
function spliced(source: ByteSource, head: Uint8Array, offset: number): ByteSource {
  const h = head.length;
  return {
    name: source.name,
    size: source.size === undefined ? undefined : h + source.size - offset,
    async *slices(from = 0, sliceSize?: number) {
      if (from < h) yield head.subarray(from);
      yield* source.slices(offset + Math.max(0, from - h), sliceSize);
    },
    read: async (o, length) => {
      if (o >= h) return source.read(offset + o - h, length);
      const tail = await source.read(offset, Math.max(0, length - (h - o)));
      const out = new Uint8Array(Math.min(h - o, length) + tail.length);
      out.set(head.subarray(o, Math.min(h, o + length)));
      out.set(tail, Math.min(h - o, length));
      return out;
    },
  };
}
