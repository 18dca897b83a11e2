/**
 * ByteSource over a file in Node: read through a file handle in slices, never whole. Stdin ("-")
 * cannot be re-read by offset, so it is read once into memory (what a pipe gives is all there is).
 */
import { open, stat } from 'node:fs/promises';
import { createBytesSource, DEFAULT_SLICE_SIZE, type ByteSource } from '../lib/byte-source';

export async function createNodeFileSource(path: string, name = path): Promise<ByteSource> {
  const size = (await stat(path)).size;
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    const n = Math.max(0, Math.min(length, size - offset));
    const buf = new Uint8Array(n);
    if (n === 0) return buf;
    const fh = await open(path, 'r');
    try {
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === n ? buf : buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  };
  return {
    name,
    size,
    async *slices(offset = 0, sliceSize = DEFAULT_SLICE_SIZE) {
      const fh = await open(path, 'r');
      try {
        for (let at = offset; at < size; ) {
          const buf = new Uint8Array(Math.min(sliceSize, size - at));
          const { bytesRead } = await fh.read(buf, 0, buf.length, at);
          if (bytesRead === 0) break;
          yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
          at += bytesRead;
        }
      } finally {
        await fh.close();
      }
    },
    read,
  };
}

/** Standard input, read to the end. */
export async function createStdinSource(): Promise<ByteSource> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const c = chunk as Uint8Array;
    chunks.push(c);
    total += c.length;
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return createBytesSource('-', all);
}
