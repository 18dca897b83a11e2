/**
 * Per-packet facts in compact typed-array columns, grown in fixed chunks (no copying on growth,
 * no object per packet). About 49 bytes a packet. Packet bytes themselves are not kept: re-read
 * them from the input at `recordOffset`.
 */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

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

/** A column whose chunks are made only when a value is set (for facts few loads have); unset rows read 0. */
class SparseColumn {
  readonly chunks: (Uint32Array | undefined)[] = [];
  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]?.[i & MASK] ?? 0;
  }
  set(i: number, v: number): void {
    const c = i >>> CHUNK_BITS;
    (this.chunks[c] ??= new Uint32Array(CHUNK))[i & MASK] = v;
  }
}

/** Which capture point(s) saw a packet, when two captures of the same traffic are merged. */
export const SEEN_PRIMARY = 1;
export const SEEN_SECONDARY = 2;

export class PacketTable {
  length = 0;
  readonly input = new Column(Uint16Array);
  readonly frame = new Column(Uint32Array);
  readonly recordOffset = new Column(Float64Array);
  readonly timeUs = new Column(Float64Array);
  /** Index of the connection this packet belongs to. */
  readonly conn = new Column(Uint32Array);
  /** 1 when sent by the connection's client, 0 when sent by its server. */
  readonly fromClient = new Column(Uint8Array);
  readonly flags = new Column(Uint16Array);
  readonly seq = new Column(Uint32Array);
  readonly ack = new Column(Uint32Array);
  readonly window = new Column(Uint16Array);
  readonly payloadLength = new Column(Uint32Array);
  /** Bit set of anomalies (see model/anomalies.ts). */
  readonly anomalies = new Column(Uint32Array);
  /** SEEN_PRIMARY | SEEN_SECONDARY; 0 for a single capture point. */
  readonly seenAt = new Column(Uint8Array);
  /** TcpSegment.ipExtraLength, saturated at 255 (Zeek's payload length is payloadLength + this). */
  readonly ipExtra = new Column(Uint8Array);
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

  private columns(): Column<Typed>[] {
    return [
      this.input, this.frame, this.recordOffset, this.timeUs, this.conn, this.fromClient, this.flags,
      this.seq, this.ack, this.window, this.payloadLength, this.anomalies, this.seenAt, this.ipExtra,
    ] as Column<Typed>[];
  }

  /** Bytes held by the columns (for memory reports). */
  byteSize(): number {
    let n = 0;
    for (const c of this.columns()) for (const ch of c.chunks) n += ch.byteLength;
    for (const ch of this.twin.chunks) n += ch?.byteLength ?? 0;
    return n;
  }
}
