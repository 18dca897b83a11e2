/**
 * A ByteSource over the decompressed bytes of a gzip-compressed source (RFC 1952), using fflate's
 * streaming Gunzip: compressed slices in, decompressed slices out, never the whole file in memory.
 * Multi-member gzip files (concatenated .gz) decompress as one stream.
 *
 * Offsets (for `slices(offset)` and `read`) are in the decompressed stream. gzip has no index, so
 * `read(offset, n)` and `slices(offset > 0)` decompress again from the start and skip to the offset:
 * re-reading one packet late in a large .gz costs a decompression of everything before it.
 * Damaged or truncated compressed data makes the iterator throw a GzipDataError that says how many
 * decompressed bytes came out before the damage.
 */
import { Gunzip } from 'fflate';
import { DEFAULT_SLICE_SIZE, type ByteSource } from './byte-source';

export class GzipDataError extends Error {
  constructor(
    message: string,
    /** Decompressed bytes produced before the damage. */
    readonly decompressedOffset: number,
  ) {
    super(message);
    this.name = 'GzipDataError';
  }
}

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Compressed bytes handed to fflate per push, which bounds the size of each output chunk. */
const PUSH_SIZE = 256 * 1024;

/** Decompressed chunks, in order, from the start of the stream. */
async function* inflate(source: ByteSource): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let produced = 0;
  const gunzip = new Gunzip((chunk) => {
    if (chunk.length) out.push(chunk);
  });
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      gunzip.push(piece, final);
    } catch (e) {
      // Hand out what was inflated before the damage first; the caller sees the error after it.
      const pending = out.reduce((n, c) => n + c.length, 0);
      throw new GzipDataError(`gzip data is damaged (${(e as Error).message})`, produced + pending);
    }
  };
  const drain = function* () {
    while (out.length) {
      const c = out.shift()!;
      produced += c.length;
      yield c;
    }
  };
  // The last 4 compressed bytes: the final member's ISIZE (decompressed length mod 2^32). fflate's
  // streaming Gunzip does not itself report a stream that ends early, so a truncated file is caught
  // by comparing ISIZE with what came out (single-member files; multi-member files are not checked).
  const last4 = new Uint8Array(4);
  let members = 1;
  gunzip.onmember = () => void members++;
  for await (const slice of source.slices(0)) {
    if (slice.length >= 4) last4.set(slice.subarray(slice.length - 4));
    else if (slice.length > 0) {
      last4.copyWithin(0, slice.length);
      last4.set(slice, 4 - slice.length);
    }
    for (let at = 0; at < slice.length; at += PUSH_SIZE) {
      push(slice.subarray(at, Math.min(slice.length, at + PUSH_SIZE)), false);
      yield* drain();
    }
  }
  let err: unknown = null;
  try {
    push(new Uint8Array(0), true);
  } catch (e) {
    err = e;
  }
  yield* drain();
  if (err) throw err;
  const isize = (last4[0] | (last4[1] << 8) | (last4[2] << 16) | (last4[3] << 24)) >>> 0;
  if (members === 1 && isize !== produced % 4294967296) {
    throw new GzipDataError('gzip data ends early (file truncated?)', produced);
  }
}

/** The decompressed view of a gzip source. `size` is unknown (the gzip trailer's ISIZE is mod 2^32). */
export function createGunzipSource(compressed: ByteSource): ByteSource {
  return {
    name: compressed.name,
    size: undefined,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      void sliceSize; // output comes in fflate's chunk sizes (about PUSH_SIZE x ratio)
      let at = 0;
      for await (const chunk of inflate(compressed)) {
        const end = at + chunk.length;
        if (end > offset) yield at >= offset ? chunk : chunk.subarray(offset - at);
        at = end;
      }
    },
    async read(offset, length) {
      const result = new Uint8Array(length);
      let filled = 0;
      let at = 0;
      for await (const chunk of inflate(compressed)) {
        const end = at + chunk.length;
        if (end > offset) {
          const from = Math.max(0, offset - at);
          const n = Math.min(chunk.length - from, length - filled);
          result.set(chunk.subarray(from, from + n), filled);
          filled += n;
          if (filled >= length) break;
        }
        at = end;
      }
      return result.subarray(0, filled);
    },
  };
}
