// IP fragment reassembly's bookkeeping (src/dissect/reassembly.ts): overlaps, bounds on what it keeps.
import { expect, it } from 'vitest';
import { Reassembler } from '../../src/dissect/reassembly';

const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

it('completes when no hole is left; a later overlapping fragment wins; bytes cut by the capture never complete', () => {
  const r = new Reassembler();
  expect(r.add('a', 8, false, bytes(8, 2), 0, 8, 8)).toBeNull(); // last part first: the end is known, a hole before it
  // Overlapping bytes 8..12: the fragment that came later (this one) wins.
  expect(r.add('a', 0, true, bytes(12, 1), 0, 12, 12)).toEqual(new Uint8Array([...bytes(12, 1), ...bytes(4, 2)]));
  // Cut short by the snap length: 4 of 8 claimed bytes captured.
  expect(r.add('b', 0, true, bytes(8, 1), 0, 8, 8)).toBeNull();
  expect(r.add('b', 8, false, bytes(4, 2), 0, 4, 8)).toBeNull();
});

it('keeps at most 256 datagrams waiting (the oldest goes) and refuses absurd sizes', () => {
  const r = new Reassembler();
  for (let k = 0; k < 300; k++) r.add(`d${k}`, 0, true, bytes(8, 1), 0, 8, 8);
  expect(r.add('d0', 8, false, bytes(8, 2), 0, 8, 8)).toBeNull(); // its first part was dropped
  expect(r.add('d299', 8, false, bytes(8, 2), 0, 8, 8)).toHaveLength(16);
  expect(r.add('huge', 2_000_000, false, bytes(8, 1), 0, 8, 8)).toBeNull();
});
