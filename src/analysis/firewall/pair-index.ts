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
 * An index made `filtered` also keeps a small filter of its pairs (a Bloom filter, three bits of one 32-bit word
 * per pair): mayHave answers "certainly absent" for most pairs never added from that word alone, a few MB that stay
 * in cache, where the table (16 MB for a 5 M-line log's pairs) costs a cache and TLB miss per lookup. The join
 * looks up every deny's pair, and most denies (scans, unknown traffic) have a pair no connection has.
 */
import { grow, growable, releasable, shrinkTo } from '../../model/firewall-store';

/** An endpoint (normalised address id, port -1..65535) as one integer. */
export const endpointCode = (addrId: number, port: number): number => addrId * 65537 + (port + 1);

/** Table entries: the slot in the low 27 bits (the joins have fewer than 5 * 2^24 pairs), a hash tag above. */
const TAG_SHIFT = 27;
const SLOT_MASK = (1 << TAG_SHIFT) - 1;
/** Pairs warm() reads at a time. */
export const WARM = 32;
/** Words of a filtered index's filter: at least 1 KiB, at most 4 MiB (2^20 words: 8 M pairs at its load). */
const FILTER_MIN = 256;
const FILTER_MAX = 1 << 20;

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
  /** The filter (`filtered`): a word per few pairs, three bits set in it per pair added; null when not kept. */
  private filter: Int32Array | null;
  private filterShift = 32;
  /** The last hash()'s mix, for the filter's word and bits. */
  private mix = 0;

  constructor(expected = 1024, filtered = false) {
    let cap = 1024;
    while (cap < expected * 1.5) cap *= 2;
    this.table = releasable(Int32Array, cap).fill(-1);
    this.mask = cap - 1;
    // Growable: room for `expected` keys costs only the pages keys are written to.
    this.keys = grow(growable(Float64Array), 2 * Math.max(1024, expected));
    // A word per ~8 expected pairs (u5m.log: 1 MiB, where the log's peak memory is at the end of its read): with three
    // bits each, ~12% of absent pairs pass at that load (~15 bits of 32 set), ~5% at half of it.
    let words = FILTER_MIN;
    while (words < expected / 8 && words < FILTER_MAX) words *= 2;
    this.filter = filtered ? releasable(Int32Array, words) : null;
    this.filterShift = 32 - Math.log2(words);
  }

  /** Sets `at` (the first entry to probe) and `tag` (the hash's top 4 bits, in place) for (a, b). */
  private hash(a: number, b: number): void {
    const h = Math.imul((a >>> 0) ^ Math.imul((a / 4294967296) >>> 0, 0x27d4eb2d), 0x9e3779b1) ^ Math.imul((b >>> 0) ^ Math.imul((b / 4294967296) >>> 0, 0x165667b1), 0x85ebca77);
    const m = h ^ (h >>> 15);
    this.at = m & this.mask;
    this.tag = (m >>> 28) << TAG_SHIFT;
    this.mix = m;
  }

  /** The filter's word for the last hash() (its bits: filterBits). */
  private filterWord(): number {
    return Math.imul(this.mix ^ (this.mix >>> 16), 0x7feb352d) >>> this.filterShift;
  }

  /** The three bits of the filter's word for the last hash() (from other bits of its mix than the word's). */
  private filterBits(): number {
    const m = this.mix;
    return (1 << (m & 31)) | (1 << ((m >>> 5) & 31)) | (1 << ((m >>> 10) & 31));
  }

  /**
   * False when the pair (a, b), in this order, was certainly never added (find would answer -1); true when it may
   * have been (always, for an index not made `filtered`).
   */
  mayHave(a: number, b: number): boolean {
    const f = this.filter;
    if (f === null) return true;
    this.hash(a, b);
    const bits = this.filterBits();
    return (f[this.filterWord()] & bits) === bits;
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
        if (this.filter !== null) this.filter[this.filterWord()] |= this.filterBits();
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
    if (this.filter !== null) this.filter = shrinkTo(this.filter, 0);
    shrinkTo(this.table, 0);
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
    for (let s = 0; s < this.size; s++) {
      this.hash(this.keys[2 * s], this.keys[2 * s + 1]);
      let i = this.at;
      while (this.table[i] >= 0) i = (i + 1) & this.mask;
      this.table[i] = this.tag | s;
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
/** Direction-free mayHave: false when pairFind would certainly answer -1. */
export function pairMayHave(index: PairIndex, x: number, y: number): boolean {
  return x < y ? index.mayHave(x, y) : index.mayHave(y, x);
}
