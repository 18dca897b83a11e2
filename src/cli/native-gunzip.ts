/**
 * Node's zlib as the inflater of gzip inputs (lib/gzip-source.ts setInflate), installed by each thread of the command
 * line that reads inputs (cli/teardown.ts, cli/log-thread.ts). fflate inflates at ~80 MB/s of output in JavaScript;
 * zlib runs natively, on libuv's thread pool, so a piece inflates there while this thread decodes the one before.
 *
 * Behaviour is fflate's, with one exception: zlib checks each member's CRC-32 and length itself and reads concatenated members,
 * but on damage it drops the output of its last step and it passes over trailing bytes that are not a member. So
 * when zlib fails, or stops before the last compressed byte, the input is inflated again with fflateInflate, its
 * first bytes (those zlib handed out) skipped: what follows, and the GzipDataError with its message and offset, are
 * the fflate path's. The exception: fflate drops a stored (level 0) block's bytes when the file is cut inside the
 * block or damaged after it, and zlib hands them out; those bytes are kept and the error is placed after them.
 * Damaged inputs are rare; an intact one is inflated once, by zlib.
 */
import { createGunzip } from 'node:zlib';
import type { ByteSource } from '../lib/byte-source';
import { fflateInflate, GzipDataError, setInflate } from '../lib/gzip-source';

/** Compressed bytes per zlib write: bounds the output waiting at once (two pieces' worth). */
const PIECE = 256 * 1024;
/** zlib's output chunk size: the decompressed chunks handed out. */
const CHUNK = 1 << 20;

export function useNativeGunzip(): void {
  setInflate(nativeInflate);
}

/** Inflate (lib/gzip-source.ts) through zlib, as fflateInflate behaves. */
export async function* nativeInflate(source: ByteSource): AsyncGenerator<Uint8Array> {
  const gz = createGunzip({ chunkSize: CHUNK });
  let out: Uint8Array[] = [];
  let failed = false;
  /** The output ended: after the last member, or early when bytes follow a member that are not one (zlib stops). */
  let ended = false;
  /** Resolves the write or end being waited for; also on an error or the end (zlib may not call a write's callback). */
  let wake: (() => void) | null = null;
  gz.on('data', (c: Buffer) => out.push(new Uint8Array(c.buffer, c.byteOffset, c.length)));
  gz.on('error', () => {
    failed = true;
    wake?.();
  });
  gz.on('end', () => {
    ended = true;
    wake?.();
  });
  const step = (start: (done: () => void) => void) =>
    new Promise<void>((ok) => {
      wake = ok;
      start(ok);
    });
  let produced = 0;
  let total = 0;
  try {
    // Pieces go to zlib one ahead: while piece k+1 inflates on the thread pool, piece k's output is handed out.
    let pending: Promise<void> | null = null;
    for await (const slice of source.slices(0)) {
      total += slice.length;
      for (let at = 0; at < slice.length && !failed && !ended; at += PIECE) {
        const piece = slice.subarray(at, Math.min(slice.length, at + PIECE));
        if (pending) await pending;
        const ready = out;
        out = [];
        // The slice stays valid while the source reads the next one (ByteSource.slices), and zlib has taken it by then.
        pending = failed || ended ? null : step((done) => gz.write(piece, () => done()));
        for (const c of ready) {
          produced += c.length;
          yield c;
        }
      }
      if (failed || ended) break;
    }
    if (pending) await pending;
    // Until 'end' (every byte out, the last member's trailer checked), not end()'s callback: that comes before
    // zlib's error on a truncated file.
    if (!failed && !ended) await step(() => gz.end());
    for (const c of out.splice(0)) {
      produced += c.length;
      yield c;
    }
    if (!failed && ended && gz.bytesWritten === total) return;
  } finally {
    gz.destroy();
  }
  // zlib failed or left compressed bytes unread: fflate says what the fflate path would, after the bytes given.
  let skip = produced;
  try {
    for await (const c of fflateInflate(source)) {
      if (skip >= c.length) skip -= c.length;
      else {
        yield skip ? c.subarray(skip) : c;
        skip = 0;
      }
    }
  } catch (e) {
    // zlib got further than fflate before the damage (a stored block's bytes, see above): they are kept, and the
    // error is placed after them.
    if (e instanceof GzipDataError && e.decompressedOffset < produced) {
      throw new GzipDataError(e.message, produced, e.atEnd);
    }
    throw e;
  }
}
