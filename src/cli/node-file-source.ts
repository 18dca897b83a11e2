/**
 * ByteSource over a file in Node: read through a file descriptor in slices, never whole. Stdin ("-")
 * cannot be re-read by offset: it is streamed once (see createStdinSource).
 */
import { close, open, read as readFd, stat } from 'node:fs';
import { createBytesSource, DEFAULT_SLICE_SIZE, type ByteSource } from '../lib/byte-source';

/** `path`: the file read (the command line's decoder thread opens it itself, cli/threaded-decode.ts). */
export async function createNodeFileSource(path: string, name = path): Promise<ByteSource & { path: string }> {
  const size = await sizeOf(path);
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    const n = Math.max(0, Math.min(length, size - offset));
    const buf = new Uint8Array(n);
    if (n === 0) return buf;
    const fd = await openFile(path);
    try {
      let got = 0;
      while (got < n) {
        const bytesRead = await readAt(fd, buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === n ? buf : buf.subarray(0, got);
    } finally {
      await closeFile(fd);
    }
  };
  return {
    name,
    size,
    path,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      const fd = await openFile(path);
      // RING buffers used in turn (see ByteSource.slices: a slice stays valid while the next RING - 1 are read). A
      // fresh buffer per slice cost a page fault per 4 KiB, about as much system time as the reads themselves.
      const ring: Uint8Array[] = [];
      try {
        for (let at = offset, k = 0; at < size; k++) {
          const n = Math.min(sliceSize, size - at);
          let buf = ring[k % RING];
          if (!buf || buf.length < n) buf = ring[k % RING] = uninitialised(Math.max(n, Math.min(sliceSize, size - offset)));
          if (buf.length > n) buf = buf.subarray(0, n);
          const bytesRead = await readAt(fd, buf, 0, buf.length, at);
          if (bytesRead === 0) break;
          yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
          at += bytesRead;
        }
      } finally {
        await closeFile(fd);
      }
    },
    read,
  };
}

// node:fs's callbacks, not node:fs/promises: that module (FileHandle and what it loads) is not part of Node's start-up
// snapshot, and loading it cost a tiny run as much as reading its file.
const openFile = (path: string) => new Promise<number>((ok, fail) => open(path, 'r', (e, fd) => (e ? fail(e) : ok(fd))));
const closeFile = (fd: number) => new Promise<void>((ok) => close(fd, () => ok()));
const readAt = (fd: number, buf: Uint8Array, at: number, n: number, position: number) =>
  new Promise<number>((ok, fail) => readFd(fd, buf, at, n, position, (e, got) => (e ? fail(e) : ok(got))));

const sizeOf = (path: string) => new Promise<number>((ok, fail) => stat(path, (e, st) => (e ? fail(e) : ok(st.size))));

/**
 * A byte array whose memory is not zeroed first (the read overwrites it): saves clearing every slice, about
 * 30 ms per GB. A plain Uint8Array view, not the Buffer itself, so decoders only ever see one array type.
 */
function uninitialised(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** Slice buffers a file source recycles: the slice being parsed, the one being read ahead, and one spare. */
const RING = 3;

const STDIN_HEAD = 1 << 20;

/**
 * Standard input, streamed: the first MiB is kept (format sniffing re-reads it), the rest passes
 * through once, so a multi-GB pipe never sits in memory. Only a gzip stream is kept whole
 * (compressed), because reading it means decompressing from the start more than once.
 */
export async function createStdinSource(): Promise<ByteSource> {
  const it = (process.stdin as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  while (total < STDIN_HEAD) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    chunks.push(r.value);
    total += r.value.length;
  }
  const concat = (parts: Uint8Array[], n: number) => {
    const all = new Uint8Array(n);
    let at = 0;
    for (const c of parts) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  };
  const head = concat(chunks, total);
  if (ended || (head[0] === 0x1f && head[1] === 0x8b)) {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      chunks.push(r.value);
      total += r.value.length;
    }
    return createBytesSource('-', concat(chunks, total));
  }
  let streamed = false;
  return {
    name: '-',
    size: undefined,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      if (streamed) throw new Error('standard input can be read only once');
      streamed = true;
      for (let at = offset; at < head.length; at += sliceSize) yield head.subarray(at, Math.min(head.length, at + sliceSize));
      let skip = Math.max(0, offset - head.length);
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const c = r.value;
        if (skip >= c.length) {
          skip -= c.length;
          continue;
        }
        yield skip ? c.subarray(skip) : c;
        skip = 0;
      }
    },
    async read(offset, length) {
      if (offset + length <= head.length) return head.subarray(offset, offset + length);
      if (offset < head.length && streamed) return head.subarray(offset);
      if (offset < head.length) return head.subarray(offset);
      throw new Error(`standard input cannot be re-read at byte ${offset}`);
    },
  };
}
