/**
 * The column widths of a table laid out by two threads (cli/threaded-table.ts, cli/table-thread.ts), on shared memory:
 * for each block laid out, the widths its lines were padded to. A block is laid out from the widths of the blocks
 * before it known so far (a guess no wider than the true ones: widths only grow); the main thread, writing the blocks
 * in order, keeps a block whose widths are at least the true ones before it (its bytes are then the one-thread
 * bytes: cli/table-blocks.ts BlockLayout) and lays out again the few others.
 */
export class KnownWidths {
  private readonly words: Int32Array;
  /** `buffer`: shared with the other thread (made by `KnownWidths.shared`), for `blocks` blocks of `cols` columns. */
  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly blocks: number,
    private readonly cols: number,
  ) {
    this.words = new Int32Array(buffer);
  }

  static shared(blocks: number, cols: number): KnownWidths {
    return new KnownWidths(new SharedArrayBuffer(4 * blocks * (cols + 1)), blocks, cols);
  }

  /** The head's widths grown to those of every block before b laid out so far. */
  before(b: number, head: readonly string[]): number[] {
    const w = head.map((h) => h.length);
    const { words, blocks, cols } = this;
    for (let k = 0; k < b; k++) {
      if (!Atomics.load(words, k)) continue;
      for (let i = 0, at = blocks + k * cols; i < cols; i++) if (words[at + i] > w[i]) w[i] = words[at + i];
    }
    return w;
  }

  /** Block b was laid out to `widths` (its lines padded to them). */
  set(b: number, widths: readonly number[]): void {
    const at = this.blocks + b * this.cols;
    for (let i = 0; i < this.cols; i++) this.words[at + i] = widths[i];
    Atomics.store(this.words, b, 1);
  }

  /**
   * Whether block b, laid out, is as the one-thread layout makes it after blocks whose widths are `widths` (each of its
   * widths at least those); if so `widths` become block b's.
   */
  exact(b: number, widths: number[]): boolean {
    const at = this.blocks + b * this.cols;
    if (!Atomics.load(this.words, b)) return false;
    for (let i = 0; i < this.cols; i++) if (this.words[at + i] < widths[i]) return false;
    for (let i = 0; i < this.cols; i++) widths[i] = this.words[at + i];
    return true;
  }
}
