/**
 * The table of a firewall log while it is read (engine/live-rows.ts, EngineApi.load `showRows`): during the load the
 * engine's table queries answer on the connections stored so far, each the row (and the connection) it
 * is in the loaded table; what differs once loaded is only what the end adds (joined denies, teardowns that came
 * later). A load without `showRows`, or with packets, shows none; after the load the queries answer the loaded table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createEngineSession } from '../../src/engine/session';
import { DEFAULT_QUERY, MARK_DENIED, type FlowColumns } from '../../src/model/flow-table';
import type { LadderData, LoadProgress } from '../../src/engine/api';
import { generatedLogBytes } from './generated-log';
import { LIVE_ORIGIN } from '../../src/engine/live-rows';

const FIXTURES = join(__dirname, '..', 'fixtures');

const log = () => generatedLogBytes('live-rows-120k.log', 120_000, 21);

const rowText = (f: FlowColumns, k: number) => ({
  client: `${f.strings[f.clientIp[k]]}:${f.clientPort[k]}`, server: `${f.strings[f.serverIp[k]]}:${f.serverPort[k]}`,
  proto: f.proto[k], message: f.message[k], kind: f.kind[k], packets: f.packets[k], startUs: f.startUs[k],
});

describe('a firewall log table while it loads', () => {
  it('answers the rows stored so far, each the loaded table row of the same connection', async () => {
    const bytes = log();
    const engine = createEngineSession();
    // Something loaded before: while the log's rows show, nothing is answered about it (an export would be of it).
    await engine.load([{ kind: 'bytes', name: 'seed.log', bytes: new Uint8Array(readFileSync(join(FIXTURES, 'seed', 'asa-syslog.log'))) }], { year: 2018 });
    expect(await engine.report()).not.toBeNull();
    const seen: LoadProgress[] = [];
    const others: Promise<unknown>[] = [];
    const during: { n: number; rows: Promise<Uint32Array>; window: Promise<FlowColumns>; ladder: Promise<LadderData | null> }[] = [];
    // The session reports progress at most every 100 ms of Date.now (engine/session.ts): a clock a second on at each
    // look lets every piece of the load report, so rows are asked about at several counts however fast or busy the
    // machine (tests/unit/live-query.test.ts failed once in a fresh-clone CI run on one report only).
    let clock = Date.now();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => (clock += 1000));
    const result = await engine.load([{ kind: 'bytes', name: 'live.log', bytes }], { year: 2018 }, (p) => {
      seen.push(p);
      const n = p.liveRows ?? 0;
      // The engine is between two pieces of the load here: what the page would be answered now.
      if (p.phase === 'reading' && n > 0 && during.length < 3) {
        const ask = Uint32Array.from({ length: Math.min(n, 300) }, (_, k) => k);
        others.push(engine.report(), engine.triage({ fromUs: null, toUs: null, classes: 0, host: '' }), engine.cleanCloseFor(0));
        during.push({ n, rows: engine.query({ ...DEFAULT_QUERY, sort: 'client', text: 'no such text' }), window: engine.flowRows(ask), ladder: engine.ladder({ row: Math.min(n - 1, 7) }) });
      }
    }, true).finally(() => now.mockRestore());
    expect(during.length).toBeGreaterThan(1);
    expect(await Promise.all(others)).toEqual(others.map(() => null));
    expect(during.at(-1)!.n).toBeGreaterThan(during[0].n);
    const live = seen.map((p) => p.liveRows ?? 0).filter((n) => n > 0);
    expect(live.every((n, i) => i === 0 || n >= live[i - 1])).toBe(true);
    expect(result.flows.count).toBeGreaterThanOrEqual(live.at(-1)!);

    let denied = 0;
    for (const d of during) {
      // The query applies to the rows so far (engine/live-query.ts; tests/unit/live-query.test.ts): none has the text.
      expect(Array.from(await d.rows)).toEqual([]);
      const w = await d.window;
      const ask = Uint32Array.from({ length: w.count }, (_, k) => k);
      const loaded = await engine.flowRows(ask);
      for (let k = 0; k < w.count; k++) {
        expect(rowText(w, k)).toEqual(rowText(loaded, k));
        expect(w.marks[k] & MARK_DENIED).toBe(0); // denies are joined at the end
        if (loaded.marks[k] & MARK_DENIED) denied++;
        const reason = w.strings[w.reason[k]];
        if (reason) expect(reason).toBe(loaded.strings[loaded.reason[k]]); // a teardown read stays
      }
      const ladder = (await d.ladder)!;
      const row = Math.min(d.n - 1, 7);
      const final = (await engine.ladder({ row }))!;
      expect(ladder.packets).toEqual([]);
      expect([ladder.origin, final.origin]).toEqual([LIVE_ORIGIN, '']);
      expect(ladder.connection.id).toBe(final.connection.id);
      expect(ladder.connection.client).toEqual(final.connection.client);
      expect(ladder.connection.server).toEqual(final.connection.server);
      expect(ladder.connection.firewall?.built).toBe(final.connection.firewall?.built);
    }
    expect(denied).toBeGreaterThan(0); // the comparison met rows whose denies came at the end
    // Loaded: the query is the query again.
    const sorted = await engine.query({ ...DEFAULT_QUERY, sort: 'client' });
    expect(sorted.length).toBe(result.flows.count);
    expect(Array.from(sorted.subarray(0, 50))).not.toEqual(Array.from({ length: 50 }, (_, k) => k));
  });

  it('shows no rows for a load not asked to, nor for one with packets', async () => {
    const engine = createEngineSession();
    const bytes = log();
    const off: number[] = [];
    await engine.load([{ kind: 'bytes', name: 'live.log', bytes }], { year: 2018 }, (p) => off.push(p.liveRows ?? 0));
    expect(off.every((n) => n === 0)).toBe(true);
    const capture = new Uint8Array(readFileSync(join(FIXTURES, 'seed', 'clean-capture.txt')));
    const mixed: number[] = [];
    const r = await engine.load([{ kind: 'bytes', name: 'clean-capture.txt', bytes: capture }, { kind: 'bytes', name: 'live.log', bytes }], { year: 2018 }, (p) => mixed.push(p.liveRows ?? 0), true);
    expect(r.packets).toBeGreaterThan(0);
    expect(mixed.every((n) => n === 0)).toBe(true);
  });
});
