/**
 * Issue 15 items 7 and 12: a failed or cancelled load keeps what was loaded (the worker and the page keep agreeing),
 * Year and Date are checked (2018-13-45 is not rolled over to 2019-02-14), progress never reads past the input's size
 * nor "all read" after a cancel, and a truncated record says "have of need" bytes the right way round.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../../src/engine/session';
import { DEFAULT_QUERY } from '../../src/model/flow-table';
import type { InputSpec, LoadProgress } from '../../src/engine/api';
import { dateProblem, loadOptionsProblem, yearProblem } from '../../src/model/load-options';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { longConnectionPcapBytes } from '../../bench/hostile/long-connection';

const ROOT = resolve(__dirname, '../..');
const CLOSES = join(ROOT, 'tests/fixtures/closes');
const bytes = (name: string, b: Uint8Array): InputSpec => ({ kind: 'bytes', name, bytes: b });
const A = bytes('fin-then-rst-linger0.pcap', new Uint8Array(readFileSync(join(CLOSES, 'fin-then-rst-linger0.pcap'))));
const B = bytes('port-reuse.pcap', new Uint8Array(readFileSync(join(CLOSES, 'port-reuse.pcap'))));

describe('Year and Date options', () => {
  it('refuses dates off the calendar and years out of range', () => {
    expect(dateProblem('2018-13-45')).toMatch(/not a day of the calendar/);
    expect(dateProblem('2018-02-29')).toMatch(/not a day of the calendar/);
    expect(dateProblem('2020-02-29')).toBeNull();
    expect(dateProblem('18-06-20')).toMatch(/not YYYY-MM-DD/);
    expect(yearProblem(275760)).toMatch(/not between 1970 and 2100/);
    expect(yearProblem(2018)).toBeNull();
    expect(loadOptionsProblem({ year: 2018, date: '2018-06-20' })).toBeNull();
  });
  it('the command line refuses them too', () => {
    for (const [flag, value, msg] of [['--date', '2018-13-45', /--date: date "2018-13-45" is not a day of the calendar/], ['--year', '275760', /--year: year 275760 is not between/]] as const) {
      const r = spawnSync('npx', ['tsx', 'src/cli/analyze.ts', flag, value, join(CLOSES, 'port-reuse.pcap')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('a failed or cancelled load keeps what was loaded', () => {
  it('bad options, a failing input and a cancel leave the first analysis in place', async () => {
    const e = createEngineSession();
    const first = await e.load([A], {});
    const rows = await e.query(DEFAULT_QUERY);
    const report = JSON.stringify(await e.report());
    expect(first.flows.count).toBeGreaterThan(0);

    await expect(e.load([B], { year: 275760 })).rejects.toThrow(/Year: year 275760/);
    await expect(e.load([B], { date: '2018-13-45' })).rejects.toThrow(/Date: date "2018-13-45" is not a day/);
    // A load that throws inside the engine (here: an input that is no Blob at all).
    const broken = { kind: 'blob', name: 'gone.pcap', blob: null } as unknown as InputSpec;
    await expect(e.load([broken], {})).rejects.toThrow();
    expect(await e.query(DEFAULT_QUERY)).toEqual(rows);
    expect(JSON.stringify(await e.report())).toBe(report);

    // Cancelled at once: the partial analysis is dropped, the first one kept and described.
    const pending = e.load([bytes('long.pcap', longConnectionPcapBytes(300_000))], {});
    e.cancel();
    const r = await pending;
    expect(r.cancelled).toBe(true);
    expect(r.previousKept).toBe(true);
    expect(r.flows.count).toBe(first.flows.count);
    expect(await e.query(DEFAULT_QUERY)).toEqual(rows);
    expect(await e.ladder({ row: 0 })).not.toBeNull();
  });

  it('a cancelled first load still shows its partial result', async () => {
    const e = createEngineSession();
    const pending = e.load([bytes('long.pcap', longConnectionPcapBytes(300_000))], {});
    e.cancel();
    const r = await pending;
    expect(r.cancelled).toBe(true);
    expect(r.previousKept).toBeUndefined();
  });
});

describe('a cancel once everything is read', () => {
  it('is not taken, and says so: the end of the read is reported before the table is made, and the load ends whole', async () => {
    const big = longConnectionPcapBytes(200_000);
    // While reading: taken.
    const e = createEngineSession();
    let first: boolean | null = null;
    const r = await e.load([bytes('big.pcap', big)], {}, (p) => {
      if (p.phase === 'reading' && first === null) first = e.cancel();
    });
    expect(first).toBe(true);
    expect(r.cancelled).toBe(true);

    // Read whole (reported before the result, while the table is still to be made): not taken, and the load ends whole.
    const whole = createEngineSession();
    const phases: string[] = [];
    let late: boolean | null = null;
    const loaded = await whole.load([bytes('big.pcap', big)], {}, (p) => {
      phases.push(p.phase);
      if (p.phase === 'analyzing' && late === null) late = whole.cancel();
    });
    expect(late).toBe(false);
    expect(phases.at(-1)).toBe('done');
    expect(loaded.cancelled).toBe(false);
    expect(loaded.flows.count).toBeGreaterThan(0);
    // No load running: nothing to stop.
    expect(whole.cancel()).toBe(false);
  });
});

describe('progress and truncation counts', () => {
  it('a .gz counts its compressed bytes (never "2.51 GB of 5.0 MB"), and a cancel does not read as all read', async () => {
    const gz = new Uint8Array(gzipSync(longConnectionPcapBytes(200_000)));
    const seen: LoadProgress[] = [];
    const e = createEngineSession();
    await e.load([bytes('long.pcap.gz', gz)], {}, (p) => seen.push(p));
    for (const p of seen) expect(p.bytesRead).toBeLessThanOrEqual(p.bytesTotal);
    expect(seen.at(-1)!.bytesRead).toBe(gz.length);

    const big = longConnectionPcapBytes(600_000);
    const cancelledSeen: LoadProgress[] = [];
    const pending = e.load([bytes('big.pcap', big)], {}, (p) => {
      cancelledSeen.push(p);
      if (p.bytesRead > 0) e.cancel();
    });
    await pending;
    const last = cancelledSeen.at(-1)!;
    expect(last.phase).toBe('cancelled');
    expect(last.bytesRead).toBeLessThan(big.length);
  });

  it('a file ending inside a record says how many of its bytes are there', async () => {
    const full = longConnectionPcapBytes(2);
    const cut = full.subarray(0, full.length - 30); // the last record (54 bytes + 16 header) loses 30 bytes
    const s = await analyzeSources([createBytesSource('cut.pcap', cut)]);
    const w = s.inputs[0].warnings.map((p) => p.message).join(' ');
    const m = /\((\d+) of (\d+) bytes\)/.exec(w)!;
    expect(m).not.toBeNull();
    expect(Number(m[1])).toBeLessThan(Number(m[2]));
    expect([Number(m[1]), Number(m[2])]).toEqual([70 - 30, 70]);
  });
});
