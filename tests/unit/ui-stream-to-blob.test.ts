import { describe, expect, it } from 'vitest';
import { streamToBlob } from '../../src/ui/share/stream-to-blob';

/** A stream of `n` chunks of `size` bytes, each byte its position mod 251 (so order and loss show). */
function stream(n: number, size: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i === n) return c.close();
      const b = new Uint8Array(size);
      for (let k = 0; k < size; k++) b[k] = (i * size + k) % 251;
      i++;
      c.enqueue(b);
    },
  });
}

describe('a capture URL read into a Blob', () => {
  it('keeps every byte in order and reports progress', async () => {
    const seen: number[] = [];
    const blob = await streamToBlob(stream(300, 1000).getReader(), { foldBytes: 16_000, onBytes: (r) => seen.push(r) });
    expect(blob.size).toBe(300_000);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    for (let k = 0; k < bytes.length; k += 997) expect(bytes[k]).toBe(k % 251);
    expect(seen.length).toBe(300);
    expect(seen.at(-1)).toBe(300_000);
  });

  it('never holds more than the fold size (plus one chunk) as chunks in the heap', async () => {
    let most = 0;
    await streamToBlob(stream(2000, 4096).getReader(), { foldBytes: 64 * 1024, onPending: (p) => (most = Math.max(most, p)) });
    expect(most).toBeLessThanOrEqual(64 * 1024 + 4096);
    expect(most).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('gives an empty Blob for an empty body', async () => {
    expect((await streamToBlob(stream(0, 1).getReader())).size).toBe(0);
  });
});
