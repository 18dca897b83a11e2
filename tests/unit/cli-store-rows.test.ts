/**
 * The readable table writes packet connections' rows as bytes straight from the store (cli/store-rows.ts): the table
 * must be the same text as the one made from every connection's report (output.ts row()). Inputs: every capture
 * under tests/fixtures, two capture points loaded together (merged connections), a capture stamped past the date
 * range (its start is not ASCII: that row takes the string path) and the bench generator's capture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { writeTable } from '../../src/cli/output';
import { generatePcap } from '../../bench/gen/generate';
import { farFuturePcapng } from './hostile-inputs';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const CAPTURE = /\.(pcap|pcapng|cap|snoop)(\.gz)?$/;

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...captures(p));
    else if (CAPTURE.test(e.name)) out.push(p);
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

/** What writeTable prints for `connections`. */
async function table(s: AnalysisSession, connections: Iterable<never> | AnalysisSession['reports']): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(((b: string | Uint8Array, done?: () => void) => {
    out += typeof b === 'string' ? b : Buffer.from(b).toString();
    if (typeof done === 'function') queueMicrotask(done);
    return true;
  }) as typeof process.stdout.write);
  await writeTable({ inputs: s.inputs, summary: s.summary }, connections);
  vi.restoreAllMocks();
  return out;
}

async function same(files: string[] | Uint8Array): Promise<number> {
  const sources = files instanceof Uint8Array
    ? [createBytesSource('far-future.pcapng', files)]
    : files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(f))));
  const s = await analyzeSources(sources);
  const direct = await table(s, s.reports);
  expect(direct).toBe(await table(s, s.reports.toArray() as never));
  return s.reports.length;
}

describe('table rows as bytes from the store', () => {
  it('every fixture capture: the same table as from the reports', async () => {
    let rows = 0;
    for (const f of captures(FIXTURES)) rows += await same([f]);
    expect(rows).toBeGreaterThan(100);
  }, 60_000);

  it('two capture points, and a start past the date range', async () => {
    expect(await same(captures(join(FIXTURES, 'two-points')))).toBeGreaterThan(0);
    expect(await same(farFuturePcapng())).toBe(1);
  });

  it("the bench generator's capture", async () => {
    const file = join(import.meta.dirname, '../out/store-rows.pcap');
    generatePcap(file, { mb: 2, conns: 300, seed: 5 });
    expect(await same([file])).toBeGreaterThan(250);
  });
});
