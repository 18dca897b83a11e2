/**
 * Addresses numbered 0, 1, 2... in first-seen order (with a small number beside each, e.g. a role): open addressing
 * over the raw address words, so no text is made to tell addresses apart. Used to count per address (summary.ts)
 * and to make each distinct address's text once (conn-keys.ts).
 */
import { grown } from './typed-grown';

/** Where the address words come from: connection i's side `side` (ConnKeys). */
export interface AddressWords {
  ipVersion(i: number): number;
  /** Word w (0..3, big-endian; IPv4 uses word 0). */
  addressWord(i: number, side: number, w: number): number;
}

const E_VERSION = 0;
const E_ADDR = 1;
const E_EXTRA = 5;
const E_CONN = 6;
const E_SIDE = 7;
const E_WORDS = 8;

/**
 * (address of side `side` of connection i, a small number) pairs numbered 0, 1, 2... in first-seen order: open
 * addressing over the raw address words, so no text is made to count per address. Each entry remembers the
 * connection and side it was first seen on, from which its address text can be made.
 */
export class AddrTable {
  count = 0;
  /** Per entry, E_WORDS words: IP version, 4 address words, the extra number, connection, side. */
  private entries = new Uint32Array(64 * E_WORDS);
  /** Entry + 1 per slot, 0 = empty. */
  private slots = new Uint32Array(256);

  /** The entry of (side `side`'s address of connection i, extra), added when new. */
  id(keys: AddressWords, i: number, side: number, extra: number): number {
    const v = keys.ipVersion(i);
    const w0 = keys.addressWord(i, side, 0);
    const w1 = v === 4 ? 0 : keys.addressWord(i, side, 1);
    const w2 = v === 4 ? 0 : keys.addressWord(i, side, 2);
    const w3 = v === 4 ? 0 : keys.addressWord(i, side, 3);
    const h = hashOf(v, w0, w1, w2, w3, extra);
    const mask = this.slots.length - 1;
    const e = this.entries;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] - 1;
      if (id < 0) {
        this.slots[slot] = this.add(v, w0, w1, w2, w3, extra, i, side) + 1;
        if (this.count * 2 > this.slots.length) this.rehash();
        return this.count - 1;
      }
      const x = id * E_WORDS;
      if (e[x + E_ADDR] === w0 && e[x + E_ADDR + 1] === w1 && e[x + E_ADDR + 2] === w2 && e[x + E_ADDR + 3] === w3 &&
        e[x + E_EXTRA] === extra && e[x + E_VERSION] === v) return id;
    }
  }

  extra(id: number): number { return this.entries[id * E_WORDS + E_EXTRA]; }
  conn(id: number): number { return this.entries[id * E_WORDS + E_CONN]; }
  side(id: number): number { return this.entries[id * E_WORDS + E_SIDE]; }

  private add(v: number, w0: number, w1: number, w2: number, w3: number, extra: number, i: number, side: number): number {
    const id = this.count++;
    this.entries = grown(this.entries, this.count * E_WORDS);
    const x = id * E_WORDS;
    const e = this.entries;
    e[x + E_VERSION] = v;
    e[x + E_ADDR] = w0;
    e[x + E_ADDR + 1] = w1;
    e[x + E_ADDR + 2] = w2;
    e[x + E_ADDR + 3] = w3;
    e[x + E_EXTRA] = extra;
    e[x + E_CONN] = i;
    e[x + E_SIDE] = side;
    return id;
  }

  /** Twice the slots, entries placed again (the hash is recomputed from the stored words). */
  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const e = this.entries;
    for (let id = 0; id < this.count; id++) {
      const x = id * E_WORDS;
      let slot = hashOf(e[x + E_VERSION], e[x + E_ADDR], e[x + E_ADDR + 1], e[x + E_ADDR + 2], e[x + E_ADDR + 3], e[x + E_EXTRA]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

function hashOf(v: number, w0: number, w1: number, w2: number, w3: number, extra: number): number {
  let h = Math.imul(v ^ (extra << 8), 0x9e3779b1);
  h = Math.imul(h ^ w0, 0x85ebca6b);
  h = Math.imul(h ^ w1, 0xc2b2ae35);
  h = Math.imul(h ^ w2, 0x85ebca6b);
  h = Math.imul(h ^ w3, 0xc2b2ae35);
  return h ^ (h >>> 15);
}
