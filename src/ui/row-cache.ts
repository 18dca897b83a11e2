/**
 * The flow table's rows kept on the page: windows of rows fetched from the worker (EngineApi.flowRows), held in a
 * bounded cache keyed by table row, and a plan of what to fetch next: first the rows in view, then a window ahead in
 * the direction of scrolling (and the ends of the table, for Home and End), so a user scrolling on finds the rows
 * already there. Plain TypeScript (no React): flow-rows.ts drives it.
 */
import type { FlowColumns } from '../model/flow-table';
import { MAX_WINDOW_ROWS } from '../model/flow-window';

/** Rows fetched on each side of the ones in view, so a short scroll back needs no new window. */
export const PAD = 100;
/** Rows fetched ahead of the view in the direction it last moved (a few screens of a fast scroll). */
export const AHEAD = 1200;
/** Rows kept at each end of the answer shown (Home, End). */
export const ENDS = 60;
/** The most rows the cache keeps (about 70 bytes a row); the windows used least recently go first. */
export const MAX_CACHED = 24_000;

interface Chunk {
  c: FlowColumns;
  /** Rows of this chunk still reached through the index (the others were fetched again since). */
  live: number;
  used: number;
}

interface Slot {
  chunk: Chunk;
  k: number;
}

export class RowCache {
  private readonly index = new Map<number, Slot>();
  private readonly chunks = new Set<Chunk>();
  private clock = 0;

  constructor(private readonly limit = MAX_CACHED) {}

  /** Rows held. */
  get size(): number {
    return this.index.size;
  }

  /** The columns and entry of table row `r`, or null when it is not held. */
  get(r: number): { c: FlowColumns; k: number } | null {
    const s = this.index.get(r);
    return s ? { c: s.chunk.c, k: s.k } : null;
  }

  /** Whether every row at positions first..last of `rows` is held; marks their windows as just used. */
  covers(rows: Uint32Array, first: number, last: number): boolean {
    const now = ++this.clock;
    for (let i = Math.max(0, first); i <= last && i < rows.length; i++) {
      const s = this.index.get(rows[i]);
      if (!s) return false;
      s.chunk.used = now;
    }
    return true;
  }

  /** Keeps the columns `c` of rows `ids` (entry k is row ids[k]), then drops the least recently used windows. */
  add(ids: ArrayLike<number>, c: FlowColumns): void {
    const chunk: Chunk = { c, live: 0, used: ++this.clock };
    for (let k = 0; k < c.count && k < ids.length; k++) {
      const old = this.index.get(ids[k]);
      if (old) this.release(old.chunk);
      this.index.set(ids[k], { chunk, k });
      chunk.live++;
    }
    if (chunk.live) this.chunks.add(chunk);
    this.evict(chunk);
  }

  private release(chunk: Chunk): void {
    if (--chunk.live === 0) this.chunks.delete(chunk);
  }

  private evict(keep: Chunk): void {
    while (this.index.size > this.limit && this.chunks.size > 1) {
      let oldest: Chunk | null = null;
      for (const ch of this.chunks) if (ch !== keep && (!oldest || ch.used < oldest.used)) oldest = ch;
      if (!oldest) return;
      this.chunks.delete(oldest);
      for (const [r, s] of this.index) if (s.chunk === oldest) this.index.delete(r);
    }
  }

  /**
   * The rows of `rows` to fetch next, most wanted first, none held, at most MAX_WINDOW_ROWS: positions first..last
   * (the view), PAD either side, AHEAD past the view in direction `dir` (+1 down, -1 up, 0 none yet), then ENDS at
   * each end of `rows`. `need` says how many of them are in view (the rest are ahead of the user).
   */
  plan(rows: Uint32Array, first: number, last: number, dir: number): { ids: Uint32Array; need: number } {
    const out: number[] = [];
    const seen = new Set<number>();
    const take = (from: number, to: number) => {
      for (let i = Math.max(0, from); i <= to && i < rows.length && out.length < MAX_WINDOW_ROWS; i++) {
        const r = rows[i];
        if (!this.index.has(r) && !seen.has(r)) {
          seen.add(r);
          out.push(r);
        }
      }
    };
    take(first, last);
    const need = out.length;
    take(first - PAD, first - 1);
    take(last + 1, last + PAD);
    if (dir > 0) take(last + PAD + 1, last + AHEAD);
    else if (dir < 0) take(first - AHEAD, first - PAD - 1);
    take(0, ENDS - 1);
    take(rows.length - ENDS, rows.length - 1);
    return { ids: Uint32Array.from(out), need };
  }
}
