/**
 * V8 grows its young generation (to 16 MB a semi-space, 32 MB in all) once enough objects have outlived young
 * collections, however few at a time. Writing 100,000 connections makes a report and a JSON text for each, short-lived
 * but built one after another for seconds, so the young generation grew from the ~4 MB the analysis had left it to
 * its maximum while the output was written: about 25 MB of --ndjson's and --json's peak memory on the 1 GB bench
 * capture (0.19x the file, against 0.17x held at the analysis' size), for no measurable speed.
 * From the first byte of a large output on, it keeps the size it has (V8's growth factor 1: a flag V8 reads at each
 * growth, so setting it while running takes effect).
 */
import { createRequire } from 'node:module';

/** Below this many connections and denies the output is over before the young generation grows: node:v8 is not even loaded. */
const LARGE = 10_000;

export function holdYoungGeneration(connections: number): void {
  if (connections < LARGE) return;
  try {
    // Loaded here, not at start: node:v8 costs a tiny run a few milliseconds.
    const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
    v8.setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    // Only memory is at stake.
  }
}

/** Inputs this big (bytes in all) are read with the young generation held at HELD_NEW_SPACE_MB. */
const BIG_INPUT = 64 << 20;
/** New space (both semi-spaces) it is held at: V8's default grows it to 32 MB. */
const HELD_NEW_SPACE_MB = 8;

/**
 * For reading big inputs: a progress callback that holds the young generation once it has grown to
 * HELD_NEW_SPACE_MB (it grows by doubling from 2 MB; held at once it would stay at 2 MB, and the many more young
 * collections cost CPU). Decoding a big log makes short-lived strings for seconds, and V8 grew its young generation
 * to its 32 MB maximum while doing so; held at 8 MB, the 852 MB bench log's peak memory is ~26 MB lower with the same
 * CPU time (measured with --max-semi-space-size=4: 410 -> 384 MB, 17.4 -> 17.3 CPU-s). Undefined for smaller inputs.
 */
export function youngGenerationWatch(inputBytes: number): (() => void) | undefined {
  if (inputBytes < BIG_INPUT) return undefined;
  let v8: typeof import('node:v8');
  try {
    v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  } catch {
    return undefined;
  }
  let held = false;
  return () => {
    if (held) return;
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (!space || space.space_size < HELD_NEW_SPACE_MB << 20) return;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    held = true;
  };
}
