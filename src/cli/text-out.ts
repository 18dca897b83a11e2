/**
 * Text for stdout gathered as UTF-8 in one reused byte buffer (analyze's --json and --ndjson writers, and the readable
 * table's blocks copied in: cli/output.ts).
 * Joining records into a batch string and handing that to stdout cost more than making the records: the batch is
 * built as a rope, flattened, then encoded into a new Buffer per write (measured: 400,000 deny records to /dev/null,
 * 0.85 CPU-s that way against 0.40 CPU-s encoding each record straight into this buffer, 0.25 CPU-s of which is
 * making the records). Records can also be written into the buffer as bytes (`bytes`, lib/json-bytes.ts), with no
 * string at all. The buffer is reused only once stdout has called back for it, so a slow or asynchronous stdout never
 * sees it change (cli/stdout.ts toStdout). There are two buffers: records go into one while the other is being
 * written (toStdoutBehind writes on another thread), so making records and write(2) overlap.
 */
import { isAscii } from 'node:buffer';
import { JsonBytes } from '../lib/json-bytes';
import { toStdoutBehind, type Out } from './stdout';

const SIZE = 1 << 20;
const DONE = Promise.resolve();

export class TextOut {
  /** The buffer; write records into it as bytes, then call `written`. It grows when one record does not fit. */
  readonly bytes = nodeJsonBytes(Buffer.allocUnsafe(SIZE));

  /** The other buffer: free once `pending` resolves (null until the first hand-over). */
  private spare: Uint8Array | null = null;
  /** The write of the last chunk handed over (its rejection is seen by the next await of it, not as unhandled). */
  private pending: Promise<void> = DONE;

  /** `out`: where the chunks go (in order; a writer that flushed may send its own chunks there: cli/threaded-write.ts). */
  constructor(readonly out: Out = toStdoutBehind) {}

  /** Adds text: undefined when it went into the buffer, else a promise to await before the next put. */
  put(text: string): Promise<void> | undefined {
    const w = this.bytes;
    // At most 3 bytes per UTF-16 unit: a text that fits that way fits whole.
    if (text.length * 3 <= SIZE - w.n) {
      w.n += (w.buf as Buffer).write(text, w.n);
      return undefined;
    }
    return this.putAfterFlush(text);
  }

  /** After bytes were written into `bytes`: undefined, or (the buffer is full) a promise to await before the next put. */
  written(): Promise<void> | undefined {
    return this.bytes.n >= SIZE ? this.handOver() : undefined;
  }

  /**
   * Copies a chunk whole into the buffer (text, or bytes the caller may reuse once the chunk is copied): undefined
   * when it was copied, or a promise (resolved once it was, and the buffer is not full) to await before the next and
   * before reusing the chunk's bytes, as with any Out. A chunk that does not fit after what was put goes
   * into the other buffer, which grows to hold a chunk bigger than it. The readable table's blocks come this way
   * (cli/output.ts writeTable), so their write(2) is on the other thread too, at the cost of a copy.
   */
  copy(chunk: Uint8Array | string): Promise<void> | undefined {
    if (typeof chunk === 'string') return this.put(chunk);
    if (this.bytes.n + chunk.length > SIZE && this.bytes.n > 0) return this.copyAfterFlush(chunk);
    this.bytes.raw(chunk);
    return this.written();
  }

  private async copyAfterFlush(chunk: Uint8Array): Promise<void> {
    await this.handOver();
    this.bytes.raw(chunk);
    await this.written();
  }

  private async putAfterFlush(text: string): Promise<void> {
    await this.handOver();
    const w = this.bytes;
    if (text.length * 3 <= SIZE) w.n = (w.buf as Buffer).write(text, 0);
    else {
      await this.pending;
      await this.send(text); // a record bigger than the buffer goes as it is
    }
  }

  /**
   * Hands what was put to stdout and goes on in the other buffer, once stdout is done with that one (the chunk
   * before): at most one chunk is being written, and chunks are written in order.
   */
  private async handOver(): Promise<void> {
    const w = this.bytes;
    if (w.n === 0) return;
    await this.pending;
    const full = w.buf;
    this.pending = this.send(full.subarray(0, w.n));
    this.pending.catch(() => {});
    w.buf = this.spare ?? Buffer.allocUnsafe(SIZE);
    w.n = 0;
    this.spare = full;
  }

  /** Writes what was put and waits until stdout is done with it. */
  async flush(): Promise<void> {
    await this.handOver();
    await this.pending;
  }

  private send(chunk: Uint8Array | string): Promise<void> {
    return this.out(chunk);
  }
}

/** A JsonBytes over a Node Buffer (its faster string writes and checks); `alloc` makes the bigger buffers. */
export function nodeJsonBytes(buf: Buffer, alloc: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size)): JsonBytes {
  return new JsonBytes(buf, alloc, (s, b, at) => (b as Buffer).write(s, at), plainJson);
}

/** The buffer's bytes as 32-bit words (plainJson), made again when the buffer is another. */
let words: Uint32Array = new Uint32Array(0);

/**
 * JsonBytes' check of a long string's bytes (lib/json-bytes.ts plainBytes) with Node's native ones: ASCII (isAscii)
 * without `"` or `\` (indexOf), then no control character, tested 4 bytes at a time (an ASCII byte is below 0x20 when
 * adding 0x60 leaves its top bit clear; no carry crosses bytes). An explanation of ~700 bytes per connection is
 * checked so in about half the time of a loop over its bytes. DEL (0x7f) passes here and not there: JSON.stringify
 * writes it as it is, so the text is the same either way.
 */
function plainJson(buf: Uint8Array, start: number, end: number): boolean {
  const v = (buf as Buffer).subarray(start, end);
  if (!isAscii(v) || v.indexOf(34) >= 0 || v.indexOf(92) >= 0) return false;
  const base = buf.byteOffset;
  let i = start;
  for (; i < end && ((base + i) & 3) !== 0; i++) if (buf[i] < 32) return false;
  const last = (base + end) >>> 2;
  if (words.buffer !== buf.buffer) words = new Uint32Array(buf.buffer, 0, buf.buffer.byteLength >>> 2);
  let all = -1;
  for (let w = (base + i) >>> 2; w < last; w++) all &= words[w] + 0x60606060;
  if ((all & 0x80808080) !== (0x80808080 | 0)) return false;
  for (i = Math.max(i, (last << 2) - base); i < end; i++) if (buf[i] < 32) return false;
  return true;
}
