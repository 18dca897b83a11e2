import { describe, expect, it } from 'vitest';
import { KeyMap, NumMap } from '../../src/analysis/firewall/num-map';

describe('NumMap (the firewall pairing state)', () => {
  it('agrees with a Map over random sets and deletes, through growth and backward-shift deletion', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const m = new NumMap(4);
    const ref = new Map<number, number>();
    for (let step = 0; step < 200_000; step++) {
      // Keys from a small range so sets, deletes and probe runs collide; some above 2^32 (device ids shifted in).
      const key = Math.floor(rnd() * 5000) * (rnd() < 0.5 ? 1 : 4096 * 1e4 + 3);
      const op = rnd();
      m.peek(key); // reads only: the map must stay as Map's
      if (op < 0.5) {
        m.set(key, step);
        ref.set(key, step);
      } else if (op < 0.8) {
        expect(m.delete(key)).toBe(ref.delete(key));
      } else {
        expect(m.get(key)).toBe(ref.get(key) ?? -1);
      }
      expect(m.size).toBe(ref.size);
    }
    for (const [k, v] of ref) expect(m.get(k)).toBe(v);
  });

  it('KeyMap keeps text keys apart from numbers', () => {
    const m = new KeyMap();
    m.set(5, 1);
    m.set('5', 2);
    expect([m.get(5), m.get('5'), m.get(6)]).toEqual([1, 2, -1]);
    m.delete('5');
    expect([m.get(5), m.get('5')]).toEqual([1, -1]);
  });
});
