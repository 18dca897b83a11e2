/**
 * A hash table from a pair of non-negative integers (< 2^53) to a dense slot number 0..size-1, in typed arrays
 * (open addressing, linear probing, at most 3/4 full; the keys stored by slot, a pair side by side): the firewall
 * joins' index of address pairs without a string or an object per key. Endpoint codes (endpointCode) make a
 * direction-free pair key with pairAdd/pairFind.
 *
 * Each table entry holds its slot and 4 more bits of the key's hash (TAG_SHIFT): a probe past another key reads the
 * keys only once in 16 times. On a big log nearly every lookup is of a pair seen once or never, and each read of
 * the keys was a cache miss of its own (the table's entry one, the keys of the slot it names another).
 *
 * With `filtered`, the index also keeps one bit per pair in a bit array of 4 bits per table entry (another part of
 * the same hash): mayHave() answers "surely absent" for most pairs never added from that array alone, a few MB that
 * stay in the caches, where a find() reads the table, tens of MB, a cache miss a pair. A big log's denies mostly
 * have no connection of their pair (u5m.log: 3 of 4), and the join looks each one up once the log is read.
 */
import { grow, growable, releasable, shrinkTo } from '../../model/firewall-store';

/** An endpoint (normalised address id, port -1..65535) as one integer. */
export const endpointCode = (addrId: number, port: number): number => addrId * 65537 + (port + 1);

/** Table entries: the slot in the low 27 bits (the joins have fewer than 5 * 2^24 pairs), a hash tag above. */
const TAG_SHIFT = 27;
const SLOT_MASK = (1 << TAG_SHIFT) - 1;
/** Pairs warm() reads at a time. */
export const WARM = 32;

export class PairIndex {
  size = 0;
  /** Keys by slot: slot s's pair at 2s, 2s + 1. */
  private keys: Float64Array;
  /** Slot and tag per entry (-1 = empty). */
  private table: Int32Array;
  private mask: number;
  /** The entry and tag of the last hash() asked. */
  private at = 0;
  private tag = 0;
  /** warm()'s entries read, and what it read (kept, so that the reads are not left out as unused). */
  private readonly warmAt = new Int32Array(WARM);
  private readonly warmTag = new Int32Array(WARM);
  private warmed = 0;
  /** The hash of the last hash() asked, whole. */
  private mixed = 0;
  /** `filtered`: a bit per pair added (at bitOf), 4 bits per table entry; else empty. */
  private bits: Int32Array;
  /** 32 - log2 of the bits' count: bitOf takes the top bits of a product. */
  private bitShift = 32;

  constructor(expected = 1024, private readonly filtered = false) {
    let cap = 1024;
    while (cap < expected * 1.5) cap *= 2;
    this.table = releasable(Int32Array, cap).fill(-1);
    this.mask = cap - 1;
    this.bits = this.newBits(cap);
    // Growable: room for `expected` keys costs only the pages keys are written to.
    this.keys = grow(growable(Float64Array), 2 * Math.max(1024, expected));
  }

  /** Sets `at` (the first entry to probe) and `tag` (the hash's top 4 bits, in place) for (a, b). */
  private hash(a: number, b: number): void {
    const h = Math.imul((a >>> 0) ^ Math.imul((a / 4294967296) >>> 0, 0x27d4eb2d), 0x9e3779b1) ^ Math.imul((b >>> 0) ^ Math.imul((b / 4294967296) >>> 0, 0x165667b1), 0x85ebca77);
    const m = h ^ (h >>> 15);
    this.mixed = m;
    this.at = m & this.mask;
    this.tag = (m >>> 28) << TAG_SHIFT;
  }

  /** The filter's bit of the last hash() asked: the top bits of the hash times an odd constant (the table uses the low ones). */
  private bitOf(): number {
    return Math.imul(this.mixed, 0x2c1b3c6d) >>> this.bitShift;
  }

  private newBits(cap: number): Int32Array {
    if (!this.filtered) return new Int32Array(0);
    // 4 bits per table entry: 32 - log2(4 * cap) bits shifted off; cap * 4 / 32 words.
    this.bitShift = 32 - (31 - Math.clz32(cap * 4));
    // A plain array (2 MB for a 5 M-line log): read and written faster than one on a resizable buffer, and small
    // enough to leave to the garbage collector.
    return new Int32Array(cap >> 3);
  }

  private setBit(): void {
    if (!this.filtered) return;
    const b = this.bitOf();
    this.bits[b >>> 5] |= 1 << (b & 31);
  }

  /**
   * False when the pair (a, b), in this order, was surely never added (a filtered index), true when it may have been
   * (find() tells): a read of the bit array only. An index not filtered always answers true.
   */
  mayHave(a: number, b: number): boolean {
    if (!this.filtered) return true;
    this.hash(a, b);
    const k = this.bitOf();
    return (this.bits[k >>> 5] & (1 << (k & 31))) !== 0;
  }

  /** Slot of the pair (a, b) in this order; -1 when absent. */
  find(a: number, b: number): number {
    this.hash(a, b);
    const tag = this.tag;
    for (let i = this.at; ; i = (i + 1) & this.mask) {
      const e = this.table[i];
      if (e < 0) return -1;
      if ((e & ~SLOT_MASK) !== tag) continue;
      const s = e & SLOT_MASK;
      if (this.keys[2 * s] === a && this.keys[2 * s + 1] === b) return s;
    }
  }

  /** Slot of (a, b), added when absent. */
  add(a: number, b: number): number {
    if ((this.size + 1) * 4 > this.table.length * 3) this.rehash();
    this.hash(a, b);
    const tag = this.tag;
    for (let i = this.at; ; i = (i + 1) & this.mask) {
      const e = this.table[i];
      if (e < 0) {
        const slot = this.size++;
        if (slot > SLOT_MASK) throw new Error('address pair index: more than 2^27 pairs');
        if (2 * slot + 1 >= this.keys.length) this.keys = grow(this.keys, 2 * slot + 2);
        this.keys[2 * slot] = a;
        this.keys[2 * slot + 1] = b;
        this.table[i] = tag | slot;
        this.setBit();
        return slot;
      }
      if ((e & ~SLOT_MASK) !== tag) continue;
      const s = e & SLOT_MASK;
      if (this.keys[2 * s] === a && this.keys[2 * s + 1] === b) return s;
    }
  }

  /**
   * Reads the table entries of the direction-free pairs (xs[k], ys[k]), k < n <= WARM, then the keys of those that
   * hold a slot, so that the finds or adds of the same pairs that follow find them in cache. On an index bigger
   * than the caches each lookup waits for memory (once for its entry, once more for a hit's keys); asked one after
   * the other the waits add up, read here together they overlap.
   */
  warm(xs: Float64Array, ys: Float64Array, n: number): void {
    const at = this.warmAt;
    const tags = this.warmTag;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const x = xs[k];
      const y = ys[k];
      if (x < y) this.hash(x, y);
      else this.hash(y, x);
      at[k] = this.table[this.at];
      tags[k] = this.tag;
    }
    // Only the keys a find or add will read: an entry whose tag is another key's is passed without reading them (most
    // pairs looked up are new or absent, and an entry taken by another pair read its keys for nothing: a cache miss).
    for (let k = 0; k < n; k++) {
      const e = at[k];
      if (e >= 0 && (e & ~SLOT_MASK) === tags[k]) sum += this.keys[2 * (e & SLOT_MASK)];
    }
    this.warmed += sum;
  }

  /** Gives the index's memory back at once; it is then empty (find answers -1) and must not be added to. */
  release(): void {
    shrinkTo(this.table, 0);
    this.bits = new Int32Array(0);
    this.keys = shrinkTo(this.keys, 0);
    this.table = new Int32Array(1).fill(-1);
    this.mask = 0;
    this.size = 0;
  }

  private rehash(): void {
    const cap = this.table.length * 2;
    shrinkTo(this.table, 0); // the old table's memory back now, not at the next garbage collection
    this.table = releasable(Int32Array, cap).fill(-1);
    this.mask = this.table.length - 1;
    this.bits = this.newBits(cap);
    for (let s = 0; s < this.size; s++) {
      this.hash(this.keys[2 * s], this.keys[2 * s + 1]);
      let i = this.at;
      while (this.table[i] >= 0) i = (i + 1) & this.mask;
      this.table[i] = this.tag | s;
      this.setBit();
    }
  }
}

/** Direction-free pair: the smaller code first. */
export function pairMayHave(index: PairIndex, x: number, y: number): boolean {
  return x < y ? index.mayHave(x, y) : index.mayHave(y, x);
}
export function pairFind(index: PairIndex, x: number, y: number): number {
  return x < y ? index.find(x, y) : index.find(y, x);
}
export function pairAdd(index: PairIndex, x: number, y: number): number {
  return x < y ? index.add(x, y) : index.add(y, x);
}
