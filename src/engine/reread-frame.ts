/**
 * One packet of a connection read again from its input file, for the packet bytes and the packet details the UI
 * asks for on demand (the analysis keeps no frame bytes).
 */
import { isRereadable } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import { isGzip } from '../lib/gzip-source';
import type { AnalysisSession } from './analyze-sources';
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
  const head = await source.read(0, 24);
  // A plain pcap file is read at the record itself (its file header, then from the record on); pcapng (whose
  // interfaces come before) and gzip (no index) are walked from the start, as the export does.
  const [frame] = format === 'pcap' && !isGzip(head) && head.length === 24
    ? await readFramesAt(spliced(source, head, offset), 'pcap', input, [24])
    : await readFramesAt(source, format, input, [offset]);
  if (!frame) return null;
  return { row, input, file: s.files[input] ?? source.name, frame: { ...frame, recordOffset: offset } };
}

/** The pcap file header `head`, then `source` from `offset` on: the record at `offset` is at 24 in this view. */
function spliced(source: ByteSource, head: Uint8Array, offset: number): ByteSource {
  return {
    name: source.name,
    size: source.size === undefined ? undefined : 24 + source.size - offset,
    async *slices(from = 0, sliceSize?: number) {
      if (from < 24) yield head.subarray(from);
      yield* source.slices(offset + Math.max(0, from - 24), sliceSize);
    },
    read: async (o, length) => {
      if (o >= 24) return source.read(offset + o - 24, length);
      const tail = await source.read(offset, Math.max(0, length - (24 - o)));
      const out = new Uint8Array(Math.min(24 - o, length) + tail.length);
      out.set(head.subarray(o, Math.min(24, o + length)));
      out.set(tail, Math.min(24 - o, length));
      return out;
    },
  };
}
