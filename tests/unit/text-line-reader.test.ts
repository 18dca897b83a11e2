// The line reader under the text decoders: line ends, BOM, exact byte offsets (ASCII, UTF-8, invalid bytes),
// lines across slices of any size, over-long lines, cancellation; checked against a plain split of the bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readLines, setAsciiDecoder } from '../../src/lib/line-reader';
import { sliced } from './text-helpers';

async function lines(bytes: Uint8Array, slice: number, maxLineLength?: number) {
  const out: [string, number, number][] = [];
  const long: number[] = [];
  const r = await readLines(sliced('t', bytes, slice), (l, n, o) => out.push([l, n, o]), { maxLineLength, onLongLine: (n) => long.push(n) });
  return { out, long, r };
}

/** What the reader must give: split the bytes at LF, drop one CR before it, decode each line alone. */
function expected(bytes: Uint8Array): [string, number, number][] {
  const dec = new TextDecoder();
  const out: [string, number, number][] = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let n = 0;
  while (start < bytes.length) {
    let nl = bytes.indexOf(10, start);
    const end = nl < 0 ? bytes.length : nl;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    out.push([dec.decode(bytes.subarray(start, stop)), ++n, start]);
    if (nl < 0) nl = bytes.length;
    start = nl + 1;
  }
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('readLines', () => {
  it('LF, CRLF, a BOM, no final newline, empty lines', async () => {
    const b = enc('\ufeffa\r\nbb\n\nccc');
    for (const size of [1, 2, 3, 4, 100]) {
      const { out, r } = await lines(b, size);
      expect(out).toEqual([['a', 1, 3], ['bb', 2, 6], ['', 3, 9], ['ccc', 4, 10]]);
      expect(r).toEqual({ lines: 4, bytes: b.length, cancelled: false });
    }
  });

  it('exact byte offsets with multi-byte and invalid UTF-8, whatever the slice size', async () => {
    const b = new Uint8Array([...enc('Ö1\n'), 0xff, 0xfe, 10, ...enc('€x\r\n'), 0xe2, 0x82, 10, ...enc('end')]);
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const { out } = await lines(b, size);
      expect(out).toEqual(expected(b));
    }
  });

  it('cuts over-long lines, reports them, and goes on at the next line', async () => {
    const b = enc(`${'x'.repeat(50)}\nshort\n${'y'.repeat(30)}`);
    for (const size of [4, 16, 1000]) {
      const { out, long } = await lines(b, size, 10);
      expect(out).toEqual([['x'.repeat(10), 1, 0], ['short', 2, 51], ['y'.repeat(10), 3, 57]]);
      expect(long).toEqual([1, 3]);
    }
  });

  it('stops when cancelled, keeping the lines read', async () => {
    const out: string[] = [];
    let calls = 0;
    const r = await readLines(sliced('t', enc('a\nb\nc\nd\n'), 2), (l) => out.push(l), { isCancelled: () => ++calls > 2 });
    expect(r.cancelled).toBe(true);
    expect(out).toEqual(['a', 'b']); // two slices read, the third not
  });

  it('slices bigger than the 64 KiB pieces it makes text of: the same lines and offsets, with or without a host ASCII decoder', async () => {
    // Lines of 0-3000 characters, some with multi-byte characters, some with CRLF, over several pieces and slices.
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    let text = '';
    while (text.length < 400_000) text += `${'x'.repeat(rand(3000))}${rand(5) === 0 ? 'é€' : ''}${rand(4) === 0 ? '\r\n' : '\n'}`;
    const b = enc(text);
    const want = expected(b);
    try {
      for (const host of [false, true]) {
        setAsciiDecoder(host ? (u) => (u.every((x) => x < 128) ? new TextDecoder('latin1').decode(u) : null) : null);
        for (const size of [65_536, 100_000, 1 << 20]) expect((await lines(b, size)).out).toEqual(want);
      }
    } finally {
      setAsciiDecoder(null);
    }
  });

  it('matches a plain split for any bytes and slice size', async () => {
    const chunk = fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'é', '€', '𝄞', 'ab', ' '), fc.string({ maxLength: 5 }), fc.uint8Array({ maxLength: 3 }).map((u) => new TextDecoder('latin1').decode(u)));
    await fc.assert(fc.asyncProperty(fc.array(chunk, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), async (parts, size, raw) => {
      const b = raw ? new Uint8Array(parts.join('').split('').map((c) => c.charCodeAt(0) & 255)) : enc(parts.join(''));
      const { out } = await lines(b, size);
      expect(out).toEqual(expected(b));
    }), { numRuns: 300 });
  });
});

describe('line reader: lines offered as bytes (visitBytes)', () => {
  it('offers the lines of ASCII pieces as bytes with their numbers and offsets, and gives every other line as text', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 30, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1', '%', '\r'), maxLength: 40 }) }, { weight: 1, arbitrary: fc.constantFrom('é', 'x\u0000y', 'z'.repeat(300)) }), { minLength: 100, maxLength: 400 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.boolean(),
        async (parts, slice, host) => {
          const bytes = new TextEncoder().encode(parts.join('\n'));
          setAsciiDecoder(host ? (b) => (b.every((c) => c < 128) ? new TextDecoder().decode(b) : null) : null, host ? (b) => b.every((c) => c < 128) : null);
          try {
            const got: [string, number, number][] = [];
            const r = await readLines(sliced('t', bytes, slice), (l, n, o) => got.push([l, n, o]), {
              maxLineLength: 200,
              // Take every other line as bytes (its text is its bytes: ASCII); the rest come back as text.
              visitBytes: (b, s, e, n, o) => {
                if (n % 2) return false;
                got.push([String.fromCharCode(...b.subarray(s, e)), n, o]);
                taken++;
                return true;
              },
            });
            const want = (await lines(bytes, slice, 200)).out;
            expect(got.sort((x, y) => x[1] - y[1])).toEqual(want);
            expect(r.lines).toBe(want.length);
          } finally {
            setAsciiDecoder(null);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(taken).toBeGreaterThan(1000);
  });

  it('never offers a piece with a byte of 128 or more as bytes, wherever the byte sits (the word-wise ASCII check)', async () => {
    for (let at = 0; at < 80; at++) {
      for (const lead of [0, 1, 2, 3]) {
        // A first line (never offered as bytes) in its own slice, then ASCII lines with one 'é' (two bytes >= 128) `at` bytes in.
        const body = 'x'.repeat(lead) + '\n' + 'abcdefghij\n'.repeat(12);
        const text = body.slice(0, lead + 1 + at) + 'é' + body.slice(lead + 1 + at);
        const bytes = new TextEncoder().encode(text);
        const offered: number[] = [];
        const got: string[] = [];
        // Two slices: the first line, then the rest as a view `lead + 1` bytes into the buffer (every alignment).
        const source = { ...sliced('t', bytes, bytes.length), async *slices() { yield bytes.subarray(0, lead + 1); yield bytes.subarray(lead + 1); } };
        await readLines(source, (l) => got.push(l), {
          visitBytes: (b, s, e) => {
            offered.push(...b.subarray(s, e));
            return false;
          },
        });
        expect(offered.every((c) => c < 128)).toBe(true);
        expect(got.join('\n')).toBe(text.replace(/\n$/, ''));
      }
    }
  });
  it('finds every line end and every NUL wherever it sits in a word, at every alignment (the word-wise scan)', async () => {
    const rest = 'ab\n\n\nc\r\nabcdefg\n\n0123456789\nxy\n\n\n\nabcdefghijklm\n'.repeat(3);
    for (let at = -1; at < rest.length; at++) {
      for (const lead of [0, 1, 2, 3]) {
        // A first line (never offered as bytes) in its own slice, then the rest with a NUL `at` bytes in (-1: none).
        const tail = at < 0 ? rest : rest.slice(0, at) + '\0' + rest.slice(at);
        const bytes = enc('x'.repeat(lead) + '\n' + tail);
        const got: [string, number, number][] = [];
        const offered: number[] = [];
        const source = { ...sliced('t', bytes, bytes.length), async *slices() { yield bytes.subarray(0, lead + 1); yield bytes.subarray(lead + 1); } };
        await readLines(source, (l, n, o) => got.push([l, n, o]), {
          visitBytes: (b, s, e, n, o) => {
            offered.push(...b.subarray(s, e));
            got.push([String.fromCharCode(...b.subarray(s, e)), n, o]);
            return true;
          },
        });
        expect(offered.includes(0)).toBe(false);
        expect(offered.length > 0).toBe(at < 0);
        expect(got.sort((x, y) => x[1] - y[1])).toEqual((await lines(bytes, bytes.length)).out);
      }
    }
  });
});
