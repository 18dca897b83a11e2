/**
 * A hash map from a non-negative integer key (< 2^53) to an int32 value, in typed arrays (open addressing, linear
 * probing, backward-shift deletion, at most half full): the firewall log's pairing state (open connections by
 * device + connection ID, recently closed ones) without a Map entry and a heap number per key. A Map of such keys
 * spent most of its time allocating the keys (above 2^31 they are not small integers) and chasing entries.
 */
const EMPTY = -1;

export class NumMap {
  size = 0;
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slotOf(key: number): number {
    // murmur3's finaliser over both 32-bit halves (keys like id * 4096 + device have all-zero low bits)
    let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
  }

  /** The value of key, or -1 when absent. */
  get(key: number): number {
    const keys = this.keys;
    for (let i = this.slotOf(key); ; i = (i + 1) & this.mask) {
      const k = keys[i];
      if (k === key) return this.vals[i];
      if (k === EMPTY) return -1;
    }
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const keys = this.keys;
    for (let i = this.slotOf(key); ; i = (i + 1) & this.mask) {
      const k = keys[i];
      if (k === key) {
        this.vals[i] = value;
        return;
      }
      if (k === EMPTY) {
        keys[i] = key;
        this.vals[i] = value;
        this.size++;
        return;
      }
    }
  }

  delete(key: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slotOf(key);
    for (; ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) break;
      if (k === EMPTY) return false;
    }
    // Backward shift: move later entries of the probe run into the hole so every key stays reachable.
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.slotOf(keys[j]);
      // Entry j may fill hole i when its home slot is not cyclically within (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        keys[i] = keys[j];
        this.vals[i] = this.vals[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    this.size--;
    return true;
  }

  clear(): void {
    this.keys = new Float64Array(16).fill(EMPTY);
    this.vals = new Int32Array(16);
    this.mask = 15;
    this.size = 0;
  }

  private rehash(cap: number): void {
    const oldK = this.keys;
    const oldV = this.vals;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    for (let s = 0; s < oldK.length; s++) {
      const k = oldK[s];
      if (k === EMPTY) continue;
      let i = this.slotOf(k);
      while (this.keys[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.vals[i] = oldV[s];
    }
  }
}

/** NumMap for integer keys, a Map for the rare others (text keys): get() gives -1 when absent. */
export class KeyMap {
  private readonly nums = new NumMap();
  private readonly texts = new Map<string, number>();
  get(key: number | string): number {
    return typeof key === 'number' ? this.nums.get(key) : (this.texts.get(key) ?? -1);
  }
  set(key: number | string, value: number): void {
    if (typeof key === 'number') this.nums.set(key, value);
    else this.texts.set(key, value);
  }
  delete(key: number | string): void {
    if (typeof key === 'number') this.nums.delete(key);
    else this.texts.delete(key);
  }
  clear(): void {
    this.nums.clear();
    this.texts.clear();
  }
}
