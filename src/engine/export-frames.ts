/**
 * "Export the selected connections as pcap": re-reads the original frames of those connections
 * from their inputs and writes them with export/pcap-writer.ts (pcap when every frame has one link
 * type, pcapng otherwise, and pcapng with an interface per capture point for a connection seen at two).
 *
 * The PacketTable keeps no packet bytes, only each packet's input and record offset, so the frames
 * are read again through the same framers decoding used (each rereadable format's in decode/formats.ts): they
 * know the byte order, the pcapng interfaces (link type per frame), FCS trimming and timestamps.
 * One sequential pass per input, from the first wanted record (after its format's prelude: the file header, a
 * pcapng's section header and interfaces) to the last; gzip inputs are read through decodedSource from the start
 * (decompressed once, as a stream). Frames are taken without their FCS (as decoding
 * saw them). Text inputs (tcpdump -n, show capture) carry no frame bytes: their packets are counted
 * as left out, never invented.
 */
import { isRereadable, type RereadableFormat } from '../model/formats';
import type { ByteSource } from '../lib/byte-source';
import { readRecords, type RecordFramer } from '../lib/record-stream';
import { createProblemLog } from '../model/problems';
import type { InputFormat } from '../model/report';
import { decodedSource } from '../decode/index';
import type { FrameTarget } from '../decode/frame-target';
import { framerOf, preludeOf } from '../decode/formats';
import { gzipReread, REREAD_CHUNK } from './gzip-reread';
import { writeCapture, type ExportFrame } from '../export/pcap-writer';
import type { AnalysisSession } from './analyze-sources';
import { SEEN_PRIMARY } from '../model/packet-table';
import { addressMap, pseudonymiseFrame } from '../export/pseudonymise-frame';

export interface CaptureExport {
  /** The capture file's bytes. */
  bytes: Uint8Array;
  format: 'pcap' | 'pcapng';
  /** Frames written. */
  packets: number;
  connections: number;
  /**
   * Packets of the selected connections that could not be written: from text inputs, not found again, or (with
   * pseudonyms) still holding an original address in their bytes after their IP headers were rewritten.
   */
  leftOut: { text: number; unread: number; original: number };
  /** With pseudonyms: IP headers rewritten. */
  pseudonymised?: { headers: number };
}

/**
 * Pseudonyms for an export (the ladders' and share links', share/anonymise.ts): address texts, original -> pseudonym,
 * rewritten in every IP header that carries one; capture point / file names -> their pseudonyms ("capture 1") for
 * pcapng interface names.
 */
export interface CapturePseudonyms {
  addresses: [string, string][];
  names: [string, string][];
}

/** A frame read back, with where it came from (for ordering). */
export interface ReadFrame extends ExportFrame {
  input: number;
  recordOffset: number;
}

/** Delegates to a decode framer, but stops the walk once past the last wanted record. */
class StopAfter implements RecordFramer {
  constructor(private readonly inner: RecordFramer, private readonly last: number) {}
  get headerLength() {
    return this.inner.headerLength;
  }
  recordLength(b: Uint8Array, off: number, abs: number): number {
    return abs > this.last ? -1 : this.inner.recordLength(b, off, abs);
  }
  record(b: Uint8Array, off: number, len: number, abs: number): boolean {
    return this.inner.record(b, off, len, abs);
  }
  truncated(abs: number, have: number, need: number): void {
    this.inner.truncated(abs, have, need);
  }
}

/**
 * The frames whose records start at `offsets` (byte offsets in the decoded, i.e. decompressed, input),
 * in file order. Offsets that match no packet record are simply not returned.
 */
export async function readFramesAt(source: ByteSource, format: RereadableFormat, input: number, offsets: Iterable<number>): Promise<ReadFrame[]> {
  const wanted = new Set(offsets);
  const out: ReadFrame[] = [];
  if (!wanted.size) return out;
  let last = 0;
  for (const o of wanted) last = Math.max(last, o);
  const target: FrameTarget = {
    timeUs: 0,
    recordOffset: 0,
    dissect(linkType, b, off, end, wireLength) {
      const recordOffset = this.recordOffset;
      if (!wanted.has(recordOffset)) return;
      out.push({ input, recordOffset, linkType, timeUs: this.timeUs, data: b.slice(off, end), originalLength: wireLength });
    },
  };
  const problems = createProblemLog(source.name);
  const noLinkType = () => undefined;
  const framer = framerOf(format)(target, problems, noLinkType);
  await readRecords(await decodedSource(source), new StopAfter(framer, last), {});
  return out;
}

/**
 * The frames whose records start at `offsets` (readFramesAt), read from the first of them on, after the few bytes its
 * framer must read first (its format's prelude: a pcap's file header, a pcapng's section header and interfaces; a
 * later section's blocks are met on the way); a gzip input through its kept decompressed view (gzip-reread.ts:
 * offsets are in the decompressed stream, which has no index, so a read goes on from the last one's position or
 * starts over from the input's start); one whose prelude is not known is walked from the start.
 */
export async function readFramesFrom(s: Pick<AnalysisSession, 'rereadNotes'>, source: ByteSource, format: RereadableFormat, input: number, offsets: Iterable<number>): Promise<ReadFrame[]> {
  const wanted = [...offsets];
  if (!wanted.length) return [];
  let first = wanted[0];
  for (const o of wanted) first = Math.min(first, o);
  const ranges = preludeOf(format)?.(first, s.rereadNotes[input]) ?? null;
  const gz = await gzipReread(source);
  if (!gz) {
    const prelude = ranges ? await readRanges(source, ranges) : null;
    return prelude ? readAfter(source, prelude, first, format, input, wanted) : readFramesAt(source, format, input, wanted);
  }
  return gz.run(async () => {
    const prelude = ranges ? await gz.prelude(ranges, (view) => readRanges(view, ranges)) : null;
    return prelude ? readAfter(gz.view, prelude, first, format, input, wanted, true) : readFramesAt(source, format, input, wanted);
  });
}

/** readFramesAt of the records from `first` on, after `prelude` (the bytes the framer reads first). */
async function readAfter(source: ByteSource, prelude: Uint8Array, first: number, format: RereadableFormat, input: number, wanted: number[], byReads = false): Promise<ReadFrame[]> {
  const shift = prelude.length - first;
  const frames = await readFramesAt(spliced(source, prelude, first, byReads), format, input, wanted.map((o) => o + shift));
  for (const f of frames) f.recordOffset -= shift;
  return frames;
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

/**
 * `head`, then `source` from `offset` on: the record at `offset` is at head.length in this view. `byReads`: its
 * slices are read with source.read() (a gzip view's slices() would decompress from the start).
 */
function spliced(source: ByteSource, head: Uint8Array, offset: number, byReads = false): ByteSource {
  const h = head.length;
  return {
    name: source.name,
    size: source.size === undefined ? undefined : h + source.size - offset,
    async *slices(from = 0, sliceSize?: number) {
      if (from < h) yield head.subarray(from);
      if (!byReads) {
        yield* source.slices(offset + Math.max(0, from - h), sliceSize);
        return;
      }
      for (let at = offset + Math.max(0, from - h); ; ) {
        const b = await source.read(at, REREAD_CHUNK);
        if (b.length) yield b;
        if (b.length < REREAD_CHUNK) return;
        at += b.length;
      }
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

/**
 * Table rows (packets) of the given connections (entries of the session's connection list, as the flow table numbers
 * them). A connection seen at two capture points gives every packet each point saw: a packet seen at both has its
 * first point's row in the timeline and its second point's row as the twin (analysis/vantage/merge.ts). `points`
 * names the capture point of each input whose rows are such a connection's.
 */
function rowsOf(session: AnalysisSession, connections: readonly number[]): { rows: number[]; points: Map<number, string> } {
  const t = session.connections;
  const table = session.table;
  const list = session.reports;
  const rows: number[] = [];
  const points = new Map<number, string>();
  for (const k of new Set(connections)) {
    if (!Number.isInteger(k) || k < 0 || k >= list.packetCount) continue; // log-only connections have no packets
    const i = list.connIndex(k); // a vantage merge removes entries, so entry k is not always connection k
    const v = list.at(k)?.vantage;
    const two = v && v.points.length >= 2 ? v.points : null;
    for (const row of t.rows(i)) {
      rows.push(row);
      if (!two) continue;
      points.set(table.input.get(row), two[table.seenAt.get(row) & SEEN_PRIMARY ? 0 : 1]);
      const twin = table.twin.get(row);
      if (twin) {
        rows.push(twin - 1);
        points.set(table.input.get(twin - 1), two[1]);
      }
    }
  }
  return { rows, points };
}

/**
 * Re-reads and writes the packets of `connections` (indexes into session.reports). With a connection
 * seen at two capture points among them, the file is pcapng with an interface per point (named after it), each
 * packet of that connection written as each point saw it; the other inputs' interfaces are named after their files.
 */
export async function exportConnectionsCapture(
  session: AnalysisSession,
  sources: readonly ByteSource[],
  connections: readonly number[],
  pseudonyms?: CapturePseudonyms,
): Promise<CaptureExport> {
  const table = session.table;
  const byInput = new Map<number, { format: RereadableFormat; offsets: number[] }>();
  const leftOut = { text: 0, unread: 0, original: 0 };
  let wantedCount = 0;
  const { rows, points } = rowsOf(session, connections);
  for (const row of rows) {
    const input = table.input.get(row);
    const format: InputFormat | undefined = session.inputs[input]?.format;
    if (!isRereadable(format)) {
      leftOut.text++;
      continue;
    }
    let list = byInput.get(input);
    if (!list) byInput.set(input, (list = { format, offsets: [] }));
    list.offsets.push(table.recordOffset.get(row));
    wantedCount++;
  }
  const perInput: ReadFrame[][] = [];
  for (const [input, { format, offsets }] of byInput) {
    const source = sources[input];
    if (source) perInput.push(await readFramesFrom(session, source, format, input, offsets));
  }
  let frames = mergeByTime(perInput);
  leftOut.unread = wantedCount - frames.length;
  let headers = 0;
  if (pseudonyms) {
    // A frame whose bytes still hold an original address (in its payload) is left out: the file promises none.
    const map = addressMap(pseudonyms.addresses);
    frames = frames.filter((f) => {
      const r = pseudonymiseFrame(f.data, map);
      headers += r.headers;
      if (r.leftover) leftOut.original++;
      return !r.leftover;
    });
  }
  if (points.size) {
    const names = new Map(pseudonyms?.names ?? []);
    for (const f of frames) {
      const name = points.get(f.input) ?? session.files[f.input] ?? `input ${f.input}`;
      f.point = pseudonyms ? names.get(name) ?? `capture ${f.input + 1}` : name;
    }
  }
  const bytes = writeCapture(frames);
  return {
    bytes,
    format: bytes[0] === 0x0a ? 'pcapng' : 'pcap',
    packets: frames.length,
    connections: new Set(connections).size,
    leftOut,
    ...(pseudonyms ? { pseudonymised: { headers } } : {}),
  };
}

/**
 * Each input stays in file order (a capture's own order is what its analysis saw, even when a clock
 * stepped back); inputs are interleaved by time, the earlier head first, ties to the lower input.
 */
function mergeByTime(lists: ReadFrame[][]): ReadFrame[] {
  const out: ReadFrame[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let k = 0; k < lists.length; k++) {
      if (at[k] >= lists[k].length) continue;
      if (best < 0 || lists[k][at[k]].timeUs < lists[best][at[best]].timeUs) best = k;
    }
    if (best < 0) return out;
    out.push(lists[best][at[best]++]);
  }
}
