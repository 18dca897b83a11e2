// The worker's triage and deny tables are built in slices (src/lib/steps.ts) while table queries keep being answered:
// through the engine session (the worker's code, in Node) on a generated ASA/FTD log (bench/log-gen.ts), a query
// sent after the first triage call answers before it, and the sliced builds give what the one-pass builds give.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../../src/engine/session';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { DEFAULT_QUERY } from '../../src/model/flow-table';
import { NO_TRIAGE_FILTER, prepareTriage, triageView, triageViewSteps } from '../../src/analysis/firewall/triage';
import { denyTableOf, queryDenies } from '../../src/engine/deny-rows';
import { generateLog } from '../../bench/log-gen';

describe('triage and deny tables built in slices', () => {
  it('answer a table query first, then what the one-pass builds give', async () => {
    const out = join(import.meta.dirname, '../out');
    mkdirSync(out, { recursive: true });
    const file = join(out, 'sliced-triage.log');
    generateLog(file, { lines: 20_000, seed: 5 });
    const bytes = new Uint8Array(readFileSync(file));
    const engine = createEngineSession();
    await engine.load([{ kind: 'bytes', name: 'asa.log', bytes }], {});
    const order: string[] = [];
    const q = { protocols: [], messages: [], causes: [], address: '', fromUs: null, toUs: null, offset: 0, limit: 50 };
    const [view, rows, denies] = await Promise.all([
      engine.triage(NO_TRIAGE_FILTER).then((v) => (order.push('triage'), v)),
      engine.query(DEFAULT_QUERY).then((r) => (order.push('query'), r)),
      engine.denies(q).then((d) => (order.push('denies'), d)),
    ]);
    expect(order[0]).toBe('query');
    expect(rows.length).toBeGreaterThan(1000);
    const s = await analyzeSources([createBytesSource('asa.log', bytes)]);
    expect(view).toEqual(triageView(prepareTriage(s.triage!), NO_TRIAGE_FILTER));
    expect(view!.total).toBeGreaterThan(0);
    expect(denies).toEqual(queryDenies(s, denyTableOf(s)!, q));
    // A deny-class filter waits for the triage columns it needs, then answers.
    expect((await engine.query({ ...DEFAULT_QUERY, denyClasses: 0b111 })).length).toBeGreaterThan(0);
  });

  it('two views counted in slices at the same time keep their counts apart', async () => {
    const file = join(import.meta.dirname, '../out/sliced-triage.log');
    const s = await analyzeSources([createBytesSource('asa.log', new Uint8Array(readFileSync(file)))]);
    const prep = prepareTriage(s.triage!);
    const late = { ...NO_TRIAGE_FILTER, classes: 1 };
    const a = triageViewSteps(prep, NO_TRIAGE_FILTER);
    const b = triageViewSteps(prep, late);
    let ra = a.next();
    let rb = b.next();
    while (!ra.done || !rb.done) {
      if (!ra.done) ra = a.next();
      if (!rb.done) rb = b.next();
    }
    expect(ra.value).toEqual(triageView(prepareTriage(s.triage!), NO_TRIAGE_FILTER));
    expect(rb.value).toEqual(triageView(prepareTriage(s.triage!), late));
    expect(ra.value.servers.length).toBeGreaterThan(0);
  });
});
