/**
 * Segments the TLS walk (tls-walk.ts) keeps aside because bytes before them are missing: copies of their captured
 * payload, per connection side, walked once the hole is filled or given up at the side's FIN or RST. Only
 * out-of-order connections use it, and it is bounded: PER_SIDE segments and PER_SIDE_BYTES per side, TOTAL_BYTES in
 * all; a segment that does not fit is not kept (the walk then treats the hole as lost and picks up at the next
 * record header).
 */
import type { TcpSegment } from '../model/segment';
import { seqDelta } from './conn-state';

const PER_SIDE = 32;
const PER_SIDE_BYTES = 256 * 1024;
const TOTAL_BYTES = 16 * 1024 * 1024;

export interface PendingSegment {
  seq: number;
  /** TCP payload length (the capture may hold fewer bytes). */
  length: number;
  bytes: Uint8Array;
}

export class TlsPending {
  private readonly bySide = new Map<number, PendingSegment[]>();
  private bytes = 0;
  /** Segments held in all. */
  size = 0;
  /** Per input (by index): 1 when its segments carry payload bytes, 2 when they carry none (text captures); 0 = not seen yet. */
  private inputBytes = new Uint8Array(0);

  /**
   * Whether segment s, a data segment, comes without payload bytes (payload null: a text capture). That is the same
   * for every segment of an input, so the payload is read (a view made) only for the first data segment of each input.
   */
  withoutBytes(s: TcpSegment): boolean {
    const i = s.input;
    if (i >= this.inputBytes.length) {
      const a = new Uint8Array(Math.max(8, 2 * (i + 1)));
      a.set(this.inputBytes);
      this.inputBytes = a;
    }
    if (this.inputBytes[i] === 0) this.inputBytes[i] = s.payload === null ? 2 : 1;
    return this.inputBytes[i] === 2;
  }

  /** Keeps a copy of the segment for side `key` (connection index * 2 + side); false when over a bound. */
  keep(key: number, seq: number, length: number, bytes: Uint8Array): boolean {
    let list = this.bySide.get(key);
    if (list && (list.length >= PER_SIDE || list.reduce((n, g) => n + g.bytes.length, 0) + bytes.length > PER_SIDE_BYTES)) return false;
    if (this.bytes + bytes.length > TOTAL_BYTES) return false;
    if (!list) this.bySide.set(key, (list = []));
    list.push({ seq, length, bytes: bytes.slice() });
    this.bytes += bytes.length;
    this.size++;
    return true;
  }

  /** Removes and returns a kept segment of side `key` that starts at or before `next` (the walk has reached it). */
  reached(key: number, next: number): PendingSegment | null {
    const list = this.bySide.get(key);
    if (!list) return null;
    const i = list.findIndex((g) => seqDelta(g.seq, next) <= 0);
    if (i < 0) return null;
    const [g] = list.splice(i, 1);
    this.forget(key, list, g);
    return g;
  }

  /** Removes and returns every kept segment of side `key`, in sequence order. */
  take(key: number): PendingSegment[] | null {
    const list = this.bySide.get(key);
    if (!list) return null;
    this.bySide.delete(key);
    for (const g of list) {
      this.bytes -= g.bytes.length;
      this.size--;
    }
    const first = list[0].seq;
    return list.sort((a, b) => seqDelta(a.seq, first) - seqDelta(b.seq, first));
  }

  private forget(key: number, list: PendingSegment[], g: PendingSegment): void {
    this.bytes -= g.bytes.length;
    this.size--;
    if (!list.length) this.bySide.delete(key);
  }
}
