/// <reference lib="webworker" />
/**
 * A File read as a ByteSource through File.stream() with a BYOB reader, for the log decoder Worker: each slice is
 * filled in one of a ring of SLICE_BUFFERS buffers of `sliceSize` bytes, reused (a slice stays valid while the next
 * two are read, as ByteSource.slices promises). Blob.slice().arrayBuffer() (lib/byte-source.ts createBlobSource)
 * costs the reading thread itself: reading u5m.log (852 MB) in a Chromium worker took 3.0-3.3 s of that thread's
 * CPU (1.4-1.7 s of it in the kernel: a fresh ArrayBuffer's pages faulted in per read) against 0.28-0.34 s for the
 * stream into reused buffers, and 5.5-7.8 s wall against 2.6-3.9 s (load ~15). `read` (the decoders' look at the
 * first bytes, a re-read) stays the Blob source's.
 */
import { BLOB_READ_TIMEOUT_MS, createBlobSource, type ByteSource } from '../lib/byte-source';

/** Buffers in the ring: the slice handed out, the two read after it, and one more. */
const SLICE_BUFFERS = 4;

export function createBlobStreamSource(name: string, blob: Blob, sliceSize: number, timeoutMs = BLOB_READ_TIMEOUT_MS): ByteSource {
  const base = createBlobSource(name, blob, { sliceSize, timeoutMs });
  return {
    ...base,
    async *slices(offset = 0, size = sliceSize) {
      const reader = (offset > 0 ? blob.slice(offset) : blob).stream().getReader({ mode: 'byob' });
      const ring: (ArrayBuffer | null)[] = new Array<ArrayBuffer | null>(SLICE_BUFFERS).fill(null);
      let at = offset;
      try {
        for (let k = 0; ; k = (k + 1) % SLICE_BUFFERS) {
          // The buffer is handed to the stream and comes back (transferred) with each read: kept for the next round.
          let buf = ring[k] ?? new ArrayBuffer(size);
          let filled = 0;
          let done = false;
          while (filled < buf.byteLength) {
            const r = await readOrFail(name, at + filled, reader, new Uint8Array(buf, filled, buf.byteLength - filled), timeoutMs);
            if (r.value) buf = r.value.buffer as ArrayBuffer;
            if (r.done) {
              done = true;
              break;
            }
            filled += r.value!.length;
          }
          ring[k] = reusable(buf, size);
          if (filled > 0) {
            yield new Uint8Array(buf, 0, filled);
            at += filled;
          }
          if (done) return;
        }
      } finally {
        reader.cancel().catch(() => undefined); // a reader that stopped early ends the file's read
      }
    },
  };
}

/** A buffer back from a stream that ended may be gone (a cancelled stream gives none): a fresh one then. */
function reusable(buf: ArrayBuffer, size: number): ArrayBuffer | null {
  return buf.byteLength === size ? buf : null;
}

/** One read into `view`, or an error naming the file and the offset when it fails or does not settle in time. */
function readOrFail(
  name: string,
  at: number,
  reader: ReadableStreamBYOBReader,
  view: Uint8Array,
  timeoutMs: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: reading bytes from ${at} did not finish within ${timeoutMs / 1000} s (the browser stopped reading the file)`)),
      timeoutMs,
    );
    reader.read(view).then(
      (r) => (clearTimeout(timer), resolve(r)),
      (e: unknown) => (clearTimeout(timer), reject(new Error(`${name}: reading bytes from ${at} failed: ${e instanceof Error ? e.message : String(e)}`))),
    );
  });
}
