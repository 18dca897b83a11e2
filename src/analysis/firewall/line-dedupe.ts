/**
 * Exact duplicate lines across inputs (the same lines in two overlapping exports, or a file given twice): a line
 * is a duplicate when another input already had the same message text from the same device at the same time,
 * as often. Within one input identical lines are real repeats (a retransmitted RST denied twice in one second)
 * and all count: the key includes the line's occurrence number among identical lines of its input in that same
 * second. Keys are two 32-bit hashes of the text plus device and time in a PairIndex (no string per line kept).
 */
import { grow } from '../../model/firewall-store';
import { PairIndex } from './pair-index';

export class LineDedupe {
  private readonly index = new PairIndex(1 << 16);
  private owner = new Uint16Array(1 << 16);
  /** Per input: the time its identical-line counts are for, and the counts (by hash) in that time. */
  private readonly perInput: { timeUs: number; counts: Map<number, number> }[] = [];

  private readonly key = new Int32Array(2);

  /** True when this line is a duplicate of one from another input (then it should not count again). */
  seen(input: number, device: string, timeUs: number, text: string, at: number): boolean {
    lineKey(device, timeUs, text, at, this.key);
    return this.seenKey(input, timeUs, this.key[0], this.key[1]);
  }

  /** seen() of a line given by its key (lineKey: the command line's decoder thread hashes the lines it reads). */
  seenKey(input: number, timeUs: number, h1: number, h2: number): boolean {
    const t = Number.isFinite(timeUs) ? timeUs : -1;
    let state = this.perInput[input];
    if (!state) state = this.perInput[input] = { timeUs: t, counts: new Map() };
    if (state.timeUs !== t) {
      state.timeUs = t;
      state.counts.clear();
    }
    const k = state.counts.get(h1) ?? 0;
    state.counts.set(h1, k + 1);
    const a = (h1 >>> 0) * 2097152 + (k & 0x1fffff);
    const b = h2 >>> 0;
    const before = this.index.size;
    const slot = this.index.add(a, b);
    if (this.index.size > before) {
      if (slot >= this.owner.length) this.owner = grow(this.owner, slot + 1);
      this.owner[slot] = input;
      return false;
    }
    return this.owner[slot] !== input;
  }
}

/**
 * The key seen() compares a line by: two 32-bit hashes of its message text (from `at`), its device and its time,
 * into out[0], out[1].
 */
export function lineKey(device: string, timeUs: number, text: string, at: number, out: Int32Array): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
  }
  for (let i = 0; i < device.length; i++) h2 = Math.imul(h2 ^ device.charCodeAt(i), 0x01000193);
  const t = Number.isFinite(timeUs) ? timeUs : -1;
  h2 = Math.imul(h2 ^ (t >>> 0), 0x9e3779b1) ^ ((t / 4294967296) | 0);
  out[0] = h1;
  out[1] = h2;
}
