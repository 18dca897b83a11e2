/**
 * The sort and filters of a firewall log's table while it is read (engine/live-query.ts): asked again and again as
 * the log is read, the answer kept up to date (new rows merged in, rows whose Teardown came since tested again) is
 * the answer made from nothing on the same rows at the same moment; once loaded, the answer on the last rows read is
 * the loaded table's answer on those rows, for a query on what a row's first line already says.
 */
import { describe, expect, it, vi } from 'vitest';
import { createBytesSource } from '../../src/lib/byte-source';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createEngineSession } from '../../src/engine/session';
import { LiveLogRows } from '../../src/engine/live-rows';
import { LiveAnswer, runEnd } from '../../src/engine/live-query';
import type { FirewallLog } from '../../src/analysis/firewall/log';
import { DEFAULT_QUERY, type FlowColumns, type FlowQuery } from '../../src/model/flow-table';
import { generatedLogBytes } from './generated-log';

const log = () => generatedLogBytes('live-query-60k.log', 60_000, 5);

/** Queries on what changes as a log is read (durations, teardown reasons) and on what does not (endpoints). */
const QUERIES: FlowQuery[] = [
  DEFAULT_QUERY,
  { ...DEFAULT_QUERY, sort: 'duration', desc: true, text: 'reset' },
  { ...DEFAULT_QUERY, sort: 'reason', text: 'teardown.reason contains "FIN" or udp' },
  { ...DEFAULT_QUERY, sort: 'server', desc: true, address: '10.30.' },
  { ...DEFAULT_QUERY, sort: 'client', protocols: [17] },
];

describe('the query on a firewall log being read', () => {
  it('keeps the answer the rows so far give, from the first rows to the last', async () => {
    let fw: FirewallLog | null = null;
    // One table per query, each asked at every step (a table keeps the answer to its last query up to date).
    let live: LiveLogRows[] = [];
    const asked: number[] = [];
    let compared = 0;
    await analyzeSources([createBytesSource('live.log', log())], {
      year: 2018,
      onFirewallLog: (l) => void ((fw = l), (live = QUERIES.map(() => new LiveLogRows(l)))),
      onProgress: () => {
        if (!fw || !live.length || live[0].count === 0) return;
        asked.push(live[0].count);
        // Answers kept up to date across steps, against one made from nothing.
        for (const [k, q] of QUERIES.entries()) {
          const kept = live[k].query(q)!;
          expect(Array.from(kept)).toEqual(Array.from(new LiveLogRows(fw).query(q)!));
          compared += kept.length;
        }
      },
    });
    expect(asked.length).toBeGreaterThan(3);
    expect(new Set(asked).size).toBeGreaterThan(3);
    expect(compared).toBeGreaterThan(1000);
  });

  it('answers on the rows read so far what the loaded table answers on them', async () => {
    const bytes = log();
    const engine = createEngineSession();
    const during: { n: number; q: FlowQuery; rows: Promise<Uint32Array> }[] = [];
    // The session reports progress at most every 100 ms of Date.now (engine/session.ts): a clock a second on at each
    // look lets every piece of the load report, so the queries are asked at many row counts however fast or busy the
    // machine (a fresh-clone CI run once saw one report only, all its queries on the same rows).
    let clock = Date.now();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => (clock += 1000));
    try {
      await engine.load([{ kind: 'bytes', name: 'live.log', bytes }], { year: 2018 }, (p) => {
        const n = p.liveRows ?? 0;
        // The table's own order (by start, read from the log's columns) and what needs the rows as columns.
        if (p.phase === 'reading' && n > 0) for (const q of [...QUERIES.slice(3), DEFAULT_QUERY, { ...DEFAULT_QUERY, desc: true }]) during.push({ n, q, rows: engine.query(q) });
      }, true);
    } finally {
      now.mockRestore();
    }
    expect(new Set(during.map((d) => d.n)).size).toBeGreaterThan(2);
    expect(during.length).toBeGreaterThan(2);
    for (const d of during) {
      const rows = Array.from(await d.rows);
      // Asked between two pieces of the load (the engine answers at once): on the rows the progress told of.
      const loaded = Array.from(await engine.query(d.q)).filter((r) => r < d.n);
      expect(rows).toEqual(loaded);
    }
    expect(during.some((d) => d.n < during.at(-1)!.n)).toBe(true);
  });

  it('leaves the loaded table as a load without rows shown makes it (its memory taken from the rows read)', async () => {
    const bytes = log();
    const shown = createEngineSession();
    let asked = 0;
    const a = await shown.load([{ kind: 'bytes', name: 'live.log', bytes }], { year: 2018 }, (p) => {
      if ((p.liveRows ?? 0) > 0) void shown.query(QUERIES[asked++ % QUERIES.length]);
    }, true);
    expect(asked).toBeGreaterThan(2);
    const plain = createEngineSession();
    const b = await plain.load([{ kind: 'bytes', name: 'live.log', bytes }], { year: 2018 });
    expect(a.flows).toEqual(b.flows);
    const rows = Uint32Array.from({ length: Math.min(b.flows.count, 10_000) }, (_, k) => k);
    const [x, y] = [await shown.flowRows(rows), await plain.flowRows(rows)];
    const cells = (c: FlowColumns) => Object.entries(c).flatMap(([name, v]) =>
      ArrayBuffer.isView(v) ? [[name, Array.from(v as Uint32Array, (n) => (name === 'clientIp' || name === 'serverIp' || name === 'reason' ? c.strings[n] : n))]] : []);
    expect(cells(x)).toEqual(cells(y));
    for (const q of QUERIES) expect(Array.from(await shown.query(q))).toEqual(Array.from(await plain.query(q)));
  });
});

describe('an answer kept up to date (LiveAnswer)', () => {
  /** A small deterministic generator (tests must not depend on Math.random). */
  const lcg = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

  it('finds the end of each run (runEnd) as a linear scan does', () => {
    const rnd = lcg(7);
    const keys = Array.from({ length: 300 }, () => Math.floor(rnd() * 50));
    const cmp = (p: number, q: number) => keys[p] - keys[q];
    const a = Uint32Array.from([...keys.keys()].sort((p, q) => cmp(p, q) || p - q));
    for (let t = 0; t < 2000; t++) {
      const lo = Math.floor(rnd() * 301);
      const hi = lo + Math.floor(rnd() * (301 - lo));
      const x = Math.floor(rnd() * 300);
      let want = lo;
      while (want < hi && cmp(a[want], x) <= 0) want++;
      expect(runEnd(a, lo, hi, x, cmp)).toBe(want);
    }
  });

  it('is the answer made from nothing, with rows new and rows changed (scattered or few) each time', () => {
    const rnd = lcg(11);
    const N = 20_000;
    // Rows mostly in order of their key (a log read in time order), some far from it; keys change as rows do.
    const key = Float64Array.from({ length: N }, (_, i) => (rnd() < 0.9 ? i : rnd() * N));
    const cmp = (p: number, q: number) => key[p] - key[q] || p - q;
    const keep = (row: number) => key[row] % 3 !== 1;
    const live = new LiveAnswer();
    let upto = 0;
    for (let count = 500; upto < N; count = Math.min(N, count + Math.floor(rnd() * 3000))) {
      const changed: number[] = [];
      const many = rnd() < 0.5 ? 5 : 400;
      for (let k = 0; k < many && upto > 0; k++) {
        const row = Math.floor(rnd() * upto);
        key[row] = rnd() < 0.5 ? key[row] : Math.floor(rnd() * N);
        changed.push(row);
      }
      const got = live.answer('q', count, Uint32Array.from(new Set(changed)), keep, cmp);
      const want = [...Array(count).keys()].filter(keep).sort(cmp);
      expect(Array.from(got)).toEqual(want);
      upto = count;
    }
  });
});
