/**
 * One snapshot per progress report (issue #11): while a firewall log is read with its rows shown, a report's
 * connections are its rows (liveRows), its ends as the log says so far (liveLogEnds) add up to them, and a query asked
 * up to that count (EngineApi.query `upTo`) answers on exactly those rows, so the page's counts all agree; the report
 * of the log read whole has the loaded table's count. Loaded, the overview counts the log-only rows per teardown
 * reason (FlowOverview.logEnds), and a query on reason kinds keeps exactly those rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createEngineSession } from '../../src/engine/session';
import { DEFAULT_QUERY, MARK_SYSLOG_ONLY, NO_REASON_KIND } from '../../src/model/flow-table';
import { TEARDOWN_REASON } from '../../src/model/teardown-reasons';
import type { LoadProgress } from '../../src/engine/api';
import { generatedLogBytes } from './generated-log';

const FIXTURES = join(__dirname, '..', 'fixtures');
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

describe('the counts of a log while it loads and once loaded', () => {
  it('gives one snapshot per report, a query up to it, and the whole count once read', async () => {
    const bytes = generatedLogBytes('load-counts-60k.log', 60_000, 5);
    const engine = createEngineSession();
    const seen: LoadProgress[] = [];
    const asked: { n: number; upTo: number; first: Uint32Array; filtered: Uint32Array; all: Uint32Array; allFiltered: Uint32Array }[] = [];
    let clock = Date.now();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => (clock += 1000));
    const result = await engine.load([{ kind: 'bytes', name: 'live.log', bytes }], { year: 2018 }, (p) => {
      seen.push(p);
      const n = p.liveRows ?? 0;
      if (p.phase === 'reading' && n > 1 && asked.length < 4) {
        // The page asks up to the count it shows; the engine has read more by then (here: half as many shown).
        const upTo = n >> 1;
        const filter = { ...DEFAULT_QUERY, sort: 'client' as const, reasonKinds: [TEARDOWN_REASON.fins] };
        const at = { n, upTo } as (typeof asked)[number];
        asked.push(at);
        void engine.query(DEFAULT_QUERY, upTo).then((r) => (at.first = r));
        void engine.query(filter, upTo).then((r) => (at.filtered = r));
        void engine.query(DEFAULT_QUERY).then((r) => (at.all = r));
        void engine.query(filter).then((r) => (at.allFiltered = r));
      }
        }, true).finally(() => now.mockRestore());

    const reading = seen.filter((p) => p.phase === 'reading' && (p.liveRows ?? 0) > 0);
    expect(reading.length).toBeGreaterThan(2);
    for (const p of reading) {
      expect(p.connections).toBe(p.liveRows);
      expect(p.liveLogEnds).toBeInstanceOf(Uint32Array);
      expect(sum(p.liveLogEnds!)).toBe(p.liveRows);
    }
    // A row once torn down stays so: the rows still open so far never count more torn down than are read.
    expect(reading.some((p) => p.liveLogEnds![NO_REASON_KIND] < p.liveRows!)).toBe(true);

    expect(asked.length).toBeGreaterThan(1);
    for (const a of asked) {
      expect(Array.from(a.first)).toEqual(Array.from({ length: a.upTo }, (_, k) => k));
      expect(a.all.length).toBe(a.n);
      // Up to a count, the answer is the one on every row so far less the rows past it, in the same order (and an
      // answer up to a count is taken on by the next answer, the same query on more rows).
      expect(a.filtered.length).toBeGreaterThan(0);
      expect(Array.from(a.filtered)).toEqual(Array.from(a.allFiltered).filter((r) => r < a.upTo));
      expect(a.allFiltered.length).toBeGreaterThan(a.filtered.length);
    }

    // Read whole: its report has the loaded table's count, before the table is built.
    const whole = seen.find((p) => p.phase === 'analyzing')!;
    expect(whole.connections).toBe(result.flows.count);
    expect(whole.liveRows).toBe(result.flows.count);
    expect(sum(whole.liveLogEnds!)).toBe(result.flows.count);

    // Loaded: every row is log-only, counted by its reason as the columns have it; the reasons filter keeps them.
    const { logEnds } = result.flows;
    expect(sum(logEnds)).toBe(result.flows.count);
    const fins = await engine.query({ ...DEFAULT_QUERY, reasonKinds: [TEARDOWN_REASON.fins] });
    expect(fins.length).toBe(logEnds[TEARDOWN_REASON.fins]);
    expect(fins.length).toBeGreaterThan(0);
    const w = await engine.flowRows(fins.subarray(0, 500));
    expect(Array.from(w.reasonKind).every((k) => k === TEARDOWN_REASON.fins)).toBe(true);
    const open = await engine.query({ ...DEFAULT_QUERY, reasonKinds: [NO_REASON_KIND, TEARDOWN_REASON.fins] });
    expect(open.length).toBe(logEnds[NO_REASON_KIND] + logEnds[TEARDOWN_REASON.fins]);
  });

  it('counts only the log-only rows by their ends when captures come with the log', async () => {
    const engine = createEngineSession();
    const read = (f: string) => new Uint8Array(readFileSync(join(FIXTURES, 'seed', f)));
    const r = await engine.load(
      ['asa-syslog.log', 'inside-capture.txt', 'outside-capture.txt'].map((name) => ({ kind: 'bytes' as const, name, bytes: read(name) })),
      { year: 2018 },
    );
    expect(r.packets).toBeGreaterThan(0);
    const all = await engine.query(DEFAULT_QUERY);
    const w = await engine.flowRows(all);
    const want = new Uint32Array(256);
    let captured = 0;
    for (let k = 0; k < w.count; k++) {
      if (w.marks[k] & MARK_SYSLOG_ONLY) want[w.reasonKind[k]]++;
      else captured++;
    }
    expect(captured).toBeGreaterThan(0);
    expect(Array.from(r.flows.logEnds)).toEqual(Array.from(want));
    // A reasons filter keeps log-only rows only: captured ones have a close kind instead.
    const codes = Array.from(want.keys()).filter((c) => want[c] > 0);
    const kept = await engine.query({ ...DEFAULT_QUERY, reasonKinds: codes });
    expect(kept.length).toBe(sum(want));
  });
});
