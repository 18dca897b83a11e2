/**
 * Packets of a gzip input read again by offset (export-frames.ts readFramesFrom: a packet's details in the page, the
 * TLS records of --explain's ladders, an export): one decompressed view per input, kept (lib/gzip-source.ts: its
 * read() goes on from where the last read stopped and keeps the last 8 MiB behind it), with the preludes (a pcap's
 * file header, a pcapng's section header and interfaces) read from it once. Before, every such read decompressed the
 * input from its start up to the packet. Re-reads of one input run one after the other, so that one's reads are not
 * taken apart by another's far behind it (each of which would start the decompression over).
 */
import type { ByteSource } from '../lib/byte-source';
import { createGunzipSource, isGzip } from '../lib/gzip-source';

export interface GzipReread {
  /** The decompressed bytes (read() only: slices() would decompress from the start). */
  view: ByteSource;
  /** The bytes of `ranges` (offset, length pairs) of the view, read once per set of ranges (`read` reads them). */
  prelude(ranges: readonly number[], read: (view: ByteSource) => Promise<Uint8Array | null>): Promise<Uint8Array | null>;
  /** Runs `f` after the re-reads of this input before it. */
  run<T>(f: () => Promise<T>): Promise<T>;
}

const kept = new WeakMap<ByteSource, GzipReread>();

/** The kept view of `source` when it is gzip, else null. */
export async function gzipReread(source: ByteSource): Promise<GzipReread | null> {
  const known = kept.get(source);
  if (known) return known;
  if (!isGzip(await source.read(0, 2))) return null;
  const view = createGunzipSource(source);
  const preludes = new Map<string, Promise<Uint8Array | null>>();
  let queue: Promise<unknown> = Promise.resolve();
  const r: GzipReread = {
    view,
    prelude(ranges, read) {
      const key = ranges.join();
      let p = preludes.get(key);
      if (!p) preludes.set(key, (p = read(view)));
      return p;
    },
    run(f) {
      const done = queue.then(f);
      queue = done.catch(() => {});
      return done;
    },
  };
  kept.set(source, kept.get(source) ?? r);
  return kept.get(source)!;
}

/** Bytes a view is read in when walked by reads (export-frames.ts spliced). */
export const REREAD_CHUNK = 1 << 20;
