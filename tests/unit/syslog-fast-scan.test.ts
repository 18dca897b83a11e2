// The syslog fast path's byte scanners (src/decode/text/syslog-fast-scan.ts) against the plain definitions they
// stand for: printable (four bytes at a time) against a byte-at-a-time loop, scanIpv4 (integer steps) against
// model/names.ts ipv4Code of the same text.
import { describe, expect, it } from 'vitest';
import { printable, scanIpv4 } from '../../src/decode/text/syslog-fast-scan';
import { ipv4Code } from '../../src/model/names';
import { createCursor } from '../../src/decode/text/text-scan';

function rng(seed: number): () => number {
  let a = seed;
  return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

const plainPrintable = (b: Uint8Array, a: number, e: number): boolean => {
  for (let i = a; i < e; i++) if (b[i] < 32 || b[i] > 126) return false;
  return true;
};

describe('syslog fast-path scanners', () => {
  it('printable: every byte 32-126, at any start, length and place of the odd byte', () => {
    const rnd = rng(5);
    const b = new Uint8Array(64);
    let refused = 0;
    for (let trial = 0; trial < 20000; trial++) {
      for (let i = 0; i < b.length; i++) b[i] = 32 + Math.floor(rnd() * 95);
      // One or two bytes from the edges of the range and beyond it, anywhere (or none).
      const odd = [0, 9, 31, 32, 126, 127, 128, 200, 255];
      for (let k = Math.floor(rnd() * 3); k > 0; k--) b[Math.floor(rnd() * b.length)] = odd[Math.floor(rnd() * odd.length)];
      const a = Math.floor(rnd() * 20);
      const e = a + Math.floor(rnd() * (b.length - a));
      const want = plainPrintable(b, a, e);
      if (!want) refused++;
      expect(printable(b, a, e), `${[...b.subarray(a, e)]}`).toBe(want);
    }
    expect(refused).toBeGreaterThan(5000);
  });

  it('scanIpv4: the value of a canonical dotted address (top bit set too), -1 for any other text', () => {
    const at = createCursor();
    // [text, the address it starts with (null: none)]: a following letter ends an address, a digit or dot does not.
    const cases: [string, string | null][] = [
      ['255.255.255.255', '255.255.255.255'], ['128.0.0.1', '128.0.0.1'], ['0.0.0.0', '0.0.0.0'], ['10.20.30.40', '10.20.30.40'],
      ['192.0.2.1', '192.0.2.1'], ['1.2.3.45x', '1.2.3.45'], ['01.2.3.4', null], ['1.2.3.256', null], ['1.2.3', null], ['1.2.3.4.5', null],
    ];
    for (const [t, addr] of cases) {
      const b = new TextEncoder().encode(`${t}/80`);
      const v = scanIpv4(b, 0, at);
      expect(v, t).toBe(addr === null ? -1 : ipv4Code(addr));
      if (addr !== null) expect(at.end).toBe(addr.length);
    }
    expect(ipv4Code('255.255.255.255')).toBe(0xffffffff);
  });
});
