/**
 * Time buckets for the deny timeline: a bucket size chosen from the span (seconds to a day, always a "round" step
 * so bucket edges fall on clock boundaries), and the start of a spike in a series of bucket counts.
 */

/** Round bucket sizes, seconds. */
const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** At most this many buckets across the span: wide enough to show when a spike began on a multi-day log. */
export const MAX_BUCKETS = 200;

export interface BucketGrid {
  startUs: number;
  bucketUs: number;
  count: number;
}

/** The smallest round step that covers [fromUs, toUs] in at most MAX_BUCKETS buckets, aligned on that step (UTC). */
export function bucketGrid(fromUs: number, toUs: number): BucketGrid {
  const span = Math.max(0, toUs - fromUs);
  let step = STEPS_S[STEPS_S.length - 1] * 1e6;
  for (const s of STEPS_S) {
    if (span / (s * 1e6) < MAX_BUCKETS) {
      step = s * 1e6;
      break;
    }
  }
  // Longer than MAX_BUCKETS days: whole days, as many as it takes.
  if (span / step >= MAX_BUCKETS) step = Math.ceil(span / MAX_BUCKETS / 86400e6) * 86400e6;
  const startUs = Math.floor(fromUs / step) * step;
  const count = Math.max(1, Math.floor((toUs - startUs) / step) + 1);
  return { startUs, bucketUs: step, count };
}

export interface Spike {
  /** First bucket of the spike. */
  bucket: number;
  /** Mean count per bucket before it and from it on. */
  before: number;
  after: number;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

/**
 * Where the denies rose: the first bucket whose count is at least 3x (plus one) the median of the buckets before it
 * and at least a quarter of the highest bucket. A log that starts in the middle of a flood has its spike in
 * bucket 0. Null when there are no counts. O(n^2 log n) on at most MAX_BUCKETS buckets.
 */
export function findSpike(counts: ArrayLike<number>): Spike | null {
  let max = 0;
  for (let i = 0; i < counts.length; i++) max = Math.max(max, counts[i]);
  if (max <= 0) return null;
  const seen: number[] = [];
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b];
    if (c >= 3 * median(seen) + 1 && c >= max / 4) {
      let after = 0;
      for (let i = b; i < counts.length; i++) after += counts[i];
      const before = seen.reduce((x, y) => x + y, 0);
      return { bucket: b, before: b ? before / b : 0, after: after / (counts.length - b) };
    }
    seen.push(c);
  }
  return null;
}
