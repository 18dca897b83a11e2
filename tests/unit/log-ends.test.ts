/**
 * The summary of connections known only from a firewall log (model/log-ends.ts, render/kind-chart.ts logEndBars,
 * ui/live-table.ts liveLoaded): every teardown reason is counted in exactly one group, the groups occurring are
 * barred in their order with their counts, a bar toggles its reasons in the query, and the table of a load in
 * progress takes all its counts from one progress report.
 */
import { describe, expect, it } from 'vitest';
import { groupOfCode, groupSelected, LOG_END_GROUPS, logEndCounts, toggleGroup } from '../../src/model/log-ends';
import { TEARDOWN_REASON, TEARDOWN_REASONS } from '../../src/model/teardown-reasons';
import { NO_REASON_KIND } from '../../src/model/flow-table';
import { CLOSE_KINDS, KIND_STYLE } from '../../src/model/close-kinds';
import { logEndBars, logEndColumns } from '../../src/render/kind-chart';
import { liveLoaded } from '../../src/ui/live-table';
import type { LoadProgress } from '../../src/engine/api';

const perReason = (counts: Partial<Record<keyof typeof TEARDOWN_REASON | 'open', number>>): Uint32Array => {
  const a = new Uint32Array(256);
  for (const [name, n] of Object.entries(counts)) a[name === 'open' ? NO_REASON_KIND : TEARDOWN_REASON[name as keyof typeof TEARDOWN_REASON]] = n!;
  return a;
};

describe('the ends a firewall log gives its connections', () => {
  it('puts every teardown reason, and no teardown, in exactly one group, coloured as a close kind', () => {
    const codes = LOG_END_GROUPS.flatMap((g) => g.codes);
    expect([...codes].sort((a, b) => a - b)).toEqual([...TEARDOWN_REASONS.keys(), NO_REASON_KIND]);
    for (const code of [...TEARDOWN_REASONS.keys(), NO_REASON_KIND]) expect(groupOfCode(code)).toBeDefined();
    expect(new Set(LOG_END_GROUPS.map((g) => g.key)).size).toBe(LOG_END_GROUPS.length);
    const colours = new Set(CLOSE_KINDS.map((k) => KIND_STYLE[k].colorVar));
    for (const g of LOG_END_GROUPS) expect(colours.has(g.colorVar)).toBe(true);
  });

  it('counts the groups that occur, in order, the timeouts and unknown reasons together', () => {
    const ends = logEndCounts(perReason({ open: 4, fins: 10, 'idle-timeout': 2, 'conn-timeout': 3, other: 1, none: 1, 'reset-outside': 5 }));
    expect(ends.map((e) => [e.group.key, e.count])).toEqual([
      ['fins', 10], ['reset-outside', 5], ['idle-timeout', 5], ['other', 2], ['open', 4],
    ]);
    expect(logEndCounts(new Uint32Array(256))).toEqual([]);
    const { bars, height } = logEndBars(ends, 320);
    expect(bars.map((b) => [b.label, b.count])).toEqual(ends.map((e) => [e.group.label, e.count]));
    expect(bars.every((b) => b.w >= 3 && b.y + b.h <= height + 1e-9)).toBe(true);
    expect(bars[0].w).toBeGreaterThan(bars[3].w); // 10 against 2
  });

  it('toggles a group\'s reasons in the query, leaving the others', () => {
    const idle = LOG_END_GROUPS.find((g) => g.key === 'idle-timeout')!;
    const fins = LOG_END_GROUPS.find((g) => g.key === 'fins')!;
    const on = toggleGroup(idle, undefined);
    expect(on).toEqual(idle.codes);
    expect(groupSelected(idle, on)).toBe(true);
    expect(groupSelected(fins, on)).toBe(false);
    const both = toggleGroup(fins, on);
    expect(both.sort()).toEqual([...idle.codes, TEARDOWN_REASON.fins].sort());
    expect(toggleGroup(idle, both)).toEqual([TEARDOWN_REASON.fins]);
    // Some of a group's reasons in (a share link's query, say): the click adds the rest.
    expect(toggleGroup(idle, [idle.codes[0]]).sort()).toEqual([...idle.codes].sort());
  });

  it('makes the table of a load in progress from one report: its rows, their protocols and their ends', () => {
    const p: LoadProgress = {
      phase: 'reading', file: 'a.log', bytesRead: 10, bytesTotal: 100, packets: 0, connections: 7, liveRows: 7,
      liveProtocols: [6, 17], liveLogEnds: perReason({ fins: 5, open: 2 }),
    };
    const from = { specs: [], example: null, options: {} };
    const l = liveLoaded(p, -3, from);
    expect(l.live).toBe(true);
    expect(l.result.flows.count).toBe(7);
    expect(l.result.flows.kindCounts[255]).toBe(7);
    expect(l.result.flows.protocols).toEqual([6, 17]);
    expect(logEndCounts(l.result.flows.logEnds).map((e) => [e.group.key, e.count])).toEqual([['fins', 5], ['open', 2]]);
    // A report without ends (an engine that counts none): the rows are not said to have ended.
    const bare = liveLoaded({ ...p, liveLogEnds: undefined, liveProtocols: undefined }, -3, from);
    expect(logEndCounts(bare.result.flows.logEnds).map((e) => [e.group.key, e.count])).toEqual([['open', 7]]);
    expect(bare.result.flows.protocols).toEqual([]);
  });
});

describe('a log\'s ends in columns (render/kind-chart.ts logEndColumns)', () => {
  // The first nine groups with a count (the first column filled first: 5 + 4), the others none (left out).
  const codes = LOG_END_GROUPS.flatMap((g) => g.codes);
  const counts = new Float64Array(Math.max(...codes) + 1);
  LOG_END_GROUPS.slice(0, 9).forEach((g, k) => (counts[g.codes[0]] = 1000 * (k + 1)));
  const ends = logEndCounts(counts);
  const shown = ends.filter((e) => e.count > 0);

  it('splits the groups that occur in order, on one scale', () => {
    expect(shown.length).toBe(9);
    const columns = logEndColumns(ends, 210, 14, 5);
    expect(columns.map((c) => c.bars.length)).toEqual([5, 4]);
    expect(columns.flatMap((c) => c.bars.map((b) => b.kind.key))).toEqual(shown.map((e) => e.group.key));
    // One scale: the same count gives the same width in either column, as in one column of all of them.
    const whole = logEndBars(ends, 210, 14);
    const width = new Map(whole.bars.map((b) => [b.kind.key, b.w]));
    for (const c of columns) for (const b of c.bars) expect(b.w).toBeCloseTo(width.get(b.kind.key)!, 9);
    expect(columns[0].height).toBe(5 * 14);
  });

  it('keeps one column when the groups fit', () => {
    expect(logEndColumns(ends, 320, 14, 9).map((c) => c.bars.length)).toEqual([9]);
    expect(logEndColumns([], 320, 14, 5)).toEqual([{ bars: [], height: 14 }]);
  });
});
