// The joins' hash index of pairs (src/analysis/firewall/pair-index.ts) against a Map: every pair gets its own dense
// slot in the order first added, adding again finds it, and pairs never added are absent, through several rehashes
// and with keys up to 2^53 (endpoint codes: address id * 65537 + port + 1).
import { describe, expect, it } from 'vitest';
import { PairIndex, endpointCode, pairAdd, pairFind, pairMayHave } from '../../src/analysis/firewall/pair-index';
import { rng } from './seeded-random';

describe('pair index', () => {
  it('gives each pair one slot, in order, across rehashes', () => {
    const next = rng(3);
    const index = new PairIndex(16); // grows by rehash many times
    const ref = new Map<string, number>();
    const key = () => {
      const r = next();
      // Small codes (collisions in few buckets), endpoint codes, and codes near 2^53.
      return r < 0.3 ? Math.floor(next() * 50) : r < 0.9 ? endpointCode(Math.floor(next() * 1e6), Math.floor(next() * 65537) - 1) : 2 ** 53 - 1 - Math.floor(next() * 1e6);
    };
    const pairs: [number, number][] = [];
    let wrong = 0; // (one expect per lookup would take seconds)
    for (let k = 0; k < 200_000; k++) {
      const p: [number, number] = next() < 0.3 && pairs.length ? pairs[Math.floor(next() * pairs.length)] : [key(), key()];
      pairs.push(p);
      // Reading ahead (warm) changes nothing.
      if (k % 7 === 0) index.warm(Float64Array.of(p[1], key(), p[0]), Float64Array.of(p[0], key(), p[1]), 3);
      const name = `${p[0]} ${p[1]}`;
      if (!ref.has(name)) ref.set(name, ref.size);
      if (index.add(p[0], p[1]) !== ref.get(name)) wrong++;
    }
    expect(index.size).toBe(ref.size);
    for (const [a, b] of pairs) if (index.find(a, b) !== ref.get(`${a} ${b}`)) wrong++;
    let absent = 0;
    for (let k = 0; k < 50_000; k++) {
      const a = key();
      const b = key();
      const want = ref.get(`${a} ${b}`) ?? -1;
      if (want < 0) absent++;
      if (index.find(a, b) !== want) wrong++;
    }
    expect(wrong).toBe(0);
    expect(absent).toBeGreaterThan(10_000);
  });

  it('is direction-free through pairAdd and pairFind, and empty once released', () => {
    const index = new PairIndex();
    const s = pairAdd(index, endpointCode(7, 443), endpointCode(3, 50000));
    expect(pairAdd(index, endpointCode(3, 50000), endpointCode(7, 443))).toBe(s);
    expect(pairFind(index, endpointCode(7, 443), endpointCode(3, 50000))).toBe(s);
    expect(pairFind(index, endpointCode(7, 443), endpointCode(3, 50001))).toBe(-1);
    index.release();
    expect(pairFind(index, endpointCode(7, 443), endpointCode(3, 50000))).toBe(-1);
  });

  it('filtered, says "may have" for every pair added (across rehashes) and "certainly absent" for most others', () => {
    const next = rng(5);
    const code = () => endpointCode(Math.floor(next() * 1e6), Math.floor(next() * 65537) - 1);
    // Expecting fewer pairs than are added: the table rehashes, the filter (sized once) fills past its load.
    const index = new PairIndex(20_000, true);
    const added: [number, number][] = [];
    for (let k = 0; k < 30_000; k++) {
      const p: [number, number] = [code(), code()];
      added.push(p);
      pairAdd(index, p[0], p[1]);
    }
    let missed = 0;
    for (const [a, b] of added) if (!pairMayHave(index, b, a) || !index.mayHave(Math.min(a, b), Math.max(a, b))) missed++;
    expect(missed).toBe(0);
    let passed = 0;
    let absent = 0;
    for (let k = 0; k < 40_000; k++) {
      const a = code();
      const b = code();
      if (pairFind(index, a, b) >= 0) continue;
      absent++;
      if (pairMayHave(index, a, b)) passed++;
    }
    // Past the load it was sized for, still most absent pairs are told apart without a lookup.
    expect(absent).toBeGreaterThan(39_000);
    expect(passed / absent).toBeLessThan(0.25);
    index.release();
    expect(pairMayHave(index, added[0][0], added[0][1])).toBe(false);
  });

  it('unfiltered, may have any pair', () => {
    const index = new PairIndex();
    pairAdd(index, 1, 2);
    expect(pairMayHave(index, 3, 4)).toBe(true);
    expect(pairMayHave(index, 2, 1)).toBe(true);
  });
});
