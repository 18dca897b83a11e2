/**
 * lib/json-bytes.ts writes JSON text as UTF-8 bytes: numbers and strings exactly as JSON.stringify writes them (the
 * format, not a copy of any record), short strings character by character and long ones copied then checked, IPv4
 * addresses from their value, and texts joined from parts (JoinedText), phrases among them (lib/phrase.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JoinedText, JsonBytes } from '../../src/lib/json-bytes';
import { Ipv4Value, phrase, phraseText, type Phrase, type PhraseValue } from '../../src/lib/phrase';

describe('JsonBytes', () => {
  const text = (f: (w: JsonBytes) => void) => {
    const w = new JsonBytes(new Uint8Array(2));
    f(w);
    return new TextDecoder().decode(w.buf.subarray(0, w.n));
  };
  it('writes numbers as JSON.stringify does', () => {
    // Integers up to 2^31 - 1 are written with integer division, larger ones up to 2^32 - 1 with a double's.
    const values = [0, 1, 9, 10, 99, 100, 12345, 999999999, 1000000000, 2147483647, 2147483648, 4294967295, 4294967296, -1, -0, 0.5, 1e21, 1.5e-7, NaN, Infinity, -Infinity, 2 ** 53];
    for (const v of values) expect(text((w) => w.num(v))).toBe(JSON.stringify(v));
  });
  it('writes strings as JSON.stringify does', () => {
    const values = ['', 'plain', 'a "quoted" word', 'back\\slash', 'tab\tnew\nline\u0001', 'µs', 'emoji 😀', 'lone \ud800 half', 'del \u007f', '\u2028'];
    // Short ones go character by character, long ones (over 32) are copied then checked: both ways.
    for (const v of [...values, ...values.map((x) => `${'long text '.repeat(5)}${x}${' and more'.repeat(4)}`)]) {
      expect(text((w) => w.str(v))).toBe(JSON.stringify(v));
    }
    // Long ones with `"` or `\` are escaped where they were copied (the bytes after moved up), any mix of them with
    // non-ASCII (U+FFFD too); a control character or a surrogate (lone or in a pair) takes JSON.stringify's way.
    const escaped = ['"'.repeat(40), '\\'.repeat(40), '€"'.repeat(30), '"€'.repeat(30), '😀\\"'.repeat(20), `${'x'.repeat(40)}"`, `"${'x'.repeat(40)}`, `${'y'.repeat(40)}\ufffd"`, `${'z'.repeat(40)}"\n`];
    for (const v of escaped) expect(text((w) => w.str(v))).toBe(JSON.stringify(v));
    expect(text((w) => w.str(null))).toBe('null');
  });
  it('writes an IPv4 address from its value as str() writes its dotted text', () => {
    const octets = [0, 1, 9, 10, 42, 99, 100, 199, 200, 249, 250, 255];
    let n = 0;
    for (const a of octets) for (const b of octets) for (const c of octets) for (const d of [0, 7, 10, 100, 255]) {
      const code = ((a * 256 + b) * 256 + c) * 256 + d;
      expect(text((w) => w.ipv4(code))).toBe(JSON.stringify(`${a}.${b}.${c}.${d}`));
      n++;
    }
    expect(n).toBe(12 ** 3 * 5);
  });
});

describe('JoinedText', () => {
  it('writes the JSON of its parts joined by spaces, fixed ones from the bytes it keeps, as JSON.stringify does', () => {
    const fixedTexts = ['A fixed sentence with "connection refused" in it.', 'µs and €', 'back\\slash and tab\t', 'short', ''];
    const joined = new JoinedText((k) => fixedTexts[k]);
    const w = new JsonBytes(new Uint8Array(2));
    const rows: (string | number)[][] = [
      [0, 'a part of its own, 12 ms later.', 1],
      [2, 3, 4, 0],
      ['only "own" parts', 'with a lone \ud800 half', 'emoji 😀 and a control \u0001'],
      [],
      [0, 0, 'between', 1, 1],
    ];
    const expected: string[] = [];
    // Each row twice: the fixed parts' bytes are made the first time and copied from then on.
    for (const row of [...rows, ...rows]) {
      joined.write(w, row);
      w.byte(10);
      expected.push(JSON.stringify(row.map((p) => (typeof p === 'number' ? fixedTexts[p] : p)).join(' ')));
    }
    expect(new TextDecoder().decode(w.buf.subarray(0, w.n))).toBe(expected.map((e) => `${e}\n`).join(''));
  });

  it('writes phrases (fixed pieces kept as bytes, values between them, phrases in phrases) as JSON.stringify of their text', () => {
    // Each place in the code is one template: its pieces' bytes are kept the first time it is written.
    const pieces = [
      (v: PhraseValue) => phrase`A ${v} from the "client" \\ µs.`,
      (v: PhraseValue) => phrase`${v}`,
      (v: PhraseValue) => phrase` on ${v} and ${v}, then\t${v}.`,
      (v: PhraseValue) => phrase`${v} ${v}`,
    ];
    const value: fc.Arbitrary<PhraseValue> = fc.letrec<{ v: PhraseValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ maxLength: 60 }),
        fc.oneof(fc.integer(), fc.double()),
        fc.integer({ min: 0, max: 0xffffffff }).map((code) => new Ipv4Value(code)),
        fc.tuple(fc.nat(pieces.length - 1), tie('v')).map(([k, v]) => pieces[k](v)),
      ),
    })).v;
    const part = fc.oneof(fc.nat(1), value.filter((v): v is string | Phrase => typeof v !== 'number'));
    const fixedTexts = ['A fixed "one".', 'and \u00e9 another'];
    const joined = new JoinedText((k) => fixedTexts[k]);
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const w = new JsonBytes(new Uint8Array(4));
        joined.write(w, parts);
        const text = parts.map((p) => (typeof p === 'number' ? fixedTexts[p] : phraseText(p))).join(' ');
        expect(new TextDecoder().decode(w.buf.subarray(0, w.n))).toBe(JSON.stringify(text));
      }),
      { numRuns: 2000 },
    );
    // An IPv4 value's text is its dotted one.
    expect([0, 0xc0000201, 0x0a141e28, 0xffffffff].map((c) => phraseText(phrase`${new Ipv4Value(c)}:80`))).toEqual(['0.0.0.0:80', '192.0.2.1:80', '10.20.30.40:80', '255.255.255.255:80']);
    // A number as a template literal writes it (integers from 0 to 2^32 - 1 as digits without a string, others as String's).
    const w = new JsonBytes(new Uint8Array(4));
    joined.write(w, [phrase`${-0.5} ${1e21} ${NaN} ${7} ${-Infinity} ${-0} ${65535} ${2147483648} ${4294967295} ${4294967296} ${2 ** 53} ${-7}`]);
    expect(new TextDecoder().decode(w.buf.subarray(0, w.n))).toBe(
      JSON.stringify(`${-0.5} ${1e21} ${NaN} ${7} ${-Infinity} ${-0} ${65535} ${2147483648} ${4294967295} ${4294967296} ${2 ** 53} ${-7}`),
    );
  });
});
