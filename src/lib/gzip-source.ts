/**
 * A ByteSource over the decompressed bytes of a gzip-compressed source (RFC 1952), using fflate's
 * streaming Gunzip (or the inflater installed by setInflate): compressed slices in, decompressed slices out, never
 * the whole file in memory.
 * Multi-member gzip files (concatenated .gz) decompress as one stream.
 *
 * Offsets (for `slices(offset)` and `read`) are in the decompressed stream. gzip has no index, so
 * `slices(offset > 0)` decompresses again from the start and skips to the offset. `read(offset, n)` (re-reading
 * packets: details, export) keeps one decompression going between calls with the last RECENT bytes it produced:
 * a read inside them or after them carries on from there; only a read before them starts again from the start.
 * Re-reading packets in file order (an export, stepping through a connection) so costs one decompression in all.
 * Damaged or truncated compressed data makes the iterator throw a GzipDataError that says how many
 * decompressed bytes came out before the damage. Each member's trailer (CRC-32 and length) is checked: a damaged
 * byte that still inflates would otherwise change packets silently (`gzip -t` reports it).
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

/**
 * How many bytes `source` holds once decompressed, as far as can be told without decompressing it (for choosing
 * how to read it, never for reading): a gzip file's last member ends with its length mod 2^32 (RFC 1952 ISIZE), so
 * a single-member file under 4 GiB is told exactly. A file of several members or bigger can be told short, so the
 * hint is never below the compressed size. Not gzip, or of unknown size: its size.
 */
export async function sizeHint(source: ByteSource): Promise<number | undefined> {
  const size = source.size;
  if (size === undefined || size < 20 || !isGzip(await source.read(0, 2))) return size;
  const t = await source.read(size - 4, 4);
  if (t.length < 4) return size;
  const isize = (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0;
  return Math.max(size, isize);
}

/** Compressed bytes kept from before the piece being pushed, where a member's trailer may be. */
const HISTORY = 1024;
/** Compressed bytes handed to fflate per push, which bounds the size of each output chunk. */
const PUSH_SIZE = 256 * 1024;

/**
 * Decompressed chunks, in order, from the start of a gzip source; damaged or truncated data (or a trailer that
 * disagrees) throws a GzipDataError after every chunk decompressed before it was handed out.
 */
export type Inflate = (source: ByteSource) => AsyncGenerator<Uint8Array>;

let inflate: Inflate = fflateInflate;

/**
 * The inflater every gzip source uses from now on (null: fflate's, the default). The command line installs Node's
 * zlib (cli/native-gunzip.ts), which keeps the core free of Node imports; it must behave exactly as fflateInflate.
 */
export function setInflate(f: Inflate | null): void {
  inflate = f ?? fflateInflate;
}

/** Decompressed chunks, in order, from the start of the stream: fflate's streaming Gunzip (JavaScript). */
export async function* fflateInflate(source: ByteSource): AsyncGenerator<Uint8Array> {
  // Loaded on first use: its tables cost every start of the command line, and most inputs are not gzip.
  const { Gunzip } = await import('fflate');
  const out: Uint8Array[] = [];
  let produced = 0;
  // Each member's CRC-32 and length, counted as fflate hands its output over (in order, before the next member's).
  let crc = 0;
  let length = 0;
  const gunzip = new Gunzip((chunk) => {
    if (!chunk.length) return;
    out.push(chunk);
    crc = crc32(chunk, crc);
    length += chunk.length;
  });
  /** Bytes inflated and not handed out yet. */
  const waiting = () => out.reduce((n, c) => n + c.length, 0);
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      gunzip.push(piece, final);
    } catch (e) {
      // Hand out what was inflated before the damage first; the caller sees the error after it.
      throw new GzipDataError(`gzip data is damaged (${(e as Error).message})`, produced + waiting());
    }
  };
  const drain = function* () {
    while (out.length) {
      const c = out.shift()!;
      produced += c.length;
      yield c;
    }
  };
  // Every member ends with its CRC-32 and ISIZE (decompressed length mod 2^32); fflate's streaming Gunzip checks
  // neither, so a truncated file (ISIZE) and a damaged byte that still inflates (CRC) are caught by comparing them
  // with what came out. A member's trailer is the 8 compressed bytes before the next member's header (fflate says
  // where that starts while the piece holding it is pushed) or, for the last member, the file's last 8 bytes.
  // The first member whose trailer disagrees is reported once every byte was handed out.
  let failed: GzipDataError | null = null;
  let member = 0;
  const check = (trailer: Uint8Array | null, last: boolean) => {
    member++;
    const seen = { crc, length };
    // The member's end: its bytes may still wait in `out` when the next member's header is found during a push.
    const end = produced + waiting();
    crc = 0;
    length = 0;
    if (failed || !trailer) return;
    const le32 = (at: number) => (trailer[at] | (trailer[at + 1] << 8) | (trailer[at + 2] << 16) | (trailer[at + 3] << 24)) >>> 0;
    const which = last && member === 1 ? '' : ` (member ${member} of the concatenated file)`;
    if (le32(4) !== seen.length % 4294967296) {
      failed = new GzipDataError(`gzip data ends early (file truncated?)${which}`, end, true);
    } else if (le32(0) !== seen.crc) {
      const hex = (n: number) => n.toString(16).padStart(8, '0');
      failed = new GzipDataError(
        `gzip check failed${which}: the decompressed data's CRC-32 is ${hex(seen.crc)}, the file says ${hex(le32(0))}, so some ` +
          'bytes are damaged (gzip -t reports it) and packets read from them may be wrong',
        end,
        true,
      );
    }
  };
  // The piece being pushed (valid while fflate reads it), where it starts, and a copy of the HISTORY bytes before it
  // (a member's header may end in a later piece than its trailer).
  let piece: Uint8Array = new Uint8Array(0);
  let pieceAt = 0;
  const before = new Uint8Array(HISTORY);
  const byteAt = (abs: number): number => (abs >= pieceAt ? piece[abs - pieceAt] : before[HISTORY - (pieceAt - abs)]);
  gunzip.onmember = (offset) => {
    const ok = offset - 8 >= Math.max(0, pieceAt - HISTORY) && offset <= pieceAt + piece.length;
    check(ok ? Uint8Array.from({ length: 8 }, (_, k) => byteAt(offset - 8 + k)) : null, false);
  };
  const last8 = new Uint8Array(8);
  const feed = (p: Uint8Array, final: boolean) => {
    const tail = pieceAt + piece.length;
    if (piece.length >= HISTORY) before.set(piece.subarray(piece.length - HISTORY));
    else {
      before.copyWithin(0, piece.length);
      before.set(piece, HISTORY - piece.length);
    }
    pieceAt = tail;
    piece = p;
    push(p, final);
  };
  for await (const slice of source.slices(0)) {
    if (slice.length >= 8) last8.set(slice.subarray(slice.length - 8));
    else if (slice.length > 0) {
      last8.copyWithin(0, slice.length);
      last8.set(slice, 8 - slice.length);
    }
    for (let at = 0; at < slice.length; at += PUSH_SIZE) {
      let damage: unknown = null;
      try {
        feed(slice.subarray(at, Math.min(slice.length, at + PUSH_SIZE)), false);
      } catch (e) {
        damage = e;
      }
      // What this piece inflated before the damage too (its error's offset counts it).
      yield* drain();
      if (damage) throw damage;
    }
  }
  let err: unknown = null;
  try {
    feed(new Uint8Array(0), true);
  } catch (e) {
    err = e;
  }
  yield* drain();
  if (err) throw err;
  check(last8, true);
  if (failed) throw failed;
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

