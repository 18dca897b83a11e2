// Issue 15: every decoder, share links, lessons and URL fragments under mutation (tests/unit/hostile-fuzz.ts).
// CI runs FUZZ_N mutants per target (default 200); `npx tsx bench/hostile/fuzz.ts` runs 10,000 per target.
import { describe, expect, it } from 'vitest';
import { fuzz, TARGETS } from './hostile-fuzz';

const N = Number(process.env.FUZZ_N ?? 200);

describe('mutation fuzz', () => {
  for (const target of TARGETS) {
    it(`${target}: ${N} mutants, none throws, hangs or breaks a limit`, async () => {
      const r = await fuzz(target, N, 15, 10_000);
      expect(r.failures.slice(0, 5)).toEqual([]);
    });
  }
});
