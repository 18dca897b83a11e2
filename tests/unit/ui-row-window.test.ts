import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_SCROLL_PX, scrollFor, windowRows } from '../../src/ui/row-window';
import { cpuMsSync } from './cpu-time';

/** The scroll range a browser gives: the row group below the header, in a viewport of `height`. */
const maxScroll = (count: number, rowH: number, height: number, offset: number) =>
  Math.max(0, offset + Math.min(count * rowH, MAX_SCROLL_PX) - height);

const arb = fc.record({
  count: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 5_000_000 })),
  rowH: fc.constantFrom(28, 40),
  height: fc.integer({ min: 120, max: 2000 }),
  offset: fc.integer({ min: 0, max: 40 }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('row window', () => {
  it('draws contiguous rows one row height apart that cover the visible part, at any table size', () => {
    fc.assert(fc.property(arb, ({ count, rowH, height, offset, at }) => {
      const scrollTop = Math.floor(at * maxScroll(count, rowH, height, offset));
      const { rows, height: h } = windowRows(count, rowH, { scrollTop, height, offset }, 0);
      expect(h).toBeLessThanOrEqual(MAX_SCROLL_PX);
      if (count === 0) {
        expect(rows).toEqual([]);
        return;
      }
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i].index).toBe(rows[i - 1].index + 1);
        expect(rows[i].top - rows[i - 1].top).toBe(rowH);
      }
      // The visible band of the row group is [scrollTop, scrollTop + height - offset]: covered, unless the table ends.
      const visibleEnd = Math.min(h, scrollTop + height - offset);
      expect(rows[0].top).toBeLessThanOrEqual(scrollTop);
      const last = rows[rows.length - 1];
      if (last.index < count - 1) expect(last.top + rowH).toBeGreaterThanOrEqual(visibleEnd);
      // Compressed, the last row may hang a few px past the end until the scroll reaches the very end.
      else expect(last.top).toBeLessThanOrEqual(h);
      expect(rows.length).toBeLessThanOrEqual(Math.ceil(height / rowH) + 2);
    }));
  });

  it('scrolls a chosen row fully into view and leaves a visible one alone', () => {
    fc.assert(fc.property(arb, fc.double({ min: 0, max: 1, noNaN: true }), ({ count, rowH, height, offset, at }, pick) => {
      if (count === 0) return;
      const scrollTop = Math.floor(at * maxScroll(count, rowH, height, offset));
      const index = Math.min(count - 1, Math.floor(pick * count));
      const to = scrollFor(count, rowH, { scrollTop, height, offset }, index);
      const top = to ?? scrollTop;
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThanOrEqual(maxScroll(count, rowH, height, offset) + 1);
      const { rows } = windowRows(count, rowH, { scrollTop: top, height, offset }, 0);
      const row = rows.find((r) => r.index === index);
      expect(row).toBeDefined();
      expect(row!.top).toBeGreaterThanOrEqual(top - 1);
      expect(row!.top + rowH).toBeLessThanOrEqual(top + Math.max(rowH, height - offset) + 1);
      if (to !== null) return;
      expect(scrollFor(count, rowH, { scrollTop: top, height, offset }, index)).toBeNull();
    }));
  });

  it('keeps a million rows cheap: the window does not grow with the table', () => {
    const { value: { rows, height }, ms } = cpuMsSync(() => windowRows(3_000_000, 28, { scrollTop: 4_000_000, height: 700, offset: 28 }, 8));
    expect(rows.length).toBeLessThan(50);
    expect(height).toBe(MAX_SCROLL_PX);
    expect(rows[0].index).toBeGreaterThan(1_000_000);
    expect(ms).toBeLessThan(50);
  });
});
