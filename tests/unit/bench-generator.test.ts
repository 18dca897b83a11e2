/**
 * The benchmark capture generator (bench/gen): same seed -> same bytes; a valid classic pcap in
 * time order with correct IPv4 and TCP checksums; every planned connection present; the project's
 * analysis finds the close kinds the generator made; tshark agrees when it is installed.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePcap } from '../../bench/gen/generate';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';

const OUT = join(import.meta.dirname, '../out');
mkdirSync(OUT, { recursive: true });
const PARAMS = { mb: 3, conns: 400, seed: 7 };

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
function sum16(b: Uint8Array, from: number, to: number, s = 0): number {
  for (let i = from; i + 1 < to; i += 2) s += (b[i] << 8) | b[i + 1];
  if ((to - from) & 1) s += b[to - 1] << 8;
  return fold(s);
}

describe('bench capture generator', () => {
  const a = join(OUT, 'bench-gen-a.pcap');
  const b = join(OUT, 'bench-gen-b.pcap');
  const ra = generatePcap(a, PARAMS);
  generatePcap(b, PARAMS);
  const bytes = new Uint8Array(readFileSync(a));

  it('is deterministic and near the requested size', () => {
    const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(hash(a)).toBe(hash(b));
    expect(ra.bytes).toBe(bytes.length);
    expect(bytes.length).toBeGreaterThan(PARAMS.mb * 1048576 * 0.6);
    expect(bytes.length).toBeLessThan(PARAMS.mb * 1048576 * 1.5);
  });

  it('is a time-ordered pcap with correct IPv4 and TCP checksums and one 4-tuple per connection', () => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(dv.getUint32(0, true)).toBe(0xa1b2c3d4);
    expect(dv.getUint32(20, true)).toBe(1);
    let off = 24;
    let last = 0;
    let packets = 0;
    let v6 = 0;
    let vlan = 0;
    const tuples = new Set<string>();
    while (off < bytes.length) {
      const t = dv.getUint32(off, true) * 1e6 + dv.getUint32(off + 4, true);
      const incl = dv.getUint32(off + 8, true);
      expect(dv.getUint32(off + 12, true)).toBe(incl);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
      let p = off + 16 + 12;
      let type = dv.getUint16(p);
      if (type === 0x8100) {
        vlan++;
        p += 4;
        type = dv.getUint16(p);
      }
      p += 2;
      let tcp: number;
      let pseudo: number;
      if (type === 0x0800) {
        expect(sum16(bytes, p, p + 20)).toBe(0xffff);
        const total = dv.getUint16(p + 2);
        tcp = p + 20;
        pseudo = sum16(bytes, p + 12, p + 20, 6 + total - 20);
        expect(tcp + total - 20).toBe(off + 16 + incl);
      } else {
        expect(type).toBe(0x86dd);
        v6++;
        tcp = p + 40;
        pseudo = sum16(bytes, p + 8, p + 40, 6 + dv.getUint16(p + 4));
      }
      const end = off + 16 + incl;
      expect(sum16(bytes, tcp, end, pseudo)).toBe(0xffff);
      const src = type === 0x0800 ? bytes.subarray(p + 12, p + 16) : bytes.subarray(p + 8, p + 24);
      const dst = type === 0x0800 ? bytes.subarray(p + 16, p + 20) : bytes.subarray(p + 24, p + 40);
      const ends = [`${src.join('.')}:${dv.getUint16(tcp)}`, `${dst.join('.')}:${dv.getUint16(tcp + 2)}`].sort();
      tuples.add(ends.join(' '));
      packets++;
      off = end;
    }
    expect(off).toBe(bytes.length);
    expect(packets).toBe(ra.packets);
    expect(tuples.size).toBe(PARAMS.conns);
    expect(v6).toBeGreaterThan(0);
    expect(vlan).toBeGreaterThan(0);
  });

  it('makes the close kinds the analysis finds', async () => {
    const session = await analyzeSources([createBytesSource('gen.pcap', bytes)]);
    expect(session.reports.length).toBe(PARAMS.conns);
    expect(session.inputs[0].errors).toEqual([]);
    const found: Record<string, number> = {};
    for (const c of session.reports.toArray()) if (c.close) found[c.close.kind] = (found[c.close.kind] ?? 0) + 1;
    expect(found).toEqual(ra.expectedByKind);
  });

  it('lists every connection in tshark -z conv,tcp (when tshark is installed)', () => {
    if (!existsSync('/usr/bin/tshark')) {
      console.log('tshark not installed: conversation check skipped');
      return;
    }
    const out = execFileSync('/usr/bin/tshark', ['-r', a, '-q', '-z', 'conv,tcp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.split('\n').filter((l) => l.includes('<->')).length).toBe(PARAMS.conns);
  });
});
