/**
 * How the log spelled each normalised teardown reason (model/teardown-reasons.ts): per reason code, the names ids of
 * the spellings its Teardowns came with, in the order first seen. A decoder gives its own words (the ASA's "TCP FINs",
 * FortiGate's `close`), so a log of one vendor has one spelling per reason and a load of two vendors' logs two
 * ("TCP FINs / close" in the triage). Reasons no decoder knew ('none', 'other*': asWritten) are not kept: they are
 * listed by their text as written.
 */
import { NONE } from '../../model/names';
import { TEARDOWN_REASONS } from '../../model/teardown-reasons';

const KEPT = Uint8Array.from(TEARDOWN_REASONS, (r) => (r.asWritten ? 0 : 1));

export class ReasonSpellings {
  private readonly byCode: number[][] = TEARDOWN_REASONS.map(() => []);
  /** Per code, the spelling last noted (one compare per Teardown while it stays the same). */
  private readonly last = new Float64Array(TEARDOWN_REASONS.length).fill(-1);

  /** A Teardown's reason: its code, the decoder's spelling (NONE: the text as written, `text`, is its spelling). */
  note(code: number, spelling: number, text: number): void {
    const id = spelling !== NONE ? spelling : text;
    if (this.last[code] === id || !KEPT[code] || id === NONE) return;
    this.last[code] = id;
    const list = this.byCode[code];
    if (!list.includes(id)) list.push(id);
  }

  /** The names ids of reason `code`'s spellings, first seen first (empty for a reason listed as written). */
  of(code: number): readonly number[] {
    return this.byCode[code] ?? [];
  }
}
