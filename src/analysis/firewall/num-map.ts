/**
 * A hash map from a non-negative integer key (< 2^53) to an int32 value, in typed arrays (open addressing, linear
 * probing, backward-shift deletion, at most half full): the firewall log's pairing state (open connections by
 * device + connection ID, recently closed ones) without a Map entry and a heap number per key. A Map of such keys
 * spent most of its time allocating the keys (above 2^31 they are not small integers) and chasing entries.
 */
const EMPTY = -1;

export class NumMap {
  size = 0;
  /** Slot i: its key at 2i, its value at 2i + 1, side by side (a probe touches one cache line: big maps miss per probe). */
  private slots: Float64Array;
  private mask: number;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.slots = new Float64Array(cap * 2).fill(EMPTY);
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
    const s = this.slots;
    for (let i = this.slotOf(key); ; i = (i + 1) & this.mask) {
      const k = s[2 * i];
      if (k === key) return s[2 * i + 1];
      if (k === EMPTY) return -1;
    }
  }

  /** The key in key's first place, read and not looked at (warm a get or set of it that comes soon: FirewallLog.peekConnection). */
  peek(key: number): number {
    return this.slots[2 * this.slotOf(key)];
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 4 > this.slots.length) this.rehash(this.slots.length);
    const s = this.slots;
    for (let i = this.slotOf(key); ; i = (i + 1) & this.mask) {
      const k = s[2 * i];
      if (k === key) {
        s[2 * i + 1] = value;
        return;
      }
      if (k === EMPTY) {
        s[2 * i] = key;
        s[2 * i + 1] = value;
        this.size++;
        return;
      }
    }
  }

  delete(key: number): boolean {
    const s = this.slots;
    const mask = this.mask;
    let i = this.slotOf(key);
    for (; ; i = (i + 1) & mask) {
      const k = s[2 * i];
      if (k === key) break;
      if (k === EMPTY) return false;
    }
    // Backward shift: move later entries of the probe run into the hole so every key stays reachable.
    for (let j = (i + 1) & mask; s[2 * j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.slotOf(s[2 * j]);
      // Entry j may fill hole i when its home slot is not cyclically within (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        s[2 * i] = s[2 * j];
        s[2 * i + 1] = s[2 * j + 1];
        i = j;
      }
    }
    s[2 * i] = EMPTY;
    this.size--;
    return true;
  }

  clear(): void {
    this.slots = new Float64Array(32).fill(EMPTY);
    this.mask = 15;
    this.size = 0;
  }

  /** Rehashes into `cap` slots. */
  private rehash(cap: number): void {
    const old = this.slots;
    const s = new Float64Array(cap * 2).fill(EMPTY);
    this.slots = s;
    this.mask = cap - 1;
    for (let o = 0; o < old.length; o += 2) {
      const k = old[o];
      if (k === EMPTY) continue;
      let i = this.slotOf(k);
      while (s[2 * i] !== EMPTY) i = (i + 1) & this.mask;
      s[2 * i] = k;
      s[2 * i + 1] = old[o + 1];
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
  /** NumMap.peek of an integer key (0 for a text key). */
  peek(key: number | string): number {
    return typeof key === 'number' ? this.nums.peek(key) : 0;
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
