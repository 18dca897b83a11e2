/**
 * The connection key store: each connection's 4-tuple (side a = sender of its first packet, side b) in
 * typed arrays indexed by connection, and a flat open-addressing hash table (linear probing) from the
 * bidirectional 4-tuple to the newest connection using it. Nothing is allocated per packet: the caller
 * loads the current segment's address words with `load()`, then `find()` compares them with the stored words.
 *
 * A reused 4-tuple (tshark-style split, connections.ts) takes over its predecessor's slot, so a slot always
 * names the newest connection of its 4-tuple and the table holds one entry per distinct 4-tuple.
 */
import type { TcpSegment } from '../model/segment';
import { word } from './conn-state';
import { ipText } from './addresses';
import { R_ADDR, R_IP_VERSION, R_PORTS, STRIDE } from './pass-record';
import { AddrTable } from './address-table';
import { grown } from './typed-grown';

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** Words per connection once the pass is over (done()): the 4-tuple part of the pass record. */
const KEY_STRIDE = 12;

export class ConnKeys {
  count = 0;
  /**
   * One record of STRIDE words per connection (layout in pass-record.ts): the 4-tuple, which a lookup
   * compares, and the pass state of the tracker and the TLS walk beside it. Replaced by a record of just the
   * 4-tuple (KEY_STRIDE words) in done().
   */
  rec = new Uint32Array(0);
  private stride = STRIDE;
  /**
   * Slot i is slots[2i] = the connection's hash, slots[2i+1] = connection index + 1 (0 = empty): probing
   * compares hashes here and touches a connection's record only when the hash matches.
   */
  private slots = new Uint32Array(2048);
  private mask = 1023;
  private used = 0;

  /** The current segment's address words (source 0..3, destination 4..7) and symmetric hash, set by load(). */
  private readonly cur = new Uint32Array(8);
  private hash = 0;
  /** Slot where the last find() stopped: the match, or the empty slot to insert at. */
  private slot = 0;
  /** Set by a successful find(): 0 when the segment goes a -> b, 1 when b -> a. */
  side = 0;

  ipVersion(i: number): number {
    return this.rec[i * this.stride + R_IP_VERSION];
  }

  /** Word w (0..3, big-endian; IPv4 uses word 0) of side `side`'s address. */
  addressWord(i: number, side: number, w: number): number {
    return this.rec[i * this.stride + R_ADDR + 4 * side + w];
  }

  /** Port of side 0 (a) or 1 (b). */
  port(i: number, side: number): number {
    const p = this.rec[i * this.stride + R_PORTS];
    return side === 0 ? p >>> 16 : p & 0xffff;
  }

  // Each distinct address numbered (addressId) and its text made once, on first use.
  private readonly addresses = new AddrTable();
  private readonly texts: string[] = [];

  /** A number per distinct address (IP version and words), 0, 1, 2... in the order first asked for. */
  addressId(i: number, side: number): number {
    return this.addresses.id(this, i, side, 0);
  }

  /** Side `side`'s address as text (dotted IPv4, RFC 5952 IPv6), shared by every connection of that address. */
  addressText(i: number, side: number): string {
    const id = this.addressId(i, side);
    const t = this.texts[id];
    if (t !== undefined) return t;
    const k = i * this.stride + R_ADDR + 4 * side;
    const r = this.rec;
    return (this.texts[id] = ipText(r[i * this.stride + R_IP_VERSION], r[k], r[k + 1], r[k + 2], r[k + 3]));
  }

  /** Reads the segment's addresses and hashes its 4-tuple the same way in both directions. */
  load(s: TcpSegment): void {
    const src = s.srcAddr;
    const dst = s.dstAddr;
    const cur = this.cur;
    const v6 = s.ipVersion === 6;
    cur[0] = word(src, 0);
    cur[4] = word(dst, 0);
    cur[1] = v6 ? word(src, 4) : 0;
    cur[2] = v6 ? word(src, 8) : 0;
    cur[3] = v6 ? word(src, 12) : 0;
    cur[5] = v6 ? word(dst, 4) : 0;
    cur[6] = v6 ? word(dst, 8) : 0;
    cur[7] = v6 ? word(dst, 12) : 0;
    const h1 = mix(mix(mix(mix(0x811c9dc5 ^ s.srcPort, cur[0]), cur[1]), cur[2] ^ cur[3]), s.srcPort);
    const h2 = mix(mix(mix(mix(0x811c9dc5 ^ s.dstPort, cur[4]), cur[5]), cur[6] ^ cur[7]), s.dstPort);
    // Symmetric in the two ends, then mixed once more so that the low bits (the slot) spread well.
    let h = (h1 + h2) ^ Math.imul(h1, h2);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.hash = (h ^ (h >>> 16)) >>> 0;
  }

  /** The newest connection with the loaded 4-tuple (sets `side`), or -1. */
  find(s: TcpSegment): number {
    const slots = this.slots;
    const rec = this.rec;
    const cur = this.cur;
    const mask = this.mask;
    const hash = this.hash;
    let i = hash & mask;
    for (;;) {
      const e = slots[2 * i + 1];
      if (e === 0) {
        this.slot = i;
        return -1;
      }
      const k = (e - 1) * STRIDE; // offsets below: R_IP_VERSION 2, R_PORTS 1, R_ADDR 4..11 (pass-record.ts)
      if (slots[2 * i] === hash && rec[k + 2] === s.ipVersion) {
        const ports = rec[k + 1];
        const pa = ports >>> 16;
        const pb = ports & 0xffff;
        if (s.srcPort === pa && s.dstPort === pb && cur[0] === rec[k + 4] && cur[4] === rec[k + 8] &&
          cur[1] === rec[k + 5] && cur[2] === rec[k + 6] && cur[3] === rec[k + 7] &&
          cur[5] === rec[k + 9] && cur[6] === rec[k + 10] && cur[7] === rec[k + 11]) {
          this.side = 0;
          this.slot = i;
          return e - 1;
        }
        if (s.srcPort === pb && s.dstPort === pa && cur[0] === rec[k + 8] && cur[4] === rec[k + 4] &&
          cur[1] === rec[k + 9] && cur[2] === rec[k + 10] && cur[3] === rec[k + 11] &&
          cur[5] === rec[k + 5] && cur[6] === rec[k + 6] && cur[7] === rec[k + 7]) {
          this.side = 1;
          this.slot = i;
          return e - 1;
        }
      }
      i = (i + 1) & mask;
    }
  }

  /** Makes the slot found by the last find() name connection `c` (another connection of the same 4-tuple). */
  repoint(c: number): void {
    this.slots[2 * this.slot + 1] = c + 1;
  }

  /** The side (0 = a, 1 = b) of connection `c` (same 4-tuple as the loaded segment) that sent the loaded segment. */
  sideOf(c: number, s: TcpSegment): number {
    const k = c * STRIDE;
    const r = this.rec;
    const cur = this.cur;
    const sameA = s.srcPort === r[k + R_PORTS] >>> 16 && cur[0] === r[k + R_ADDR] && cur[1] === r[k + R_ADDR + 1] &&
      cur[2] === r[k + R_ADDR + 2] && cur[3] === r[k + R_ADDR + 3];
    return sameA ? 0 : 1;
  }

  /**
   * Adds a connection for the loaded segment (its sender becomes side a) and returns its index. With
   * `replacing`, the slot found by the last find() (which matched the predecessor) now names the new one;
   * otherwise the empty slot found by the last find() is taken.
   */
  add(s: TcpSegment, replacing: boolean): number {
    const c = this.count++;
    const k = c * STRIDE;
    if (k + STRIDE > this.rec.length) this.rec = grown(this.rec, k + STRIDE);
    const r = this.rec;
    r[k + R_PORTS] = ((s.srcPort & 0xffff) << 16 | (s.dstPort & 0xffff)) >>> 0;
    r[k + R_IP_VERSION] = s.ipVersion;
    r.set(this.cur, k + R_ADDR);
    this.slots[2 * this.slot] = this.hash;
    this.slots[2 * this.slot + 1] = c + 1;
    if (!replacing && ++this.used * 2 > this.mask + 1) this.rehash();
    return c;
  }

  /**
   * Makes room for `n` connections at once (an estimate made before the first packet), so the record is not grown by
   * copying into one twice the size again and again: each copy touched fresh memory (a page fault per 4 KiB) and
   * copied the records so far. Pages of the room never written are never touched (a large typed array is zeroed
   * lazily by the system), so an estimate too high costs address space, not memory.
   */
  reserve(n: number): void {
    if (n * STRIDE > this.rec.length) this.rec = grown(this.rec, n * STRIDE);
  }

  /** Doubles the table, keeping only the slot contents (the newest connection per 4-tuple). */
  private rehash(): void {
    const old = this.slots;
    const slots = new Uint32Array(old.length * 2);
    const mask = (this.mask << 1) | 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      let i = old[o] & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = old[o];
      slots[2 * i + 1] = old[o + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Once no more packets come: drops the hash table and the pass state, keeping the 4-tuples. */
  done(): void {
    this.slots = new Uint32Array(0);
    const keys = new Uint32Array(this.count * KEY_STRIDE);
    const rec = this.rec;
    for (let i = 0, from = 0, to = 0; i < this.count; i++, from += STRIDE - KEY_STRIDE) {
      for (let w = 0; w < KEY_STRIDE; w++) keys[to++] = rec[from++]; // a word loop: no view per connection
    }
    this.rec = keys;
    this.stride = KEY_STRIDE;
  }
}
