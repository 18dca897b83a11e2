/**
 * One FrameDissector reuses one TcpSegment and resets only the TCP option fields the previous
 * segment set; Ethernet frames take a fast path with a general fallback. Property: every segment a
 * long-lived dissector emits equals what a fresh dissector makes of the same frame, whatever came
 * before it (other options, damaged frames, frames of other shapes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDissector } from '../../src/dissect/frame-dissector';
import type { TcpSegment } from '../../src/model/segment';
import { be16, be32, cat, ethernet, ipv4, ipv6, tcpHeader } from './decode-builders';

function snapshot(s: TcpSegment) {
  return {
    ...s,
    srcAddr: [...s.srcAddr.subarray(0, s.ipVersion === 4 ? 4 : 16)],
    dstAddr: [...s.dstAddr.subarray(0, s.ipVersion === 4 ? 4 : 16)],
    sackBlocks: [...s.sackBlocks.subarray(0, 2 * s.sackCount)],
    payload: [...(s.payload ?? [])],
  };
}

const OPTIONS: number[][] = [
  [],
  [2, 4, ...be16(1460)],
  [3, 3, 7],
  [4, 2],
  [1, 1, 8, 10, ...be32(0xfffffff0), ...be32(5)],
  [5, 18, ...be32(1), ...be32(2), ...be32(3), ...be32(4)],
  [2, 4, ...be16(1400), 1, 3, 3, 2, 4, 2, 8, 10, ...be32(9), ...be32(10)],
  [8, 40, 0, 0], // bad length: nothing read
];

function frameOf(shape: number, opts: number[], payload: number): { lt: number; f: Uint8Array } {
  const t = tcpHeader({ options: opts, payload, seq: 1000 + payload });
  switch (shape) {
    case 0: return { lt: 1, f: ethernet(0x0800, ipv4(t)) };
    case 1: return { lt: 1, f: ethernet(0x8100, cat(be16(5), be16(0x86dd), ipv6(t))) };
    case 2: return { lt: 1, f: ethernet(0x88a8, cat(be16(5), be16(0x8100), be16(6), be16(0x0800), ipv4(t))) };
    case 3: return { lt: 1, f: ethernet(0x0800, ipv4(ipv4(t), { proto: 4 })) }; // IP-in-IP: fallback after the fast path
    case 4: return { lt: 1, f: ethernet(0x0800, ipv4(t).subarray(0, 30)) }; // truncated TCP header
    case 5: return { lt: 1, f: ethernet(0x86dd, ipv6(t, { ext: [[0, [1, 4, 0, 0, 0, 0]]] })) }; // hop-by-hop
    case 6: return { lt: 101, f: ipv4(t) };
    default: return { lt: 1, f: ethernet(0x0806, new Uint8Array(28)) }; // ARP
  }
}

describe('reused dissector', () => {
  it('emits what a fresh dissector emits for every frame, whatever came before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: OPTIONS.length - 1 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (frames) => {
          const got: ReturnType<typeof snapshot>[] = [];
          const d = new FrameDissector({ segment: (s) => void got.push(snapshot(s)) }, 0);
          const want: ReturnType<typeof snapshot>[] = [];
          frames.forEach(([shape, o, payload], i) => {
            const { lt, f } = frameOf(shape, OPTIONS[o], payload);
            d.frame(lt, i, f, i * 100, i + 1, f.length);
            const fresh = new FrameDissector({ segment: (s) => void want.push(snapshot(s)) }, 0);
            fresh.frame(lt, i, f, i * 100, i + 1, f.length);
          });
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the segment keeps payload as an own enumerable property', () => {
    const d = new FrameDissector({ segment() {} }, 0);
    expect(Object.keys(d.seg)).toContain('payload');
    const { f } = frameOf(0, [], 3);
    let seen: number[] = [];
    const e = new FrameDissector({ segment: (s) => void (seen = [...(s.payload ?? [])]) }, 0);
    e.frame(1, 0, f, 0, 1, f.length);
    expect(seen).toEqual([0x61, 0x61, 0x61]);
  });
});
