/**
 * One packet of a connection read again from its input file, for the packet bytes and the packet details the UI
 * asks for on demand (the analysis keeps no frame bytes).
 */
import { isRereadable } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import type { AnalysisSession } from './analyze-sources';
import { readFramesFrom, type ReadFrame } from './export-frames';

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
  const [frame] = await readFramesFrom(s, source, format, input, [offset]);
  if (!frame) return null;
  return { row, input, file: s.files[input] ?? source.name, frame };
}
