/**
 * A ByteSource over the decompressed bytes of a gzip-compressed source (RFC 1952), using fflate's
 * streaming Gunzip: compressed slices in, decompressed slices out, never the whole file in memory.
 * Multi-member gzip files (concatenated .gz) decompress as one stream.
 *
 * Offsets (for `slices(offset)` and `read`) are in the decompressed stream. gzip has no index, so
 * `slices(offset > 0)` decompresses again from the start and skips to the offset. `read(offset, n)` (re-reading
 * packets: details, export) keeps one decompression going between calls with the last RECENT bytes it produced:
 * a read inside them or after them carries on from there; only a read before them starts again from the start.
 * Re-reading packets in file order (an export, stepping through a connection) so costs one decompression in all.
 * Damaged or truncated compressed data makes the iterator throw a GzipDataError that says how many
 * decompressed bytes came out before the damage. The trailer's CRC-32 and length are checked (single-member files):
 * a damaged byte that still inflates would otherwise change packets silently (`gzip -t` reports it).
 */
import { DEFAULT_SLICE_SIZE, type ByteSource } from './byte-source';
import { crc32 } from './crc32';

export class GzipDataError extends Error {
  constructor(
    message: string,
    /** Decompressed bytes produced before the damage. */
    readonly decompressedOffset: number,
    /** Found by the trailer's checks, after every decompressed byte was handed out (re-reads still get them). */
    readonly atEnd = false,
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
  // Loaded on first use: its tables cost every start of the command line, and most inputs are not gzip.
  const { Gunzip } = await import('fflate');
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
  let crc = 0;
  const drain = function* () {
    while (out.length) {
      const c = out.shift()!;
      produced += c.length;
      crc = crc32(c, crc);
      yield c;
    }
  };
  // The last 8 compressed bytes: the final member's CRC-32 and ISIZE (decompressed length mod 2^32). fflate's
  // streaming Gunzip checks neither, so a truncated file (ISIZE) and a damaged byte that still inflates (CRC) are
  // caught by comparing them with what came out (single-member files; multi-member files are not checked).
  const last8 = new Uint8Array(8);
  let members = 1;
  gunzip.onmember = () => void members++;
  for await (const slice of source.slices(0)) {
    if (slice.length >= 8) last8.set(slice.subarray(slice.length - 8));
    else if (slice.length > 0) {
      last8.copyWithin(0, slice.length);
      last8.set(slice, 8 - slice.length);
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
  const le32 = (at: number) => (last8[at] | (last8[at + 1] << 8) | (last8[at + 2] << 16) | (last8[at + 3] << 24)) >>> 0;
  if (members === 1 && le32(4) !== produced % 4294967296) {
    throw new GzipDataError('gzip data ends early (file truncated?)', produced, true);
  }
  if (members === 1 && le32(0) !== crc) {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    throw new GzipDataError(
      `gzip check failed: the decompressed data's CRC-32 is ${hex(crc)}, the file says ${hex(le32(0))}, so some bytes are damaged ` +
        '(gzip -t reports it) and packets read from them may be wrong',
      produced,
      true,
    );
  }
}

/** The decompressed view of a gzip source. `size` is unknown (the gzip trailer's ISIZE is mod 2^32). */
export function createGunzipSource(compressed: ByteSource, o: { keepBytes?: number } = {}): ByteSource {
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
    read: resumableReader(compressed, o.keepBytes ?? RECENT),
  };
}

/** Decompressed bytes kept behind the reader's position, for reads a little before it (tests pass less). */
const RECENT = 8 * 1024 * 1024;

/**
 * `read` for a gzip source: one decompression kept open between calls, with its last RECENT bytes, so a read at or
 * after the kept bytes continues it instead of starting over. Calls run one at a time.
 */
function resumableReader(compressed: ByteSource, keepBytes: number): (offset: number, length: number) => Promise<Uint8Array> {
  let it: AsyncGenerator<Uint8Array> | null = null;
  /** Kept chunks, in order; `keptStart` is the decompressed offset of the first, `produced` the end of the last. */
  const kept: Uint8Array[] = [];
  let keptStart = 0;
  let produced = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const restart = async () => {
    await it?.return(undefined);
    it = inflate(compressed);
    kept.length = 0;
    keptStart = 0;
    produced = 0;
  };

  const readNow = async (offset: number, length: number): Promise<Uint8Array> => {
    if (!it || offset < keptStart) await restart();
    // Decompress until the range is covered (or the stream ends), dropping kept chunks beyond RECENT.
    while (produced < offset + length) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it!.next();
      } catch (e) {
        it = null; // damaged data: the next read starts over (and meets the damage again)
        if (e instanceof GzipDataError && e.atEnd) break; // every byte is in `kept`: the read itself can be served
        throw e;
      }
      if (r.done) break;
      kept.push(r.value);
      produced += r.value.length;
      while (kept.length > 1 && produced - keptStart - kept[0].length >= Math.max(keepBytes, length) && keptStart + kept[0].length <= offset) {
        keptStart += kept.shift()!.length;
      }
    }
    const result = new Uint8Array(Math.max(0, Math.min(length, produced - offset)));
    let at = keptStart;
    for (const chunk of kept) {
      const end = at + chunk.length;
      if (end > offset && at < offset + result.length) {
        const from = Math.max(0, offset - at);
        const to = Math.min(chunk.length, offset + result.length - at);
        result.set(chunk.subarray(from, to), at + from - offset);
      }
      at = end;
    }
    return result;
  };

  return (offset, length) => {
    const run = queue.then(() => readNow(offset, length));
    queue = run.catch(() => {});
    return run;
  };
}

