/**
 * Packets of a gzip capture read again one by one (engine/export-frames.ts readFramesFrom, as a packet's details and
 * --explain's TLS ladders read them): the same frames as from the plain capture, and one decompression for all the
 * reads in file order (each read decompressed the capture from its start before engine/gzip-reread.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { readFramesFrom } from '../../src/engine/export-frames';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { isRereadable } from '../../src/model/formats';

const CAPTURES = join(import.meta.dirname, '..', 'fixtures', 'captures');

/** A source over `bytes` that counts the walks from its start (a gzip view decompresses with one). */
function counted(name: string, bytes: Uint8Array): { source: ByteSource; walks: () => number } {
  const plain = createBytesSource(name, bytes);
  let walks = 0;
  return { source: { ...plain, slices: (offset, size) => (walks++, plain.slices(offset, size)) }, walks: () => walks };
}

describe('re-reading packets of a gzip capture', () => {
  for (const file of ['zeek__http-qinq-0.pcap', 'ppp__many_interfaces-1.pcapng', 'ppp__pcapng-example.pcapng']) {
    it(`${file}: the plain capture's frames, every packet read on its own, one decompression`, async () => {
      const bytes = new Uint8Array(readFileSync(join(CAPTURES, file)));
      const plain = createBytesSource(file, bytes);
      const gz = counted(`${file}.gz`, gzipSync(bytes));
      const s = await analyzeSources([gz.source]);
      const format = s.inputs[0].format;
      expect(s.inputs[0].gzip && isRereadable(format)).toBe(true);
      if (!isRereadable(format)) return;
      const offsets = Array.from({ length: s.table.length }, (_, row) => s.table.recordOffset.get(row)).sort((a, b) => a - b);
      expect(offsets.length).toBeGreaterThan(10);
      const before = gz.walks();
      for (const o of offsets) {
        const [again] = await readFramesFrom(s, gz.source, format, 0, [o]);
        const [orig] = await readFramesFrom(s, plain, format, 0, [o]);
        expect(again.recordOffset).toBe(o);
        expect({ ...again, data: [...again.data] }).toEqual({ ...orig, data: [...orig.data] });
      }
      expect(gz.walks() - before).toBe(1);
    });
  }
});
