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
