/**
 * Where input bytes come from: a File/Blob in the browser, a file in Node, a buffer, pasted text.
 * Decoders stream sources in slices and re-read single packets by offset later, so no source is
 * ever held whole in memory unless it already is (a buffer, a paste).
 */
export interface ByteSource {
  /** What the user calls this input (a file name, "paste 1", "-" for stdin). Used in every message. */
  readonly name: string;
  /** Total size in bytes, when known before reading (not for stdin or decompressed streams). */
  readonly size: number | undefined;
  /**
   * Sequential slices from `offset` to the end. A slice stays valid while the next two are read (a reader may ask
   * for the next slice before it parses the current one); a source may then reuse its memory (the Node file source
   * does), so a consumer that holds bytes longer copies them.
   */
  slices(offset?: number, sliceSize?: number): AsyncIterable<Uint8Array>;
  /** Bytes [offset, offset + length), shorter at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The input whole, when it is a File/Blob: another thread (a nested Worker) can read it there. */
  readonly blob?: BlobLike;
  /** Told how far the input has been read when `blob` is read in another thread instead of through slices(). */
  readElsewhere?(position: number): void;
}

/**
 * 2 MiB: a slice just read is still in the CPU cache when it is parsed (the reader fills the next
 * one meanwhile). Measured on the 1 GB bench pcap: 1 MiB 0.40 s, 2 MiB 0.36 s, 4 MiB 0.45 s,
 * 8 MiB 0.48 s (medians of 5).
 */
export const DEFAULT_SLICE_SIZE = 2 * 1024 * 1024;

/** A source over bytes already in memory. */
export function createBytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      for (let at = offset; at < bytes.length; at += sliceSize) {
        yield bytes.subarray(at, Math.min(bytes.length, at + sliceSize));
      }
    },
    async read(offset, length) {
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
  };
}

/** The part of Blob/File we need, so the core compiles without DOM types. */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer>; stream?(): ByteStreamLike };
}

/** The part of a ReadableStream of bytes used here (the core compiles without DOM types). */
interface ByteStreamLike {
  getReader(options: { mode: 'byob' }): ByobReaderLike;
}
interface ByobReaderLike {
  read(view: Uint8Array): Promise<{ done: boolean; value?: Uint8Array }>;
  releaseLock(): void;
}

/** A source over a Blob or File (browser, worker, Node 20). Reads one slice at a time. */
export function createBlobSource(name: string, blob: BlobLike): ByteSource {
  const read = async (offset: number, length: number) =>
    new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer());
  return {
    name,
    size: blob.size,
    blob,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      const reader = byobReader(blob, offset);
      if (reader) {
        yield* streamSlices(reader, sliceSize);
        return;
      }
      for (let at = offset; at < blob.size; at += sliceSize) yield await read(at, sliceSize);
    },
    read,
  };
}

/** A BYOB reader over the blob from `offset`, or null where blobs do not stream bytes (Node's Blob). */
function byobReader(blob: BlobLike, offset: number): ByobReaderLike | null {
  try {
    const s = blob.slice(offset, blob.size).stream?.();
    return s ? s.getReader({ mode: 'byob' }) : null;
  } catch {
    return null;
  }
}

/**
 * Slices of sliceSize bytes read through a BYOB reader into RING buffers used in turn (a slice stays valid while the
 * next two are read, as ByteSource.slices says). In Chromium this reads a File many times faster than
 * Blob.slice().arrayBuffer() per slice (bench/browser-read.ts).
 */
async function* streamSlices(reader: ByobReaderLike, sliceSize: number): AsyncGenerator<Uint8Array> {
  const RING = 3;
  const ring: ArrayBuffer[] = [];
  try {
    for (let k = 0; ; k++) {
      let buf = ring[k % RING] ?? new ArrayBuffer(sliceSize);
      let filled = 0;
      let done = false;
      while (filled < sliceSize) {
        const r = await reader.read(new Uint8Array(buf, filled, sliceSize - filled));
        if (r.done || !r.value) {
          done = true;
          if (r.value) buf = r.value.buffer as ArrayBuffer;
          break;
        }
        buf = r.value.buffer as ArrayBuffer; // the same memory, handed back
        filled += r.value.byteLength;
      }
      ring[k % RING] = buf;
      if (filled > 0) yield new Uint8Array(buf, 0, filled);
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Text (a paste) as a source of its UTF-8 bytes. */
export function createTextSource(name: string, text: string): ByteSource {
  return createBytesSource(name, new TextEncoder().encode(text));
}
