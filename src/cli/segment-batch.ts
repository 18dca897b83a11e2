/**
 * TCP segments carried between threads (cli/decode-thread.ts -> cli/threaded-decode.ts) as typed arrays: every
 * TcpSegment field of each packet of one slice in fixed-width words, no object per packet. The payload is not
 * copied when it lies in the slice the packets were dissected from (the slice's buffer travels with the batch,
 * transferred, not copied): only its offset is kept; a payload elsewhere (a record that straddled two slices, an
 * IP datagram reassembled from fragments) is copied into the batch's side buffer.
 */
import type { TcpSegment } from '../model/segment';

/** Words per packet in `words`. */
export const STRIDE = 26;
const W_FRAME = 0;
/** ipVersion (bits 0-7), sackPermitted (8), sackCount (9-12), KIND_* (16), BIT_* flags. */
const W_BITS = 1;
const W_PORTS = 2;
const W_TTL = 3;
const W_IP_LENGTH = 4;
const W_IP_EXTRA = 5;
const W_FLAGS = 6;
const W_SEQ = 7;
const W_ACK = 8;
const W_WINDOW = 9;
const W_PAYLOAD_LENGTH = 10;
const W_MSS = 11;
const W_WSCALE = 12;
const W_TSVAL = 13;
const W_TSECR = 14;
/** Captured payload: start (in the slice, or in the side buffer with BIT_SIDE_PAYLOAD) and length. */
const W_PAY_START = 15;
const W_PAY_LENGTH = 16;
/** Index of the first SACK word in `side` words (sackCount > 0). */
const W_SACK_AT = 17;
const W_SRC = 18;
const W_DST = 22;

/** The packet is SegmentSink.streamOnly's, not segment's. */
const KIND_STREAM_ONLY = 1 << 16;
const BIT_TSVAL = 1 << 17;
const BIT_TSECR = 1 << 18;
const BIT_SIDE_PAYLOAD = 1 << 19;

/** Buffers of one batch; each travels to the main thread and back (transferred), then is used again. */
export interface BatchBuffers {
  /** The slice the packets were dissected from (its bytes as read from the file). */
  slice: ArrayBuffer;
  words: ArrayBuffer;
  /** timeUs and recordOffset per packet. */
  times: ArrayBuffer;
  /** Payloads that were not in the slice, then SACK blocks (as 32-bit words, 4-byte aligned). */
  side: ArrayBuffer;
}

export interface Batch extends BatchBuffers {
  count: number;
  /** Bytes of `slice` that were read (the rest of the buffer is unused). */
  sliceLength: number;
  /** Bytes used in `side`. */
  sideLength: number;
  /** Key log texts from pcapng Decryption Secrets Blocks met in this slice, in file order. */
  secrets: string[];
  /** Bytes of the input read so far. */
  bytesRead: number;
}

/** Fills the buffers of one batch from segments (worker side). */
export class BatchWriter {
  count = 0;
  sideLength = 0;
  secrets: string[] = [];
  private w: Uint32Array;
  private t: Float64Array;
  private side: Uint8Array;
  private slice: Uint8Array;

  constructor(readonly buffers: BatchBuffers) {
    this.w = new Uint32Array(buffers.words);
    this.t = new Float64Array(buffers.times);
    this.side = new Uint8Array(buffers.side);
    this.slice = new Uint8Array(buffers.slice);
  }

  add(s: TcpSegment, streamOnly: boolean): void {
    const n = this.count++;
    if ((n + 1) * STRIDE > this.w.length) this.growWords();
    const w = this.w;
    const k = n * STRIDE;
    let bits = s.ipVersion | (s.sackPermitted ? 0x100 : 0) | (s.sackCount << 9) | (streamOnly ? KIND_STREAM_ONLY : 0);
    if (s.tsVal !== -1) bits |= BIT_TSVAL;
    if (s.tsEcr !== -1) bits |= BIT_TSECR;
    w[k + W_FRAME] = s.frame;
    w[k + W_PORTS] = s.srcPort | (s.dstPort << 16);
    w[k + W_TTL] = s.ttl;
    w[k + W_IP_LENGTH] = s.ipLength;
    w[k + W_IP_EXTRA] = s.ipExtraLength;
    w[k + W_FLAGS] = s.flags;
    w[k + W_SEQ] = s.seq;
    w[k + W_ACK] = s.ack;
    w[k + W_WINDOW] = s.window;
    w[k + W_PAYLOAD_LENGTH] = s.payloadLength;
    w[k + W_MSS] = s.mss;
    w[k + W_WSCALE] = s.windowScale;
    w[k + W_TSVAL] = s.tsVal;
    w[k + W_TSECR] = s.tsEcr;
    if (s.srcAddr !== this.srcOf || s.dstAddr !== this.dstOf) this.viewAddresses(s);
    const src = this.src32;
    const dst = this.dst32;
    for (let i = 0; i < 4; i++) {
      w[k + W_SRC + i] = src[i];
      w[k + W_DST + i] = dst[i];
    }
    const t = this.t;
    t[n * 2] = s.timeUs;
    t[n * 2 + 1] = s.recordOffset;
    // streamOnly packets carry no payload (SegmentSink.streamOnly: only addresses, ports, seq, flags and times).
    const p = streamOnly ? null : s.payload;
    if (p && p.length > 0) {
      if (p.buffer === this.slice.buffer) {
        w[k + W_PAY_START] = p.byteOffset;
      } else {
        w[k + W_PAY_START] = this.sideBytes(p);
        bits |= BIT_SIDE_PAYLOAD;
      }
      w[k + W_PAY_LENGTH] = p.length;
    } else {
      w[k + W_PAY_START] = 0;
      w[k + W_PAY_LENGTH] = 0;
    }
    if (s.sackCount > 0) {
      const at = this.sideBytes(new Uint8Array(s.sackBlocks.buffer, s.sackBlocks.byteOffset, s.sackCount * 8));
      w[k + W_SACK_AT] = at >>> 2;
    }
    w[k + W_BITS] = bits;
  }

  // The segment's address bytes as 32-bit words (the reader stores them back the same way: native byte order).
  private srcOf: Uint8Array | null = null;
  private dstOf: Uint8Array | null = null;
  private src32: Uint32Array<ArrayBufferLike> = new Uint32Array(4);
  private dst32: Uint32Array<ArrayBufferLike> = new Uint32Array(4);
  private viewAddresses(s: TcpSegment): void {
    // A live view when aligned (always, for the FrameDissector's segment); else a copy, made again every packet.
    const live = (a: Uint8Array) => a.byteOffset % 4 === 0 && a.length >= 16;
    const words = (a: Uint8Array) => (live(a) ? new Uint32Array(a.buffer, a.byteOffset, 4) : new Uint32Array(a.slice(0, 16).buffer));
    this.srcOf = live(s.srcAddr) && live(s.dstAddr) ? s.srcAddr : null;
    this.dstOf = s.dstAddr;
    this.src32 = words(s.srcAddr);
    this.dst32 = words(s.dstAddr);
  }

  /** Copies bytes into the side buffer at a 4-byte aligned offset; returns that offset. */
  private sideBytes(b: Uint8Array): number {
    const at = (this.sideLength + 3) & ~3;
    if (at + b.length > this.side.length) {
      const bigger = new Uint8Array(Math.max(at + b.length, this.side.length * 2));
      bigger.set(this.side.subarray(0, this.sideLength));
      this.side = bigger;
      this.buffers.side = bigger.buffer;
    }
    this.side.set(b, at);
    this.sideLength = at + b.length;
    return at;
  }

  private growWords(): void {
    const w = new Uint32Array(this.w.length * 2);
    w.set(this.w);
    this.w = w;
    this.buffers.words = w.buffer;
    const t = new Float64Array(this.t.length * 2);
    t.set(this.t);
    this.t = t;
    this.buffers.times = t.buffer;
  }
}

/** Where the reader is in its batch (shared by BatchReader and its segment). */
class Cursor {
  w = new Uint32Array(0);
  iw = new Int32Array(0);
  side32 = new Uint32Array(0);
  k = 0;
  buf = new Uint8Array(0);
  start = 0;
  end = 0;
}

/**
 * The reader's one reused TcpSegment: the fields the connection tracker reads are data, set per packet; the others
 * (TTL, IP length, MSS, SACK, timestamps) and the payload view are getters on the prototype that read the batch only
 * when asked (getters in an object literal would put it in dictionary mode, every access a hash lookup). None has a
 * setter but the payload: a consumer that wrote one would fail loudly (none does: consumers copy what they keep).
 */
class BatchSegment implements TcpSegment {
  frame = 0;
  recordOffset = 0;
  timeUs = 0;
  ipVersion = 4;
  srcPort = 0;
  dstPort = 0;
  ipExtraLength = 0;
  flags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  payloadLength = 0;
  windowScale = -1;
  override: Uint8Array | null | undefined = undefined;
  private readonly sack = new Uint32Array(8);

  constructor(
    readonly input: number,
    readonly srcAddr: Uint8Array,
    readonly dstAddr: Uint8Array,
    private readonly at: Cursor,
  ) {}

  get ttl(): number { return this.at.iw[this.at.k + W_TTL]; }
  get ipLength(): number { return this.at.iw[this.at.k + W_IP_LENGTH]; }
  get mss(): number { return this.at.iw[this.at.k + W_MSS]; }
  get sackPermitted(): boolean { return (this.at.w[this.at.k + W_BITS] & 0x100) !== 0; }
  get sackCount(): number { return (this.at.w[this.at.k + W_BITS] >>> 9) & 0xf; }
  get sackBlocks(): Uint32Array {
    const at = this.at;
    const n = this.sackCount * 2;
    const from = at.w[at.k + W_SACK_AT];
    for (let i = 0; i < n; i++) this.sack[i] = at.side32[from + i];
    return this.sack;
  }
  get tsVal(): number { return this.at.w[this.at.k + W_BITS] & BIT_TSVAL ? this.at.w[this.at.k + W_TSVAL] : -1; }
  get tsEcr(): number { return this.at.w[this.at.k + W_BITS] & BIT_TSECR ? this.at.w[this.at.k + W_TSECR] : -1; }
  get payload(): Uint8Array | null {
    return this.override !== undefined ? this.override : this.at.buf.subarray(this.at.start, this.at.end);
  }
  set payload(v: Uint8Array | null) {
    this.override = v;
  }
}

/**
 * Replays batches into a SegmentSink as the FrameDissector would have called it: the same segments with the same
 * fields in the same order, through one reused TcpSegment (BatchSegment).
 */
export class BatchReader {
  private readonly at = new Cursor();
  private readonly src32 = new Uint32Array(4);
  private readonly dst32 = new Uint32Array(4);
  readonly seg: BatchSegment;

  constructor(input: number) {
    this.seg = new BatchSegment(input, new Uint8Array(this.src32.buffer), new Uint8Array(this.dst32.buffer), this.at);
  }

  /** Hands every packet of the batch to the sink. */
  read(b: Batch, sink: { segment(s: TcpSegment): void; streamOnly?(s: TcpSegment): void }): void {
    const at = this.at;
    const w = (at.w = new Uint32Array(b.words));
    const iw = (at.iw = new Int32Array(b.words));
    at.side32 = new Uint32Array(b.side, 0, b.side.byteLength >>> 2);
    const t = new Float64Array(b.times);
    const slice = new Uint8Array(b.slice);
    const side = new Uint8Array(b.side);
    const s = this.seg;
    const src = this.src32;
    const dst = this.dst32;
    for (let n = 0; n < b.count; n++) {
      const k = n * STRIDE;
      at.k = k;
      s.frame = w[k + W_FRAME];
      s.timeUs = t[n * 2];
      s.recordOffset = t[n * 2 + 1];
      const bits = w[k + W_BITS];
      s.ipVersion = bits & 0xff;
      const ports = w[k + W_PORTS];
      s.srcPort = ports & 0xffff;
      s.dstPort = ports >>> 16;
      s.ipExtraLength = w[k + W_IP_EXTRA];
      s.flags = w[k + W_FLAGS];
      s.seq = w[k + W_SEQ];
      s.ack = w[k + W_ACK];
      s.window = w[k + W_WINDOW];
      s.payloadLength = w[k + W_PAYLOAD_LENGTH];
      s.windowScale = iw[k + W_WSCALE];
      src[0] = w[k + W_SRC];
      src[1] = w[k + W_SRC + 1];
      src[2] = w[k + W_SRC + 2];
      src[3] = w[k + W_SRC + 3];
      dst[0] = w[k + W_DST];
      dst[1] = w[k + W_DST + 1];
      dst[2] = w[k + W_DST + 2];
      dst[3] = w[k + W_DST + 3];
      at.buf = bits & BIT_SIDE_PAYLOAD ? side : slice;
      at.start = w[k + W_PAY_START];
      at.end = at.start + w[k + W_PAY_LENGTH];
      s.override = undefined;
      if (bits & KIND_STREAM_ONLY) sink.streamOnly?.(s);
      else sink.segment(s);
    }
  }
}
