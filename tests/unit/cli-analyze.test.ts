// The headless command: `npx tsx src/cli/analyze.ts [--json] FILE...` on fixtures.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyzeReport } from '../../src/model/report';

const ROOT = join(__dirname, '..', '..');
const CLOSES = join(ROOT, 'tests', 'fixtures', 'closes');

function run(args: string[], input?: Buffer) {
  const r = spawnSync('npx', ['tsx', 'src/cli/analyze.ts', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('analyze CLI', () => {
  it('--json prints exactly one AnalyzeReport document', () => {
    const r = run(['--json', join(CLOSES, 'fin-then-rst-linger0.pcap'), join(CLOSES, 'port-reuse.pcap')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as AnalyzeReport;
    expect(doc.inputs.map((i) => [i.format, i.packets, i.tcpPackets])).toEqual([
      ['pcap', 9, 9],
      ['pcap', 16, 16],
    ]);
    expect(doc.connections.map((c) => c.id)).toEqual(['0', '1', '2']);
    const c = doc.connections[0];
    expect(c.files).toEqual([join(CLOSES, 'fin-then-rst-linger0.pcap')]);
    expect(c.client.ip).toBe('127.0.0.1');
    expect(c.server).toEqual({ ip: '127.0.0.1', port: 40004 });
    expect(c.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(c.close).toMatchObject({ kind: 'fin-then-rst', initiator: 'client', finRstTogether: true, zeekState: 'RSTO' });
    expect(doc.summary).toMatchObject({
      connections: 3,
      byKind: { 'fin-then-rst': 1, clean: 2 },
      byInitiator: { client: 1, server: 2, none: 0 },
      rstsAfterBothFins: 0,
    });
    expect(doc.summary!.byServer.map((s) => [s.server, s.connections])).toEqual([
      ['127.0.0.1:40014', 2],
      ['127.0.0.1:40004', 1],
    ]);
    expect(doc.summary!.topRstSenders).toEqual([{ host: '127.0.0.1', role: 'client', rsts: 1 }]);
  });

  it('prints a table, the summary and per-input problems without --json; "-" reads stdin', () => {
    const r = run(['-'], readFileSync(join(CLOSES, 'refused.pcap')));
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^id\s+client\s+server\s+start\s+duration/);
    expect(lines[1]).toMatch(/127\.0\.0\.1:40007.*partial\s+refused\s+server\s+REJ Sr/);
    expect(r.out).toMatch(/by kind: refused 1/);
    expect(r.out).toMatch(/^-: pcap, 2 records, 2 TCP segments$/m);
  });

  it('exits 0 when something was read (with the problem listed), 1 when nothing, 2 on usage errors', () => {
    const bad = run(['--json', join(ROOT, 'package.json')]);
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.out) as AnalyzeReport;
    expect(doc.inputs[0].errors.length).toBeGreaterThan(0);
    expect(run(['--bogus', 'x']).code).toBe(2);
    expect(run([]).code).toBe(2);
    const mixed = run(['--json', join(CLOSES, 'refused.pcap'), join(ROOT, 'package.json')]);
    expect(mixed.code).toBe(0);
  });
});
