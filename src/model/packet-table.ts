/**
 * Per-packet facts in compact typed-array columns, grown in fixed chunks (no copying on growth, no object per
 * packet). 29 bytes a packet in the columns every packet has (frame numbers as runs); facts few packets have (an input
 * other than the first, IP options, a second capture point, a record beyond 4 GiB, a payload over 64 KiB) sit in
 * sparse columns whose chunks exist only where a value was set. Packet bytes themselves are not kept: re-read them
 * from the input at `recordOffset`. A packet's connection is not a column: TrackedConnections lists each
 * connection's rows.
 */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const TWO_32 = 2 ** 32;

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type Ctor<T extends Typed> = new (n: number) => T;

class Column<T extends Typed> {
  readonly chunks: T[] = [];
  constructor(private readonly ctor: Ctor<T>) {}
  ensure(index: number): void {
    while (this.chunks.length <= index >>> CHUNK_BITS) this.chunks.push(new this.ctor(CHUNK));
  }
  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & MASK];
  }
  set(i: number, v: number): void {
    this.chunks[i >>> CHUNK_BITS][i & MASK] = v;
  }
}

/** A column whose chunks are made only when a non-zero value is set (for facts few loads have); unset rows read 0. */
class SparseColumn<T extends Typed = Uint32Array> {
  readonly chunks: (T | undefined)[] = [];
  private zeros: T | null = null;
  constructor(private readonly ctor: Ctor<T> = Uint32Array as unknown as Ctor<T>) {}
  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]?.[i & MASK] ?? 0;
  }
  set(i: number, v: number): void {
    const c = i >>> CHUNK_BITS;
    const chunk = this.chunks[c];
    if (chunk) chunk[i & MASK] = v;
    else if (v !== 0) (this.chunks[c] = new this.ctor(CHUNK))[i & MASK] = v;
  }
  /** Chunk `c` for reading row after row: the chunk, or one shared chunk of zeros where none was made (never write it). */
  readChunk(c: number): T {
    return this.chunks[c] ?? (this.zeros ??= new this.ctor(CHUNK));
  }
}

/**
 * A record's byte offset in its input: the low 32 bits in every row (`low`), the bits above only for records past
 * 4 GiB (a sparse column), so a file under 4 GiB pays 4 bytes a packet, not 8.
 */
class OffsetColumn {
  readonly low = new Column(Uint32Array);
  readonly high = new SparseColumn(Uint32Array);
  get(i: number): number {
    return this.low.get(i) + this.high.get(i) * TWO_32;
  }
  set(i: number, v: number): void {
    this.low.set(i, v >>> 0);
    this.high.set(i, Math.floor(v / TWO_32));
  }
}

/**
 * A count that nearly always fits 16 bits (a segment's payload length): the low 16 bits in every row, the bits above
 * only where there are any (a sparse column), so a row pays 2 bytes, not 4.
 */
class Split16Column {
  readonly low = new Column(Uint16Array);
  readonly high = new SparseColumn(Uint16Array);
  get(i: number): number {
    return this.low.get(i) + this.high.get(i) * 0x10000;
  }
  set(i: number, v: number): void {
    this.low.set(i, v & 0xffff);
    this.high.set(i, v >>> 16);
  }
}

/**
 * Frame numbers, which rise by one from packet to packet wherever a capture holds nothing but TCP: kept as runs
 * (the row and frame each run starts at), a frame number per row only once runs are more than a quarter of the rows
 * (captures full of other traffic). Rows are appended in order (`append`); `get` finds the run by binary search.
 */
class FrameColumn {
  private runRow = new Uint32Array(64);
  private runFrame = new Uint32Array(64);
  private runs = 0;
  private rows = 0;
  private last = -2;
  /** Set once runs do not pay: a frame number per row from then on (rows before it keep their runs). */
  private dense: Column<Uint32Array> | null = null;
  private denseFrom = 0;

  /** The frame of the next row (row `this.rows`). */
  append(frame: number): void {
    const row = this.rows++;
    if (!this.dense && frame !== this.last + 1) {
      if (this.runs > 1024 && this.runs * 4 > row) {
        this.dense = new Column(Uint32Array);
        this.denseFrom = row;
      } else {
        if (this.runs === this.runRow.length) {
          this.runRow = copyInto(new Uint32Array(this.runs * 2), this.runRow);
          this.runFrame = copyInto(new Uint32Array(this.runs * 2), this.runFrame);
        }
        this.runRow[this.runs] = row;
        this.runFrame[this.runs++] = frame;
      }
    }
    if (this.dense) {
      this.dense.ensure(row - this.denseFrom);
      this.dense.set(row - this.denseFrom, frame);
    }
    this.last = frame;
  }

  get(i: number): number {
    if (this.dense && i >= this.denseFrom) return this.dense.get(i - this.denseFrom);
    let lo = 0;
    let hi = this.runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.runRow[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return (this.runFrame[lo] + (i - this.runRow[lo])) >>> 0;
  }

  byteSize(): number {
    let n = this.runRow.byteLength + this.runFrame.byteLength;
    for (const c of this.dense?.chunks ?? []) n += c.byteLength;
    return n;
  }
}

function copyInto<T extends Uint32Array>(to: T, from: T): T {
  to.set(from);
  return to;
}

/** Which capture point(s) saw a packet, when two captures of the same traffic are merged. */
export const SEEN_PRIMARY = 1;
export const SEEN_SECONDARY = 2;

export class PacketTable {
  length = 0;
  /** Index of the input (sparse: 0, the first input, is not stored). */
  readonly input = new SparseColumn(Uint16Array);
  /** Frame number in its input (1-based); set by `frame.append` as rows are added, in row order. */
  readonly frame = new FrameColumn();
  readonly recordOffset = new OffsetColumn();
  readonly timeUs = new Column(Float64Array);
  /** 1 when sent by the connection's client, 0 when sent by its server. */
  readonly fromClient = new Column(Uint8Array);
  readonly flags = new Column(Uint16Array);
  readonly seq = new Column(Uint32Array);
  readonly ack = new Column(Uint32Array);
  readonly window = new Column(Uint16Array);
  /** Payload bytes (TCP segment data), up to 2^32 - 1. */
  readonly payloadLength = new Split16Column();
  /** Bit set of anomalies (see model/anomalies.ts: 16 bits at most). */
  readonly anomalies = new Column(Uint16Array);
  /** SEEN_PRIMARY | SEEN_SECONDARY; 0 for a single capture point (sparse). */
  readonly seenAt = new SparseColumn(Uint8Array);
  /** TcpSegment.ipExtraLength, saturated at 255 (Zeek's payload length is payloadLength + this; sparse). */
  readonly ipExtra = new SparseColumn(Uint8Array);
  /**
   * Two capture points merged (analysis/vantage/merge.ts): for a packet seen at both, its row at the second point
   * plus 1 (that row keeps the second point's own time, seq and ack); 0 otherwise. Chunks exist only where set.
   */
  readonly twin = new SparseColumn();

  /** Append a row and return its index; the caller sets the columns. */
  add(): number {
    const i = this.length++;
    if ((i & MASK) === 0) {
      for (const c of this.columns()) c.ensure(i);
    }
    return i;
  }

  /** The columns every row has. */
  private columns(): Column<Typed>[] {
    return [
      this.recordOffset.low, this.timeUs, this.fromClient, this.flags,
      this.seq, this.ack, this.window, this.payloadLength.low, this.anomalies,
    ] as Column<Typed>[];
  }

  /** Bytes held by the columns (for memory reports). */
  byteSize(): number {
    let n = this.frame.byteSize();
    for (const c of this.columns()) for (const ch of c.chunks) n += ch.byteLength;
    for (const c of [this.input, this.recordOffset.high, this.payloadLength.high, this.seenAt, this.ipExtra, this.twin] as SparseColumn<Typed>[]) {
      for (const ch of c.chunks) n += ch?.byteLength ?? 0;
    }
    return n;
  }
}
