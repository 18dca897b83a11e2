/**
 * The command line's readable tables (cli/output.ts), written a block of BLOCK rows at a time: each cell padded to
 * its column's width (the widest cell of the rows so far: widths only grow), two spaces between cells, each line's
 * end trimmed - as `cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()` would make it.
 *
 * A block keeps each row of ASCII text (nearly every row) as bytes, its cells run together, and where each cell ends;
 * it is laid out straight into one byte buffer, with no padded copy, line string or block string in between (for
 * 100,000 connections those strings were most of what writing the table allocated, and the ones a block kept alive
 * made the young generation grow by ~20 MB). A table's rows are written cell by cell (TableRows: each table's columns
 * declared once, cli/connection-columns.ts, cli/deny-columns.ts) straight into the staging buffer as bytes, with no
 * string at all; a row with text that is not printable ASCII (names from a file, a time past the date range) is
 * written again by the same columns as strings (StringCells) and laid out as a string.
 */
import { JsonBytes } from '../lib/json-bytes';
import { isoTime } from '../model/report';
import { ipv4Bytes } from './cell-bytes';
import { IsoBytes } from '../model/iso-bytes';
import { toStdout, type Out } from './stdout';

const BLOCK = 4096;

/**
 * Where a table row's cells are written: each cell's text, then `end()`. The block writes them as bytes; a row with
 * text that is not printable ASCII is written again into StringCells.
 */
export interface Cells {
  /** Printable ASCII text (fixed words, numbers and times made here). */
  ascii(s: string): void;
  /** Text that may hold any character (names, addresses, file names from an input). */
  text(s: string): void;
  /** A number as String(v) prints it. */
  num(v: number): void;
  /** One printable ASCII character by code. */
  byte(c: number): void;
  /** Printable ASCII text as bytes (cell-text.ts AsciiCache: names and file names made into bytes once). */
  bytes(b: Uint8Array): void;
  /** An IPv4 address (uint32) in dotted form. */
  ipv4(code: number): void;
  /** A time in microseconds as model/report.ts isoTime prints it. */
  time(us: number): void;
  /** Ends the cell. */
  end(): void;
}

/** A table: its columns' heads, how many rows, and row k's cells written into `cells` (every column, end() after each). */
export interface TableRows {
  readonly head: readonly string[];
  readonly count: number;
  write(k: number, cells: Cells): void;
}

/** A row's cells as strings: the way of a row the block cannot keep as bytes. */
export class StringCells implements Cells {
  cells: string[] = [];
  private cur = '';
  ascii(s: string): void {
    this.cur += s;
  }
  text(s: string): void {
    this.cur += s;
  }
  num(v: number): void {
    this.cur += String(v);
  }
  byte(c: number): void {
    this.cur += String.fromCharCode(c);
  }
  bytes(b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) this.cur += String.fromCharCode(b[i]);
  }
  ipv4(code: number): void {
    this.cur += `${code >>> 24}.${(code >>> 16) & 255}.${(code >>> 8) & 255}.${code & 255}`;
  }
  time(us: number): void {
    this.cur += isoTime(us);
  }
  end(): void {
    this.cells.push(this.cur);
    this.cur = '';
  }
}

/**
 * The table `rows`, written a block at a time (column widths grow with the rows so far) to `out` (stdout; it must be
 * done with the bytes when its promise resolves). With a `title`, nothing at all is written when there are no rows.
 */
export async function writeBlocks(rows: TableRows, title?: string, out: Out = toStdout, size = BLOCK): Promise<void> {
  const head = rows.head;
  const widths = head.map((h) => h.length);
  const block = new Block(head.length, size);
  let headDone = false;
  const flush = async () => {
    if (title !== undefined && !headDone && !block.rows) return;
    const bytes = block.layout(widths, headDone ? null : head, headDone ? '' : (title ?? ''));
    headDone = true;
    await out(bytes);
    block.clear();
  };
  for (let k = 0; k < rows.count; k++) {
    block.write(rows, k, widths);
    if (block.rows >= size) await flush();
  }
  await flush();
}

/**
 * A table's blocks laid out one at a time in any order, each from the widths it is given (for a table written by two
 * threads: cli/threaded-table.ts): block b is rows [b * size, (b + 1) * size), block 0 with `title` and the head
 * line. Given the widths writeBlocks has after the blocks before it, the bytes are writeBlocks' bytes of block b.
 */
export class BlockLayout {
  private readonly block: Block;
  constructor(
    private readonly rows: TableRows,
    private readonly title: string,
    readonly size = BLOCK,
  ) {
    this.block = new Block(rows.head.length, size);
  }

  /** Blocks in the table. */
  get blocks(): number {
    return Math.ceil(this.rows.count / this.size);
  }

  /** Block b's lines from `widths`, which grow to the block's own (as writeBlocks'); good until the next call. */
  layout(b: number, widths: number[]): Uint8Array {
    const block = this.block;
    block.clear();
    for (let k = b * this.size, end = Math.min(this.rows.count, k + this.size); k < end; k++) block.write(this.rows, k, widths);
    return b ? block.layout(widths, null, '') : block.layout(widths, this.rows.head, this.title);
  }
}

/**
 * The rows of a block, laid out as they are written: each ASCII cell straight into one staging buffer, padded to its
 * column's width so far, each line's end trimmed and its newline added, so that a block is written as it stands
 * (no copy). A column that grows at a row of the block after its first leaves the rows before it padded narrower:
 * the block is then laid out again from where each cell's text is (`stale`; the first blocks, and a block with a
 * wider cell than any before). The rare row that is not ASCII is made as strings (StringCells) and laid out as text.
 * The staging buffer holds spaces wherever no text is (filled again once a block is written), so a cell's padding
 * is only a step past it.
 */
class Block implements Cells {
  rows = 0;
  /** The staging buffer: bytes [0, w.n) are the block's lines, every byte after them a space. */
  readonly w = new JsonBytes(Buffer.alloc(1 << 20, 32), (size) => Buffer.alloc(size, 32));
  /** Where text a row wrote past w.n ends (text() stopped at a character that is not ASCII): spaces again after. */
  private dirty = 0;
  /** time()'s text of the last second written. */
  private readonly times = new IsoBytes(false);
  /**
   * The lines of a block laid out again (or with its title and head), reused block after block (written out before
   * the next block is laid out): a new buffer per block stayed alive until a collection found it.
   */
  private lines: Buffer = Buffer.allocUnsafe(1 << 20);
  // The row being written: its index, where its cell starts, its cells so far, the column widths, whether it is not ASCII.
  private row = 0;
  private cellAt = 0;
  private cellCount = 0;
  private widths: number[] = [];
  private wideRow = false;
  /** A column grew after the block's first row: the rows before it are padded narrower (laid out again). */
  private stale = false;
  /**
   * Row k's cells are at bytes [starts[at[k] + i], ends[at[k] + i]) of the staging buffer (cut at the trimmed line
   * end); a row that is not ASCII has its text in `wide` and its cells end at ends[at[k] + i] characters into it.
   */
  private at: Uint32Array;
  private counts: Uint8Array;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private used = 0;
  /** Rows that are not ASCII, by index: their text. */
  private readonly wide = new Map<number, string>();

  /** `cells` per row (at most), `size` rows. */
  constructor(private readonly cells: number, size: number) {
    this.at = new Uint32Array(size + 1);
    this.counts = new Uint8Array(size);
    this.starts = new Uint32Array(size * cells);
    this.ends = new Uint32Array(size * cells);
  }

  /** Row k of `rows` written into the block: as bytes, or (text not all printable ASCII) as strings. */
  write(rows: TableRows, k: number, widths: number[]): void {
    const r = (this.row = this.rows);
    const w = this.w;
    const rowStart = w.n;
    this.cellAt = rowStart;
    this.cellCount = 0;
    this.widths = widths;
    this.wideRow = false;
    this.room(this.used + this.cells); // a row has at most a cell per column
    rows.write(k, this);
    if (this.wideRow) {
      (w.buf as Buffer).fill(32, rowStart, Math.max(w.n, this.dirty));
      w.n = rowStart;
      const s = new StringCells();
      rows.write(k, s);
      const cells = s.cells;
      for (let i = 0; i < cells.length; i++) {
        if (cells[i].length <= widths[i]) continue;
        widths[i] = cells[i].length;
        if (r > 0) this.stale = true;
      }
      this.add(cells, widths);
      return;
    }
    // trimEnd (ASCII whitespace is tab to carriage return and space), the cells cut there, then the newline.
    w.room(1);
    const buf = w.buf;
    let n = w.n;
    while (n > rowStart && (buf[n - 1] === 32 || (buf[n - 1] >= 9 && buf[n - 1] <= 13))) n--;
    const at = this.used;
    for (let i = at + this.cellCount - 1; i >= at && this.ends[i] > n; i--) {
      this.ends[i] = n;
      if (this.starts[i] > n) this.starts[i] = n;
    }
    buf[n] = 10;
    w.n = n + 1;
    this.at[r] = at;
    this.counts[r] = this.cellCount;
    this.used += this.cellCount;
    this.rows++;
  }

  ascii(s: string): void {
    this.w.ascii(s);
  }

  text(s: string): void {
    const w = this.w;
    w.room(s.length);
    const buf = w.buf;
    let n = w.n;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126) {
        this.wideRow = true; // written again as strings
        if (n > this.dirty) this.dirty = n;
        return;
      }
      buf[n++] = c;
    }
    w.n = n;
  }

  num(v: number): void {
    if (v >= 0 && v <= 0xffffffff && v === Math.floor(v)) this.w.num(v);
    else this.w.ascii(String(v));
  }

  byte(c: number): void {
    this.w.byte(c);
  }

  bytes(b: Uint8Array): void {
    this.w.raw(b);
  }

  ipv4(code: number): void {
    ipv4Bytes(this.w, code);
  }

  time(us: number): void {
    if (!this.times.write(this.w, us)) this.text(isoTime(us));
  }

  /** The end of the row's next cell: where the staged bytes are now; the cell padded to its column's width and two spaces. */
  end(): void {
    const w = this.w;
    const i = this.cellCount++;
    const k = this.used + i;
    this.starts[k] = this.cellAt;
    this.ends[k] = w.n;
    if (!this.wideRow) {
      const len = w.n - this.cellAt;
      if (len > this.widths[i]) {
        this.widths[i] = len;
        if (this.row > 0) this.stale = true;
      }
      const pad = this.widths[i] - len + 2;
      w.room(pad);
      w.n += pad; // spaces already
    }
    this.cellAt = w.n;
  }

  /** Room in `starts`/`ends` for `n` cells in all. */
  private room(n: number): void {
    if (n <= this.ends.length) return;
    const size = Math.max(this.ends.length * 2, n);
    const starts = new Uint32Array(size);
    const ends = new Uint32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  /** A row as strings, laid out now with the widths so far (laid out again if the block goes stale). */
  private add(r: string[], widths: number[]): void {
    const k = this.rows++;
    this.room(this.used + r.length);
    this.at[k] = this.used;
    this.counts[k] = r.length;
    let end = 0;
    for (let i = 0; i < r.length; i++) this.ends[this.used + i] = end += r[i].length;
    const text = r.join('');
    this.wide.set(k, text);
    const line = lineText(text, this.ends, this.used, r.length, widths);
    this.used += r.length;
    const w = this.w;
    w.room(line.length * 3 + 1);
    w.n += (w.buf as Buffer).write(line, w.n);
    w.buf[w.n++] = 10;
  }

  /** Once the block's bytes are written: empty, the staging buffer all spaces again. */
  clear(): void {
    this.rows = 0;
    (this.w.buf as Buffer).fill(32, 0, Math.max(this.w.n, this.dirty));
    this.dirty = 0;
    this.w.n = 0;
    this.used = 0;
    this.stale = false;
    this.wide.clear();
  }

  /** The block's lines as bytes: `title` and the head line first when given, then every row. */
  layout(widths: number[], head: readonly string[] | null, title: string): Uint8Array {
    const stage = this.w.buf as Buffer;
    if (!this.stale && !head && !title) return stage.subarray(0, this.w.n);
    let lineMax = 1; // the longest a padded ASCII line can be, newline included
    for (const w of widths) lineMax += w + 2;
    const size = Buffer.byteLength(title) + lineMax + (this.stale ? this.rows * lineMax : this.w.n);
    if (this.lines.length < size) this.lines = Buffer.allocUnsafe(size);
    let buf = this.lines;
    let pos = buf.write(title, 0);
    if (head) {
      const ends = new Uint32Array(head.length);
      for (let i = 0, end = 0; i < head.length; i++) ends[i] = end += head[i].length;
      pos += buf.write(lineText(head.join(''), ends, 0, head.length, widths), pos);
      buf[pos++] = 10;
    }
    if (!this.stale) return buf.subarray(0, pos + stage.copy(buf, pos, 0, this.w.n));
    for (let k = 0; k < this.rows; k++) {
      const n = this.counts[k];
      const at = this.at[k];
      const text = this.wide.get(k);
      const need = lineMax + (text ? text.length * 3 : 0);
      if (pos + need > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + need));
        buf.copy(bigger, 0, 0, pos);
        buf = this.lines = bigger;
      }
      if (text !== undefined) pos += buf.write(lineText(text, this.ends, at, n, widths), pos);
      else pos = this.placeRow(buf, pos, n, at, widths);
      buf[pos++] = 10;
    }
    return buf.subarray(0, pos);
  }

  /** An ASCII row (its cells at starts/ends from `at`) from the staging buffer into `buf` at `pos`, padded; returns where the line ends (trimmed). */
  private placeRow(buf: Buffer, pos: number, n: number, at: number, widths: number[]): number {
    const stage = this.w.buf;
    const start = pos;
    for (let i = 0; i < n; i++) {
      const from = this.starts[at + i];
      const to = this.ends[at + i];
      for (let b = from; b < to; b++) buf[pos++] = stage[b];
      if (i < n - 1) for (let pad = widths[i] - (to - from) + 2; pad > 0; pad--) buf[pos++] = 32;
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
