/**
 * A hash table from a pair of non-negative integers (< 2^53) to a dense slot number 0..size-1, in typed arrays
 * (open addressing, linear probing, at most 3/4 full; the keys stored densely by slot): the firewall joins' index
 * of address pairs without a string or an object per key. Endpoint codes (endpointCode) make a direction-free
 * pair key with pairAdd/pairFind.
 */
import { grow, growable, releasable, shrinkTo } from '../../model/firewall-store';

/** An endpoint (normalised address id, port -1..65535) as one integer. */
export const endpointCode = (addrId: number, port: number): number => addrId * 65537 + (port + 1);

export class PairIndex {
  size = 0;
  /** Keys by slot (dense), and the hash table of slots (open addressing, -1 = empty). */
  private keyA: Float64Array;
  private keyB: Float64Array;
  private table: Int32Array;
  private mask: number;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 1.5) cap *= 2;
    this.table = releasable(Int32Array, cap).fill(-1);
    this.mask = cap - 1;
    // Growable: room for `expected` keys costs only the pages keys are written to.
    this.keyA = grow(growable(Float64Array), Math.max(1024, expected));
    this.keyB = grow(growable(Float64Array), Math.max(1024, expected));
  }

  private hash(a: number, b: number): number {
    const h = Math.imul((a >>> 0) ^ Math.imul((a / 4294967296) >>> 0, 0x27d4eb2d), 0x9e3779b1) ^ Math.imul((b >>> 0) ^ Math.imul((b / 4294967296) >>> 0, 0x165667b1), 0x85ebca77);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** Slot of the pair (a, b) in this order; -1 when absent. */
  find(a: number, b: number): number {
    let i = this.hash(a, b);
    for (;;) {
      const s = this.table[i];
      if (s < 0) return -1;
      if (this.keyA[s] === a && this.keyB[s] === b) return s;
      i = (i + 1) & this.mask;
    }
  }

  /** Slot of (a, b), added when absent. */
  add(a: number, b: number): number {
    if ((this.size + 1) * 4 > this.table.length * 3) this.rehash();
    let i = this.hash(a, b);
    for (;;) {
      const s = this.table[i];
      if (s < 0) {
        const slot = this.size++;
        if (slot >= this.keyA.length) {
          this.keyA = grow(this.keyA, slot + 1);
          this.keyB = grow(this.keyB, slot + 1);
        }
        this.keyA[slot] = a;
        this.keyB[slot] = b;
        this.table[i] = slot;
        return slot;
      }
      if (this.keyA[s] === a && this.keyB[s] === b) return s;
      i = (i + 1) & this.mask;
    }
  }

  /** Gives the index's memory back at once; it is then empty (find answers -1) and must not be added to. */
  release(): void {
    shrinkTo(this.table, 0);
    this.keyA = shrinkTo(this.keyA, 0);
    this.keyB = shrinkTo(this.keyB, 0);
    this.table = new Int32Array(1).fill(-1);
    this.mask = 0;
    this.size = 0;
  }

  private rehash(): void {
    const cap = this.table.length * 2;
    shrinkTo(this.table, 0); // the old table's memory back now, not at the next garbage collection
    this.table = releasable(Int32Array, cap).fill(-1);
    this.mask = this.table.length - 1;
    for (let s = 0; s < this.size; s++) {
      let i = this.hash(this.keyA[s], this.keyB[s]);
      while (this.table[i] >= 0) i = (i + 1) & this.mask;
      this.table[i] = s;
    }
  }
}

/** Direction-free pair: the smaller code first. */
export function pairFind(index: PairIndex, x: number, y: number): number {
  return x < y ? index.find(x, y) : index.find(y, x);
}
export function pairAdd(index: PairIndex, x: number, y: number): number {
  return x < y ? index.add(x, y) : index.add(y, x);
}
