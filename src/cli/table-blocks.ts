/**
 * The command line's readable tables (cli/output.ts), written a block of BLOCK rows at a time: each cell padded to
 * its column's width (the widest cell of the rows so far: widths only grow), two spaces between cells, each line's
 * end trimmed - as `cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()` would make it.
 *
 * A block keeps each row of ASCII text (nearly every row) as bytes, its cells run together, and where each cell ends;
 * it is laid out straight into one byte buffer, with no padded copy, line string or block string in between (for
 * 100,000 connections those strings were most of what writing the table allocated, and the ones a block kept alive
 * made the young generation grow by ~20 MB). A row with other characters is kept and laid out as a string.
 */
const BLOCK = 4096;

/** Writes bytes to stdout, waiting for it to drain when its buffer is full. */
export const writeBytes = (bytes: Uint8Array) =>
  new Promise<void>((done) => (process.stdout.write(bytes) ? done() : process.stdout.once('drain', done)));

/**
 * A table of `head` and `rows`, written a block at a time (column widths grow with the rows so far) to `out`
 * (stdout). With a `title`, nothing at all is written when there are no rows.
 */
export async function writeBlocks(
  head: string[], rows: Iterable<string[]>, title?: string, out: (bytes: Uint8Array) => Promise<void> = writeBytes,
): Promise<void> {
  const widths = head.map((h) => h.length);
  const block = new Block(head.length);
  let headDone = false;
  const flush = async () => {
    if (title !== undefined && !headDone && !block.rows) return;
    const bytes = block.layout(widths, headDone ? null : head, title ?? '');
    headDone = true;
    block.clear();
    await out(bytes);
  };
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) if (r[i].length > widths[i]) widths[i] = r[i].length;
    block.add(r);
    if (block.rows >= BLOCK) await flush();
  }
  await flush();
}

/**
 * The rows of a block, kept as bytes until the block is laid out: an ASCII row as its cells run together in one
 * staging buffer (so no string per row lives until the block is written), the rare other row as that string.
 */
class Block {
  rows = 0;
  private stage = Buffer.allocUnsafe(1 << 20);
  private staged = 0;
  /** Row k's cells end at ends[at[k] + i] (characters from the row's start); its bytes start at rowAt[k]. */
  private at = new Uint32Array(BLOCK + 1);
  private counts = new Uint8Array(BLOCK);
  private rowAt = new Uint32Array(BLOCK);
  private ends: Uint32Array;
  private used = 0;
  /** Rows that are not ASCII, by index: their text. */
  private readonly wide = new Map<number, string>();

  constructor(private readonly cells: number) {
    this.ends = new Uint32Array(BLOCK * cells);
  }

  add(r: string[]): void {
    const k = this.rows++;
    if (this.used + r.length > this.ends.length) {
      const bigger = new Uint32Array(Math.max(this.ends.length * 2, this.used + r.length));
      bigger.set(this.ends);
      this.ends = bigger;
    }
    this.at[k] = this.used;
    this.counts[k] = r.length;
    let end = 0;
    for (let i = 0; i < r.length; i++) this.ends[this.used + i] = end += r[i].length;
    this.used += r.length;
    const text = r.join('');
    if (this.staged + text.length * 3 > this.stage.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.stage.length * 2, this.staged + text.length * 3));
      this.stage.copy(bigger, 0, 0, this.staged);
      this.stage = bigger;
    }
    const written = this.stage.write(text, this.staged);
    this.rowAt[k] = this.staged;
    if (written === text.length) this.staged += written;
    else this.wide.set(k, text);
  }

  clear(): void {
    this.rows = 0;
    this.staged = 0;
    this.used = 0;
    this.wide.clear();
  }

  /** The block's lines as bytes: `title` and the head line first when given, then every row. */
  layout(widths: number[], head: string[] | null, title: string): Buffer {
    let lineMax = 1; // the longest a padded ASCII line can be, newline included
    for (const w of widths) lineMax += w + 2;
    let buf: Buffer = Buffer.allocUnsafe(Buffer.byteLength(title) + (this.rows + 1) * lineMax);
    let pos = buf.write(title, 0);
    if (head) {
      const ends = new Uint32Array(head.length);
      for (let i = 0, end = 0; i < head.length; i++) ends[i] = end += head[i].length;
      pos += buf.write(lineText(head.join(''), ends, 0, head.length, widths), pos);
      buf[pos++] = 10;
    }
    for (let k = 0; k < this.rows; k++) {
      const n = this.counts[k];
      const at = this.at[k];
      const text = this.wide.get(k);
      const need = lineMax + (text ? text.length * 3 : 0);
      if (pos + need > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + need));
        buf.copy(bigger, 0, 0, pos);
        buf = bigger;
      }
      if (text !== undefined) pos += buf.write(lineText(text, this.ends, at, n, widths), pos);
      else pos = this.placeRow(buf, pos, k, n, at, widths);
      buf[pos++] = 10;
    }
    return buf.subarray(0, pos);
  }

  /** ASCII row k from the staging buffer into `buf` at `pos`, padded; returns where the line ends (trimmed). */
  private placeRow(buf: Buffer, pos: number, k: number, n: number, at: number, widths: number[]): number {
    const stage = this.stage;
    const ends = this.ends;
    const base = this.rowAt[k];
    const start = pos;
    let from = 0;
    for (let i = 0; i < n; i++) {
      const to = ends[at + i];
      for (let b = base + from; b < base + to; b++) buf[pos++] = stage[b];
      if (i < n - 1) for (let pad = widths[i] - (to - from) + 2; pad > 0; pad--) buf[pos++] = 32;
      from = to;
    }
    // trimEnd: ASCII whitespace is tab to carriage return and space.
    while (pos > start && (buf[pos - 1] === 32 || (buf[pos - 1] >= 9 && buf[pos - 1] <= 13))) pos--;
    return pos;
  }
}

/** The same line as a string (cells padded, two spaces between, end trimmed). */
function lineText(text: string, ends: Uint32Array, at: number, n: number, widths: number[]): string {
  let s = '';
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = ends[at + i];
    s += i ? `  ${text.slice(from, to)}` : text.slice(from, to);
    if (widths[i] > to - from) s += ' '.repeat(widths[i] - (to - from));
    from = to;
  }
  return s.trimEnd();
}
