import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngineSession } from '../../src/engine/session';
import type { InputSpec, LoadProgress } from '../../src/engine/api';
import { DEFAULT_QUERY, endpointText } from '../../src/model/flow-table';
import { kindFromCode } from '../../src/model/close-kinds';

// The seed case as the app ships it (public/examples/seed, see its PROVENANCE.md).
const SEED = join(import.meta.dirname, '../../public/examples/seed');
const FILES = ['asa-syslog.log', 'inside-capture.txt', 'outside-capture.txt', 'clean-capture.txt'];
const seedInputs = (): InputSpec[] =>
  FILES.map((f) => ({ kind: 'blob', name: f, blob: new Blob([readFileSync(join(SEED, f))]) }));
const options = { year: 2018, date: '2018-06-20' };

describe('engine session on the seed case', () => {
  it('loads captures and syslog together, reports progress and each input', async () => {
    const s = createEngineSession();
    const progress: LoadProgress[] = [];
    const r = await s.load(seedInputs(), options, (p) => progress.push(p));
    expect(r.cancelled).toBe(false);
    expect(r.inputs.map((i) => i.format)).toEqual(['asa-syslog', 'asa-show-capture', 'asa-show-capture', 'asa-show-capture']);
    expect(r.packets).toBe(14);
    expect(progress[0].phase).toBe('reading');
    expect(progress.at(-1)!.phase).toBe('done');
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.bytesTotal);
    const flows = await s.flowRows(Uint32Array.from({ length: r.flows.count }, (_, i) => i));
    const kinds = Array.from({ length: flows.count }, (_, i) => kindFromCode(flows.kind[i]));
    expect(kinds).toContain('fin-then-rst');
    expect(kinds).toContain('clean');
  });

  it('answers queries, ladders and "nearest clean close"', async () => {
    const s = createEngineSession();
    const r = await s.load(seedInputs(), options);
    const flows = await s.flowRows(Uint32Array.from({ length: r.flows.count }, (_, i) => i));
    const rows = [...(await s.query({ ...DEFAULT_QUERY, kinds: ['fin-then-rst'], address: '198.51.100.77' }))];
    expect(rows.length).toBeGreaterThan(0);
    const row = rows[0];
    expect(endpointText(flows, row, 'client')).toBe('198.51.100.77:55132');
    const ladder = (await s.ladder({ row }))!;
    expect(ladder.connection.close?.kind).toBe('fin-then-rst');
    // Server's FIN first, relative numbers as Wireshark shows them without a SYN.
    expect(ladder.packets[0]).toMatchObject({ fromClient: false, flags: 0x11, relSeq: 1, relAck: 1 });
    expect(ladder.packets.some((p) => p.flags === 0x14 && p.fromClient)).toBe(true);
    const clean = await s.cleanCloseFor(row);
    expect(clean).not.toBeNull();
    expect(kindFromCode(flows.kind[clean!])).toBe('clean');
    expect(endpointText(flows, clean!, 'client')).toBe('192.0.2.44:61422');
    expect(await s.ladder({ row: 9999 })).toBeNull();
  });

  it('analyses an example aside without replacing what is loaded', async () => {
    const s = createEngineSession();
    const r = await s.load(seedInputs().slice(1, 2), options);
    const clean = await s.ladderAside(seedInputs().slice(3), options, 'clean');
    expect(clean?.connection.client).toEqual({ ip: '192.0.2.44', port: 61422 });
    expect(clean?.packets).toHaveLength(5);
    expect((await s.query(DEFAULT_QUERY)).length).toBe(r.flows.count);
  });

  it('cancels: stops between inputs and keeps what was read', async () => {
    const s = createEngineSession();
    const p = s.load(seedInputs(), options);
    s.cancel();
    const r = await p;
    expect(r.cancelled).toBe(true);
    expect(r.inputs.length).toBeLessThan(FILES.length);
  });
});
