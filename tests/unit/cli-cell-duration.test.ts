/**
 * cli/cell-text.ts durationUsCell: the duration cell of a whole number of microseconds, written without toFixed under
 * a second, is durationCell's text of us / 1000 ms for every value (checked over every microsecond below a second and
 * around the edges); analysis/conn-store.ts soleInput is inputList's only entry, or -1.
 */
import { describe, expect, it } from 'vitest';
import { durationCell, durationUsCell } from '../../src/cli/cell-text';
import { StringCells } from '../../src/cli/table-blocks';
import { ConnStore } from '../../src/analysis/conn-store';

function cell(write: (c: StringCells) => void): string {
  const c = new StringCells();
  write(c);
  c.end();
  return c.cells[0];
}

describe('durationUsCell', () => {
  it('writes what durationCell writes for us / 1000 ms', () => {
    const values: number[] = [];
    for (let us = 0; us < 1_000_000; us += 7) values.push(us);
    values.push(999_999, 1_000_000, 1_000_001, 59_999_999, 3.6e9 + 1, -1, -1000, 0.5, 999.5, NaN, Infinity, 2 ** 40);
    for (const us of values) expect(cell((c) => durationUsCell(c, us))).toBe(cell((c) => durationCell(c, us / 1000)));
  });
});

describe('ConnStore.soleInput', () => {
  it("is inputList's only entry, else -1", () => {
    const s = new ConnStore(6);
    s.inputs.set([0, 1, 1 << 30, 0b101, 1 << 3, 1]);
    s.moreInputs.set(0, [40]);
    s.moreInputs.set(4, [33]);
    for (let i = 0; i < 6; i++) {
      const list = s.inputList(i);
      expect(s.soleInput(i)).toBe(list.length === 1 ? list[0] : -1);
    }
    expect([0, 1, 2, 3, 4, 5].map((i) => s.soleInput(i))).toEqual([40, 0, 30, -1, -1, 0]);
  });
});
