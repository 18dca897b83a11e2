// cli/text-out.ts checks a long string's bytes with Node's native calls and 4 bytes at a time (plainJson): every
// character JSON escapes, at every position and alignment of the buffer, must still be escaped as JSON.stringify does.
import { describe, expect, it } from 'vitest';
import { TextOut } from '../../src/cli/text-out';

describe('TextOut: long strings', () => {
  it('are written as JSON.stringify writes them, whatever character sits where', () => {
    const w = new TextOut(async () => {}).bytes;
    const odd = ['a', ' ', '"', '\\', '\n', '\u0001', '\u001f', '\u007f', '\u0080', 'é', '\ud800', '~', '😀'];
    let n = 0;
    for (let len = 33; len < 72; len += 5) {
      for (let pos = 0; pos < len; pos++) {
        for (const c of odd) {
          const s = 'x'.repeat(pos) + c + 'y'.repeat(len - pos - 1);
          for (let at = 0; at < 4; at++) {
            w.n = at;
            w.str(s);
            expect(Buffer.from(w.buf.subarray(at, w.n)).toString('utf8')).toBe(JSON.stringify(s));
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(10_000);
  });
});
