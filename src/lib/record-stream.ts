/**
 * Length-prefixed records (pcap records, pcapng blocks) read from a ByteSource in slices.
 * Records are handed over in place inside the slice when whole; a record that straddles a slice
 * boundary is assembled in a scratch buffer (only that record is copied). The framer says how long
 * each record is from its first `headerLength` bytes and may stop the walk (damaged data).
 */
import { readingAhead, type ByteSource } from './byte-source';

export interface RecordFramer {
  /** Bytes needed before `recordLength` can be asked (may change between records). */
  headerLength: number;
  /** Total length of the record at b[off] (at least headerLength, bounded), or -1 to stop. */
  recordLength(b: Uint8Array, off: number, absOffset: number): number;
  /** The whole record b[off, off + len), which starts at absOffset in the stream. False stops. */
  record(b: Uint8Array, off: number, len: number, absOffset: number): boolean;
  /** The stream ended inside a record that starts at absOffset (have bytes of need). */
  truncated(absOffset: number, have: number, need: number): void;
  /**
   * Optional bulk form of recordLength + record for the records wholly inside b[off, end) (off
   * at stream offset absOffset), for framers whose per-record calls cost more than the record:
   * returns the offset after the last whole record handed over, or -1 - offset of the record
   * where the framer stopped.
   */
  records?(b: Uint8Array, off: number, end: number, absOffset: number): number;
}

export interface RecordStreamOptions {
  onProgress?: (bytesRead: number) => void;
  isCancelled?: () => boolean;
  sliceSize?: number;
}

/** Result of a walk: bytes consumed and why it ended. */
export interface RecordStreamResult {
  bytes: number;
  stopped: boolean;
  cancelled: boolean;
}

export async function readRecords(source: ByteSource, framer: RecordFramer, options: RecordStreamOptions): Promise<RecordStreamResult> {
  let scratch = new Uint8Array(64 * 1024);
  let held = 0; // bytes of a straddling record in scratch
  let heldAbs = 0;
  let need = 0; // its total length, once known (0 = header not complete yet)
  let abs = 0; // stream offset of the current slice
  const result: RecordStreamResult = { bytes: 0, stopped: false, cancelled: false };

  const take = (slice: Uint8Array, pos: number, target: number): number => {
    if (scratch.length < target) {
      const bigger = new Uint8Array(Math.max(target, scratch.length * 2));
      bigger.set(scratch.subarray(0, held));
      scratch = bigger;
    }
    const n = Math.min(target - held, slice.length - pos);
    scratch.set(slice.subarray(pos, pos + n), held);
    held += n;
    return n;
  };

  return walk();

  async function walk(): Promise<RecordStreamResult> {
    // The next slice is asked for before this one is parsed (readingAhead), so a source that reads asynchronously
    // (a file, a Blob) fills it while the records of this one are walked.
    for await (const slice of readingAhead(source).slices(0, options.sliceSize)) {
      if (options.isCancelled?.()) {
        result.cancelled = true;
        break;
      }
      const len = slice.length;
      let pos = 0;
      // Finish a record that began in an earlier slice.
      while (held > 0) {
        if (need === 0) {
          const h = framer.headerLength;
          if (held < h) pos += take(slice, pos, h);
          if (held < h) break;
          need = framer.recordLength(scratch, 0, heldAbs);
          if (need < 0) {
            result.stopped = true;
            result.bytes = heldAbs;
            return result;
          }
        }
        if (held < need) pos += take(slice, pos, need);
        if (held < need) break;
        const go = framer.record(scratch, 0, need, heldAbs);
        held = 0;
        need = 0;
        if (!go) {
          result.stopped = true;
          result.bytes = heldAbs;
          return result;
        }
      }
      if (held === 0) {
        // Records wholly inside this slice, in place.
        if (framer.records && pos + framer.headerLength <= len) {
          const p = framer.records(slice, pos, len, abs + pos);
          if (p < 0) {
            result.stopped = true;
            result.bytes = abs + (-1 - p);
            return result;
          }
          pos = p;
        }
        for (;;) {
          if (pos + framer.headerLength > len) break;
          const n = framer.recordLength(slice, pos, abs + pos);
          if (n < 0) {
            result.stopped = true;
            result.bytes = abs + pos;
            return result;
          }
          if (pos + n > len) break;
          if (!framer.record(slice, pos, n, abs + pos)) {
            result.stopped = true;
            result.bytes = abs + pos;
            return result;
          }
          pos += n;
        }
        if (pos < len) {
          heldAbs = abs + pos;
          pos += take(slice, pos, len - pos);
        }
      }
      abs += len;
      options.onProgress?.(abs);
    }
    if (held > 0 && !result.cancelled) {
      // The tail is held whole, so its header may be complete with its length not yet asked for: ask now, so the
      // message says "12 of 88 bytes", never "88 of 12" (a length the framer refuses has been reported by it).
      if (need === 0 && held >= framer.headerLength) need = framer.recordLength(scratch, 0, heldAbs);
      if (need >= 0) framer.truncated(heldAbs, held, need || framer.headerLength);
      else result.stopped = true;
    }
    result.bytes = abs;
    return result;
  }
}
