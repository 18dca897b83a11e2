/**
 * Where input bytes come from: a File/Blob in the browser, a file in Node, a buffer, pasted text.
 * Decoders stream sources in slices and re-read single packets by offset later, so no source is
 * ever held whole in memory unless it already is (a buffer, a paste).
 */
import { nextTask } from './steps';

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

/**
 * `source` with the next slice asked for as soon as one is handed out, so that a source which reads only when asked
 * (the Node file source) reads it while the reader parses this one (ByteSource.slices: a slice stays valid while
 * the next two are read). The same slices in the same order; a reader that stops early ends the source's slices.
 * The source's other members are copied as they are (sources are plain objects, not class instances).
 */
export function readingAhead<S extends ByteSource>(source: S): S {
  return { ...source, slices: (offset?: number, sliceSize?: number) => ahead(source.slices(offset, sliceSize)) };
}

async function* ahead(slices: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = slices[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (let r = await next; !r.done; r = await next) {
      next = it.next();
      yield r.value;
    }
  } finally {
    next.catch(() => undefined); // a read abandoned by a reader that stopped early is not its failure
    await it.return?.(undefined)?.catch(() => undefined);
  }
}

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
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Reads in flight ahead of the one being consumed: the reads go on while the consumer parses. */
export const BLOB_READ_AHEAD = 3;
/**
 * Bytes per Blob read (a whole number of slices, at least one); the slices are handed out as views of it. Reading
 * 200 MB in a Web Worker (Chromium, 3 reads ahead, load ~5, medians of 3): 2 MiB reads 0.56 s, 4 MiB 0.36 s,
 * 8 MiB 0.31 s, 16 MiB 0.28 s.
 */
export const BLOB_READ_SIZE = 8 << 20;
/** A read of a Blob slice that has not settled after this long fails instead of waiting for ever. */
export const BLOB_READ_TIMEOUT_MS = 30_000;

/**
 * A source over a Blob or File (browser, worker, Node 20): read with Blob.slice().arrayBuffer(), `readSize` bytes a
 * read, up to `ahead` reads in flight. Not with the File's byte stream (File.stream(), a BYOB reader): in Chromium 156
 * its reads stopped for good part way into an 813 MB log, in the engine worker (2 of 4 loads) and in a nested Worker
 * (3 of 3), and the page never finished. A read that does not settle within `timeoutMs` fails with the file's name
 * and the byte offset, so a stalled read ends the input with a message instead of freezing it.
 */
export function createBlobSource(
  name: string,
  blob: BlobLike,
  opts: { sliceSize?: number; readSize?: number; ahead?: number; timeoutMs?: number } = {},
): ByteSource {
  const { ahead = BLOB_READ_AHEAD, readSize = BLOB_READ_SIZE, timeoutMs = BLOB_READ_TIMEOUT_MS } = opts;
  const read = (offset: number, length: number) => readSlice(name, blob, offset, Math.min(blob.size, offset + length), timeoutMs);
  return {
    name,
    size: blob.size,
    blob,
    async *slices(offset = 0, sliceSize = opts.sliceSize ?? DEFAULT_SLICE_SIZE) {
      const step = Math.max(1, Math.floor(readSize / sliceSize)) * sliceSize;
      const pending: Promise<Uint8Array>[] = [];
      let next = offset;
      const fill = () => {
        for (; pending.length < ahead && next < blob.size; next += step) {
          const p = read(next, step);
          p.catch(() => {}); // awaited in turn below; a consumer that stops early leaves no unhandled rejection
          pending.push(p);
        }
      };
      fill();
      for (let k = 0; pending.length; k++) {
        // A task boundary once a read: when the reads are ahead of the consumer every await here settles at once, and
        // the thread would take no message (the engine worker's Cancel) until the whole input is read.
        if (k > 0) await nextTask();
        const chunk = await pending.shift()!;
        fill();
        for (let at = 0; at < chunk.length; at += sliceSize) yield chunk.subarray(at, Math.min(chunk.length, at + sliceSize));
      }
    },
    read,
  };
}

/** Bytes [from, to) of the blob, or an error naming the file and offset when the read fails or does not settle. */
function readSlice(name: string, blob: BlobLike, from: number, to: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: reading bytes ${from}-${to} did not finish within ${timeoutMs / 1000} s (the browser stopped reading the file)`)),
      timeoutMs,
    );
    blob
      .slice(from, to)
      .arrayBuffer()
      .then(
        (b) => resolve(new Uint8Array(b)),
        (e: unknown) => reject(new Error(`${name}: reading bytes ${from}-${to} failed: ${e instanceof Error ? e.message : String(e)}`)),
      )
      .finally(() => clearTimeout(timer));
  });
}

/** Text (a paste) as a source of its UTF-8 bytes. */
export function createTextSource(name: string, text: string): ByteSource {
  return createBytesSource(name, new TextEncoder().encode(text));
}
