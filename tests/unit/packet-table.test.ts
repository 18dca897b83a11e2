// The PacketTable's compact columns (src/model/packet-table.ts): frame numbers kept as runs (and per row once runs do
// not pay), record offsets as 32 bits plus the bits above 4 GiB only where needed, payload lengths as 16 + 16 bits, and sparse columns that read 0
// where nothing was set. Each is checked against a plain array of the values written.
import { describe, expect, it } from 'vitest';
import { PacketTable } from '../../src/model/packet-table';

/** A deterministic pseudo-random sequence (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function fill(frames: number[]): PacketTable {
  const t = new PacketTable();
  for (const f of frames) {
    t.add();
    t.frame.append(f);
  }
  return t;
}

describe('PacketTable columns', () => {
  it('keeps consecutive frame numbers as a few runs and gives every row its number back', () => {
    const frames: number[] = [];
    for (let f = 1; f <= 200_000; f++) if (f % 50_000 !== 7) frames.push(f); // three gaps (other traffic)
    frames.push(3, 3, 1); // a second input starting over, two segments of one frame
    const t = fill(frames);
    expect(frames.every((f, row) => t.frame.get(row) === f)).toBe(true);
    expect(t.frame.byteSize()).toBeLessThan(1024); // not 4 bytes a row
  });

  it('switches to a number per row when most frames are not TCP, and still reads the rows before the switch', () => {
    const next = rng(7);
    const frames: number[] = [];
    let f = 0;
    for (let row = 0; row < 150_000; row++) {
      f += row < 20_000 ? 1 : 1 + Math.floor(next() * 3); // runs first, then gaps almost everywhere
      frames.push(f);
    }
    const t = fill(frames);
    expect(frames.every((v, row) => t.frame.get(row) === v)).toBe(true);
    expect(t.frame.byteSize()).toBeLessThan(150_000 * 4 + 4 * 4096);
  });

  it('reads record offsets past 4 GiB, and sparse columns as 0 where nothing was set', () => {
    const t = new PacketTable();
    const offsets = [24, 2 ** 32 - 1, 2 ** 32, 5 * 2 ** 32 + 17, 2 ** 40 + 3, 100];
    for (let row = 0; row < 70_000; row++) {
      t.add();
      t.frame.append(row + 1);
      if (row < offsets.length) t.recordOffset.set(row, offsets[row]);
    }
    expect(offsets.map((_, row) => t.recordOffset.get(row))).toEqual(offsets);
    const lengths = [0, 1460, 65_535, 65_536, 262_144 + 5, 2 ** 32 - 1];
    lengths.forEach((n, row) => t.payloadLength.set(row + 60_000, n));
    expect(lengths.map((_, row) => t.payloadLength.get(row + 60_000))).toEqual(lengths);
    expect(t.payloadLength.get(59_999)).toBe(0);
    t.input.set(69_999, 3);
    t.seenAt.set(5, 0); // a 0 makes no chunk
    expect(t.input.get(69_999)).toBe(3);
    expect(t.input.get(0)).toBe(0);
    expect(t.seenAt.get(5)).toBe(0);
    expect(t.seenAt.chunks.length).toBe(0);
    expect(t.input.readChunk(0)[123]).toBe(0);
    expect(t.input.readChunk(1)[69_999 - 65_536]).toBe(3);
  });
});
