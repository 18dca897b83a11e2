// Address words to text (src/analysis/addresses.ts): IPv6 as RFC 5952 writes it (lowercase hex, no leading zeros, the
// longest run of two or more zero groups as "::", the first of equal runs), checked against the WHATWG URL
// serializer, which follows the same rule; IPv4-mapped addresses in the dotted form.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ipText } from '../../src/analysis/addresses';

const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));

function hostOf(g: number[]): string {
  return new URL(`http://[${g.map((x) => x.toString(16)).join(':')}]/`).hostname.slice(1, -1);
}

describe('ipText', () => {
  it('writes IPv6 as the URL serializer does', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (g) => {
        fc.pre(!(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff));
        const w = [0, 2, 4, 6].map((i) => ((g[i] << 16) | g[i + 1]) >>> 0);
        expect(ipText(6, w[0], w[1], w[2], w[3])).toBe(hostOf(g));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes IPv4 dotted, IPv4-mapped IPv6 with a dotted tail, and the edge cases', () => {
    expect(ipText(4, 0xc0a80001, 0, 0, 0)).toBe('192.168.0.1');
    expect(ipText(6, 0, 0, 0xffff, 0x01020304)).toBe('::ffff:1.2.3.4');
    expect(ipText(6, 0, 0, 0, 0)).toBe('::');
    expect(ipText(6, 0, 0, 0, 1)).toBe('::1');
    expect(ipText(6, 0x20010db8, 0, 1, 0)).toBe('2001:db8::1:0:0');
    expect(ipText(6, 0x20010db8, 0x00010000, 0x00010000, 1)).toBe('2001:db8:1:0:1::1'); // a single zero group stays
  });
});
