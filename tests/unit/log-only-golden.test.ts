/**
 * Log-only connections and denies, as `analyze --ndjson` writes them and as the page reads them, held to a golden
 * output (tests/fixtures/asa/log-only-cases.ndjson, see PROVENANCE.md): the seed's real ASA log and hand-written
 * lines for the odd cases (IPv6 written uncompressed, UDP and ICMP connections, a Teardown before its Built or
 * alone, a duration past Date's range, names needing escapes, more denies than a report lists).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { denyRecordMaker } from '../../src/engine/firewall-records';

const ROOT = join(import.meta.dirname, '../..');
const INPUTS = ['tests/fixtures/seed/asa-syslog.log', 'tests/fixtures/asa/log-only-cases.log'];
const GOLDEN = readFileSync(join(ROOT, 'tests/fixtures/asa/log-only-cases.ndjson'), 'utf8');

describe('log-only connections and denies: the golden output', () => {
  it('analyze --ndjson writes it byte for byte', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', '--ndjson', ...INPUTS], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(GOLDEN);
  });

  it('the page reads the same reports and deny records', async () => {
    const s = await analyzeSources(INPUTS.map((f) => createBytesSource(f, new Uint8Array(readFileSync(join(ROOT, f))))));
    const lines = GOLDEN.trimEnd().split('\n').map((l) => JSON.parse(l));
    const conns = lines.filter((l) => l.record === 'connection').map(({ record: _, ...c }) => c);
    const denies = lines.filter((l) => l.record === 'deny');
    expect(conns.length).toBe(9);
    expect(conns.some((c) => c.firewall.deniesNotListed)).toBe(true);
    expect(s.reports.toArray()).toEqual(conns);
    const record = denyRecordMaker(s)!;
    expect(denies.map((_, j) => record(j))).toEqual(denies);
  });
});
