/**
 * Text for stdout gathered as UTF-8 in one reused byte buffer (analyze's --json and --ndjson writers, cli/output.ts).
 * Joining records into a batch string and handing that to stdout cost more than making the records: the batch is
 * built as a rope, flattened, then encoded into a new Buffer per write (measured: 400,000 deny records to /dev/null,
 * 0.85 CPU-s that way against 0.40 CPU-s encoding each record straight into this buffer, 0.25 CPU-s of which is
 * making the records). Records can also be written into the buffer as bytes (`bytes`, lib/json-bytes.ts), with no
 * string at all. The buffer is reused only once stdout has called back for it, so a slow or asynchronous stdout never
 * sees it change.
 */
import { JsonBytes } from '../lib/json-bytes';

const SIZE = 1 << 20;

export class TextOut {
  /** The buffer; write records into it as bytes, then call `written`. It grows when one record does not fit. */
  readonly bytes = new JsonBytes(Buffer.allocUnsafe(SIZE), (size) => Buffer.allocUnsafe(size), (s, buf, at) => (buf as Buffer).write(s, at));

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

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
    return this.bytes.n >= SIZE ? this.flush() : undefined;
  }

  private async putAfterFlush(text: string): Promise<void> {
    await this.flush();
    const w = this.bytes;
    if (text.length * 3 <= SIZE) w.n = (w.buf as Buffer).write(text, 0);
    else await this.send(text); // a record bigger than the buffer goes as it is
  }

  /** Writes what was put and waits until stdout is done with it. */
  async flush(): Promise<void> {
    const w = this.bytes;
    if (w.n === 0) return;
    const view = w.buf.subarray(0, w.n);
    w.n = 0;
    await this.send(view);
  }

  private send(chunk: Uint8Array | string): Promise<void> {
    // Errors (a closed pipe) reach the stream's 'error' listeners as with any write; the callback only says when.
    return new Promise<void>((done) => {
      this.out.write(chunk, () => done());
    });
  }
}
