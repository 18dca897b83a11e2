// cli/text-out.ts keeps two buffers: records go into one while stdout writes the other (toStdoutBehind, on another
// thread). Chunks must reach stdout whole, in order, one at a time, and no buffer may change while it is written.
import { describe, expect, it } from 'vitest';
import { TextOut } from '../../src/cli/text-out';

/** A stdout that takes a while over each chunk: one write at a time, and the chunk must not change meanwhile. */
class SlowStdout {
  writing = 0;
  written = '';
  chunks = 0;
  readonly out = (chunk: Uint8Array | string): Promise<void> => {
    expect(this.writing).toBe(0); // one write at a time
    this.writing++;
    this.chunks++;
    const copy = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
    return new Promise<void>((done) =>
      setTimeout(() => {
        // The writer has not touched the chunk while it was being written.
        expect(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1')).toBe(copy);
        this.written += copy;
        this.writing--;
        done();
      }, 1),
    );
  };
}

describe('TextOut: two buffers', () => {
  it('writes chunks in order, one at a time, each unchanged until written, while records go on into the other', async () => {
    const stdout = new SlowStdout();
    const out = new TextOut(stdout.out);
    let expected = '';
    let whileWriting = 0;
    for (let i = 0; i < 60_000; i++) {
      const line = `{"record":${i},"pad":"${'x'.repeat(i % 97)}"}\n`;
      expected += line;
      if (stdout.writing) whileWriting++;
      if (i % 2) {
        const w = out.put(line);
        if (w) await w;
      } else {
        out.bytes.text(line);
        const w = out.written();
        if (w) await w;
      }
    }
    await out.flush();
    expect(stdout.writing).toBe(0);
    expect(stdout.written).toBe(expected);
    expect(stdout.chunks).toBeGreaterThan(3);
    // Records were made while a chunk was being written: the write overlapped the work.
    expect(whileWriting).toBeGreaterThan(1000);
  });
});

describe('TextOut.copy: chunks the caller reuses (the readable table)', () => {
  it('writes each chunk whole and in order though the caller refills its buffer as soon as it is copied, bigger ones too', async () => {
    const stdout = new SlowStdout();
    const out = new TextOut(stdout.out);
    // One buffer the caller fills again for every chunk, as a table block's staging buffer is.
    const mine = Buffer.alloc(3 << 20);
    let expected = '';
    let whileWriting = 0;
    for (let i = 0; i < 400; i++) {
      // Sizes from a few bytes to over twice TextOut's 1 MiB buffer.
      const size = i % 50 === 7 ? (2 << 20) + i : 1 + ((i * 7919) % 300_000);
      const c = 97 + (i % 26);
      mine.fill(c, 0, size);
      expected += String.fromCharCode(c).repeat(size);
      if (stdout.writing) whileWriting++;
      const w = out.copy(mine.subarray(0, size));
      if (w) await w;
      mine.fill(0, 0, size); // reused once copy is done with it, while TextOut may still be writing those bytes
      if (i % 37 === 0) {
        const line = `text ${i}\n`;
        expected += line;
        const t = out.copy(line);
        if (t) await t;
      }
    }
    await out.flush();
    expect(stdout.writing).toBe(0);
    expect(stdout.written.length).toBe(expected.length);
    expect(stdout.written === expected).toBe(true);
    // Chunks were copied while another was being written: the caller did not wait for each write.
    expect(whileWriting).toBeGreaterThan(20);
  });
});
