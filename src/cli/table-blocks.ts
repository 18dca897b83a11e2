/**
 * The command line's readable tables (cli/output.ts), written a block of BLOCK rows at a time: each cell padded to
 * its column's width (the widest cell of the rows so far: widths only grow), two spaces between cells, each line's
 * end trimmed - as `cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()` would make it.
 *
 * A block keeps each row of ASCII text (nearly every row) as bytes, its cells run together, and where each cell ends;
 * it is laid out straight into one byte buffer, with no padded copy, line string or block string in between (for
 * 100,000 connections those strings were most of what writing the table allocated, and the ones a block kept alive
 * made the young generation grow by ~20 MB). A row with other characters is kept and laid out as a string. Rows
 * given as numbers are written into the staging buffer by their maker as bytes, cell by cell (DirectRows: the
 * packet connections' rows, cli/store-rows.ts), with no string at all.
 */
import { JsonBytes } from '../lib/json-bytes';

const BLOCK = 4096;

/** Writes bytes to stdout, waiting for it to drain when its buffer is full. */
export const writeBytes = (bytes: Uint8Array) =>
  new Promise<void>((done) => (process.stdout.write(bytes) ? done() : process.stdout.once('drain', done)));

/** Where a row written as bytes goes: its cells' ASCII bytes into `w`, `cell()` after each. */
export interface RowCells {
  readonly w: JsonBytes;
  cell(): void;
}

/**
 * Rows a table gets as numbers: `write` puts row k's cells straight into the block as bytes (no string per cell or
 * row), or returns false, having written nothing, for a row that is not all ASCII; `cells` then gives its cells.
 */
export interface DirectRows {
  write(k: number, row: RowCells): boolean;
  cells(k: number): string[];
}

/**
 * A table of `head` and `rows`, written a block at a time (column widths grow with the rows so far) to `out`
 * (stdout). With a `title`, nothing at all is written when there are no rows. A row given as a number k is
 * `direct`'s row k.
 */
export async function writeBlocks(
  head: string[], rows: Iterable<string[] | number>, title?: string, out: (bytes: Uint8Array) => Promise<void> = writeBytes,
  direct?: DirectRows,
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
  for (const row of rows) {
    if (typeof row === 'number' && block.direct(direct!, row, widths)) {
      if (block.rows >= BLOCK) await flush();
      continue;
    }
    const r = typeof row === 'number' ? direct!.cells(row) : row;
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
class Block implements RowCells {
  rows = 0;
  /** The staging buffer: bytes [0, w.n) are staged. */
  readonly w = new JsonBytes(Buffer.allocUnsafe(1 << 20), (size) => Buffer.allocUnsafe(size));
  // The row being written by direct(): its index, where it starts, its cells so far, the column widths.
  private row = 0;
  private cellAt = 0;
  private cellCount = 0;
  private widths: number[] = [];
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

  /** Row k of `rows` written straight into the block; false (nothing kept) when it is not all ASCII. */
  direct(rows: DirectRows, k: number, widths: number[]): boolean {
    const r = (this.row = this.rows);
    this.rowAt[r] = this.w.n;
    this.cellAt = 0;
    this.cellCount = 0;
    this.widths = widths;
    if (!rows.write(k, this)) {
      this.w.n = this.rowAt[r];
      return false;
    }
    this.at[r] = this.used;
    this.counts[r] = this.cellCount;
    this.used += this.cellCount;
    this.rows++;
    return true;
  }

  /** The end of the direct row's next cell: where the staged bytes are now. */
  cell(): void {
    const end = this.w.n - this.rowAt[this.row];
    const i = this.cellCount++;
    this.room(this.used + this.cellCount);
    this.ends[this.used + i] = end;
    if (end - this.cellAt > this.widths[i]) this.widths[i] = end - this.cellAt;
    this.cellAt = end;
  }

  /** Room in `ends` for `n` cell ends in all. */
  private room(n: number): void {
    if (n <= this.ends.length) return;
    const bigger = new Uint32Array(Math.max(this.ends.length * 2, n));
    bigger.set(this.ends);
    this.ends = bigger;
  }

  add(r: string[]): void {
    const k = this.rows++;
    this.room(this.used + r.length);
    this.at[k] = this.used;
    this.counts[k] = r.length;
    let end = 0;
    for (let i = 0; i < r.length; i++) this.ends[this.used + i] = end += r[i].length;
    this.used += r.length;
    const text = r.join('');
    const w = this.w;
    w.room(text.length * 3);
    const written = (w.buf as Buffer).write(text, w.n);
    this.rowAt[k] = w.n;
    if (written === text.length) w.n += written;
    else this.wide.set(k, text);
  }

  clear(): void {
    this.rows = 0;
    this.w.n = 0;
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
    const stage = this.w.buf;
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
