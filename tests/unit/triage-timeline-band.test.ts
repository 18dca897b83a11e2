/**
 * The deny timeline keeps a band free above its bars for the spike's label (render/triage-chart.ts labelBand): the
 * tallest bucket's bar ends at the band's lower edge, never under the label, and the context lines stay below too.
 */
import { describe, expect, it } from 'vitest';
import { timelineGeometry, type TimelineData } from '../../src/render/triage-chart';
import { DENY_CLASSES } from '../../src/model/firewall-triage';

function data(): TimelineData {
  const count = 40;
  const denies = new Array(count * DENY_CLASSES.length).fill(0);
  // Buckets nearly as high as the tallest across the whole width: a flat flood, where a label drawn over the plot's
  // top would cover bars wherever it stood.
  for (let b = 0; b < count; b++) denies[b * DENY_CLASSES.length] = 140 + (b % 13);
  const builds = Array.from({ length: count }, (_, b) => 300 + b);
  return { startUs: 1_529_452_800e6, bucketUs: 15e6, count, denies, builds, teardowns: builds };
}

const topOf = (path: string) => Math.min(...[...path.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1])));

describe('deny timeline label band', () => {
  it('without a band the bars reach the plot top at 6 px', () => {
    const g = timelineGeometry(data(), 600, 90);
    expect(g.top).toBe(6);
    expect(Math.min(...g.bars.map((b) => b.y))).toBeCloseTo(6, 5);
  });

  it('with a band no bar and no context line rises into it, and the tallest bar still fills the plot', () => {
    const g = timelineGeometry(data(), 600, 90, 14);
    expect(g.top).toBe(20);
    const highest = Math.min(...g.bars.map((b) => b.y));
    expect(highest).toBeCloseTo(20, 5);
    for (const b of g.bars) expect(b.y).toBeGreaterThanOrEqual(20);
    expect(topOf(g.builds)).toBeGreaterThanOrEqual(20);
    expect(g.bottom).toBe(90 - 18);
  });
});
