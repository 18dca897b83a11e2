// cli/text-out.ts keeps two buffers: records go into one while stdout writes the other (toStdoutBehind, on another
// thread). Chunks must reach stdout whole, in order, one at a time, and no buffer may change while it is written.
import { describe, expect, it } from 'vitest';
import { TextOut } from '../../src/cli/text-out';

describe('TextOut: two buffers', () => {
  it('writes chunks in order, one at a time, each unchanged until written, while records go on into the other', async () => {
    let writing = 0;
    let written = '';
    let chunks = 0;
    const out = new TextOut((chunk) => {
      expect(writing).toBe(0); // one write at a time
      writing++;
      chunks++;
      const copy = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
      return new Promise<void>((done) =>
        setTimeout(() => {
          // The writer has not touched the chunk while it was being written.
          expect(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1')).toBe(copy);
          written += copy;
          writing--;
          done();
        }, 1),
      );
    });
    let expected = '';
    let whileWriting = 0;
    for (let i = 0; i < 60_000; i++) {
      const line = `{"record":${i},"pad":"${'x'.repeat(i % 97)}"}\n`;
      expected += line;
      if (writing) whileWriting++;
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
    expect(writing).toBe(0);
    expect(written).toBe(expected);
    expect(chunks).toBeGreaterThan(3);
    // Records were made while a chunk was being written: the write overlapped the work.
    expect(whileWriting).toBeGreaterThan(1000);
  });
});
