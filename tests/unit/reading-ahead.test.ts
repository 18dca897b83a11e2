// readingAhead (lib/byte-source.ts): the command line's log thread reads a file's next slice while it decodes this
// one. The same slices in the same order; the next one asked for when one is handed out (not when the reader has
// parsed it); a read's failure reaches the reader at that slice; a reader that stops early ends the source's slices
// and leaves no unhandled rejection from the read it abandoned.
import { describe, expect, it } from 'vitest';
import { createBytesSource, readingAhead, type ByteSource } from '../../src/lib/byte-source';
import { readLines } from '../../src/lib/line-reader';

/** A source of `n` slices of 3 bytes each that logs each read when it starts, and fails at slice `failAt`. */
function loggingSource(n: number, log: string[], failAt = -1): ByteSource & { closed: boolean } {
  const s = {
    name: 'logged',
    size: 3 * n,
    closed: false,
    read: () => Promise.resolve(new Uint8Array(0)),
    async *slices() {
      try {
        for (let k = 0; k < n; k++) {
          log.push(`read ${k}`);
          await new Promise((r) => setTimeout(r, 1));
          if (k === failAt) throw new Error(`logged: reading slice ${k} failed`);
          yield new Uint8Array([k, k, k]);
        }
      } finally {
        s.closed = true;
      }
    },
  };
  return s;
}

describe('readingAhead', () => {
  it('hands out the same slices in the same order', async () => {
    const data = new TextEncoder().encode(Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`).join('\n'));
    const plain: number[][] = [];
    const ahead: number[][] = [];
    for await (const s of createBytesSource('a', data).slices(0, 4096)) plain.push([...s]);
    for await (const s of readingAhead(createBytesSource('a', data)).slices(0, 4096)) ahead.push([...s]);
    expect(ahead.length).toBeGreaterThan(10);
    expect(ahead).toEqual(plain);
    const lines: string[] = [];
    await readLines(readingAhead(createBytesSource('a', data)), (l) => lines.push(l), { sliceSize: 4096 });
    expect(lines.join('\n')).toBe(new TextDecoder().decode(data));
  });

  it('asks for the next slice when it hands one out, before the reader has parsed it', async () => {
    for (const wrapped of [false, true]) {
      const log: string[] = [];
      const src = loggingSource(4, log);
      for await (const s of (wrapped ? readingAhead(src) : src).slices()) {
        await new Promise((r) => setTimeout(r, 5)); // parsing
        log.push(`parsed ${s[0]}`);
      }
      // Without it, each read starts once the slice before was parsed.
      expect(log.indexOf('read 1') < log.indexOf('parsed 0')).toBe(wrapped);
      expect(log.indexOf('read 3') < log.indexOf('parsed 2')).toBe(wrapped);
      expect(log.filter((e) => e.startsWith('parsed'))).toEqual(['parsed 0', 'parsed 1', 'parsed 2', 'parsed 3']);
      expect(src.closed).toBe(true);
    }
  });

  it("gives a read's failure at its slice, after the slices before it", async () => {
    const got: number[] = [];
    const src = loggingSource(5, [], 2);
    await expect(
      (async () => {
        for await (const s of readingAhead(src).slices()) got.push(s[0]);
      })(),
    ).rejects.toThrow('logged: reading slice 2 failed');
    expect(got).toEqual([0, 1]);
    expect(src.closed).toBe(true);
  });

  it('ends the source when the reader stops early, and the read it abandoned may fail unseen', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const src = loggingSource(5, [], 1); // the read in flight when the reader stops fails
      for await (const s of readingAhead(src).slices()) {
        expect(s[0]).toBe(0);
        break;
      }
      expect(src.closed).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
