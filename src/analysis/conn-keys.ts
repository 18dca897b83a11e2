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

/** Typed array grown by copying into one twice the size (amortised O(1) per append). */
export function grown<T extends Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = Math.max(16, a.length);
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

export class ConnKeys {
  count = 0;
  ipVersion = new Uint8Array(0);
  /** Address words (big-endian, IPv4 uses word 0 only): side a at 8*i .. 8*i+3, side b at 8*i+4 .. 8*i+7. */
  words = new Uint32Array(0);
  /** Ports: side a at 2*i, side b at 2*i+1. */
  ports = new Uint16Array(0);
  private hashes = new Int32Array(0);
  /** Slots hold connection index + 1; 0 = empty. */
  private slots = new Int32Array(1024);
  private mask = 1023;

  // The current segment's address words and symmetric hash (set by load()).
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;
  private d0 = 0; private d1 = 0; private d2 = 0; private d3 = 0;
  private hash = 0;
  /** Slot where the last find() stopped: the match, or the empty slot to insert at. */
  private slot = 0;

  /** Reads the segment's addresses and hashes its 4-tuple the same way in both directions. */
  load(s: TcpSegment): void {
    const src = s.srcAddr;
    const dst = s.dstAddr;
    this.s0 = word(src, 0);
    this.d0 = word(dst, 0);
    if (s.ipVersion === 6) {
      this.s1 = word(src, 4); this.s2 = word(src, 8); this.s3 = word(src, 12);
      this.d1 = word(dst, 4); this.d2 = word(dst, 8); this.d3 = word(dst, 12);
    } else {
      this.s1 = this.s2 = this.s3 = this.d1 = this.d2 = this.d3 = 0;
    }
    const h1 = mix(mix(mix(mix(0x811c9dc5 ^ s.srcPort, this.s0), this.s1), this.s2 ^ this.s3), s.srcPort);
    const h2 = mix(mix(mix(mix(0x811c9dc5 ^ s.dstPort, this.d0), this.d1), this.d2 ^ this.d3), s.dstPort);
    this.hash = ((h1 + h2) ^ Math.imul(h1, h2)) | 0;
  }

  /**
   * The newest connection with the loaded 4-tuple, or -1. `side` (set on a match): 0 when the segment goes
   * a -> b, 1 when b -> a.
   */
  side = 0;
  find(s: TcpSegment): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = this.hash & mask;
    for (;;) {
      const e = slots[i];
      if (e === 0) {
        this.slot = i;
        return -1;
      }
      const c = e - 1;
      if (this.hashes[c] === this.hash) {
        const d = this.matchSide(c, s);
        if (d >= 0) {
          this.side = d;
          this.slot = i;
          return c;
        }
      }
      i = (i + 1) & mask;
    }
  }

  private matchSide(c: number, s: TcpSegment): number {
    if (this.ipVersion[c] !== s.ipVersion) return -1;
    const w = this.words;
    const k = c * 8;
    const pa = this.ports[2 * c];
    const pb = this.ports[2 * c + 1];
    if (s.srcPort === pa && s.dstPort === pb && this.s0 === w[k] && this.d0 === w[k + 4] &&
      this.s1 === w[k + 1] && this.s2 === w[k + 2] && this.s3 === w[k + 3] &&
      this.d1 === w[k + 5] && this.d2 === w[k + 6] && this.d3 === w[k + 7]) return 0;
    if (s.srcPort === pb && s.dstPort === pa && this.s0 === w[k + 4] && this.d0 === w[k] &&
      this.s1 === w[k + 5] && this.s2 === w[k + 6] && this.s3 === w[k + 7] &&
      this.d1 === w[k + 1] && this.d2 === w[k + 2] && this.d3 === w[k + 3]) return 1;
    return -1;
  }

  /**
   * Adds a connection for the loaded segment (its sender becomes side a) and returns its index. With
   * `replacing`, the slot found by the last find() (which matched the predecessor) now names the new one;
   * otherwise the empty slot found by the last find() is taken.
   */
  add(s: TcpSegment, replacing: boolean): number {
    const c = this.count++;
    if (c >= this.ipVersion.length) this.grow(c + 1);
    this.ipVersion[c] = s.ipVersion;
    this.hashes[c] = this.hash;
    const w = this.words;
    const k = c * 8;
    w[k] = this.s0; w[k + 1] = this.s1; w[k + 2] = this.s2; w[k + 3] = this.s3;
    w[k + 4] = this.d0; w[k + 5] = this.d1; w[k + 6] = this.d2; w[k + 7] = this.d3;
    this.ports[2 * c] = s.srcPort;
    this.ports[2 * c + 1] = s.dstPort;
    this.slots[this.slot] = c + 1;
    if (!replacing && ++this.used * 2 > this.slots.length) this.rehash();
    return c;
  }

  private used = 0;

  private grow(need: number): void {
    this.ipVersion = grown(this.ipVersion, need);
    const n = this.ipVersion.length; // the others follow its capacity
    this.hashes = grown(this.hashes, n);
    this.words = grown(this.words, n * 8);
    this.ports = grown(this.ports, n * 2);
  }

  /** Doubles the table, keeping only the slot contents (the newest connection per 4-tuple). */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (const e of old) {
      if (e === 0) continue;
      let i = this.hashes[e - 1] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Drops the hash table once no more packets come (the keys stay for the reports). */
  dropIndex(): void {
    this.slots = new Int32Array(0);
    this.hashes = new Int32Array(0);
  }

  /** Trims the per-connection arrays to the connection count. */
  trim(): void {
    const n = this.count;
    this.ipVersion = this.ipVersion.slice(0, n);
    this.words = this.words.slice(0, n * 8);
    this.ports = this.ports.slice(0, n * 2);
  }
}
