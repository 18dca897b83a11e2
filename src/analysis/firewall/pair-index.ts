/**
 * A hash table from a pair of non-negative integers (< 2^53) to a dense slot number 0..size-1, in typed arrays
 * (open addressing, linear probing): the firewall joins' index of address pairs without a string or an object
 * per key. Endpoint codes (endpointCode) make a direction-free pair key with pairOf.
 */

/** An endpoint (normalised address id, port -1..65535) as one integer. */
export const endpointCode = (addrId: number, port: number): number => addrId * 65537 + (port + 1);

export class PairIndex {
  size = 0;
  private keyA: Float64Array;
  private keyB: Float64Array;
  private slot: Int32Array;
  private mask: number;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.keyA = new Float64Array(cap);
    this.keyB = new Float64Array(cap);
    this.slot = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  private hash(a: number, b: number): number {
    const h = Math.imul((a >>> 0) ^ Math.imul((a / 4294967296) >>> 0, 0x27d4eb2d), 0x9e3779b1) ^ Math.imul((b >>> 0) ^ Math.imul((b / 4294967296) >>> 0, 0x165667b1), 0x85ebca77);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** Slot of the pair (a, b) in this order; -1 when absent. */
  find(a: number, b: number): number {
    let i = this.hash(a, b);
    for (;;) {
      const s = this.slot[i];
      if (s < 0) return -1;
      if (this.keyA[i] === a && this.keyB[i] === b) return s;
      i = (i + 1) & this.mask;
    }
  }

  /** Slot of (a, b), added when absent. */
  add(a: number, b: number): number {
    if ((this.size + 1) * 2 > this.slot.length) this.rehash();
    let i = this.hash(a, b);
    for (;;) {
      const s = this.slot[i];
      if (s < 0) {
        this.keyA[i] = a;
        this.keyB[i] = b;
        this.slot[i] = this.size;
        return this.size++;
      }
      if (this.keyA[i] === a && this.keyB[i] === b) return s;
      i = (i + 1) & this.mask;
    }
  }

  private rehash(): void {
    const { keyA, keyB, slot } = this;
    const cap = slot.length * 2;
    this.keyA = new Float64Array(cap);
    this.keyB = new Float64Array(cap);
    this.slot = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < slot.length; j++) {
      if (slot[j] < 0) continue;
      let i = this.hash(keyA[j], keyB[j]);
      while (this.slot[i] >= 0) i = (i + 1) & this.mask;
      this.keyA[i] = keyA[j];
      this.keyB[i] = keyB[j];
      this.slot[i] = slot[j];
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
