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
    expect(lines[0]).toMatch(/^id\s+stream\s+client\s+server\s+start\s+duration/);
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

  it('--explain draws each connection that did not close cleanly as a text ladder with its explanation', () => {
    const seed = join(ROOT, 'tests', 'fixtures', 'seed');
    const r = run(['--explain', join(seed, 'asa-syslog.log'), join(seed, 'inside-capture.txt'), join(seed, 'outside-capture.txt'), join(CLOSES, 'clean-client-first.pcap')]);
    expect(r.code).toBe(0);
    const text = r.out.slice(r.out.indexOf('\nconnection '));
    // Only the seed connection: the clean close is not explained unless asked for.
    expect(text.match(/^connection /gm)).toHaveLength(1);
    expect(text).toMatch(/connection 0: client 198\.51\.100\.77:55132 -> server 10\.20\.30\.15:443\n  fin-then-rst, closed first by the server, RST after both FINs, FIN and RST together; Zeek SF/);
    // The packets from the first FIN on, numbered from 1 as the explanation counts them, with states and anomalies.
    expect(text).toMatch(/#1 +0 +server -> client +FIN ACK +seq 1 ack 1 +client ESTABLISHED/);
    expect(text).toMatch(/#4 +\+2\.536386 s +client -> server +RST ACK .*rst-after-close, fin-rst-together/);
    expect(text).toMatch(/#5 +\+2\.536447 s +server -> client +RST +seq 2 .*dropped: seen at .*inside-capture\.txt only/);
    expect(text).toContain('firewall denied RST from 10.20.30.15:443 (106015');
    expect(text).toContain('The server closed first: it sent a FIN');
    expect(text).toContain('(packet 5)');
    // Named connections are explained whatever their close.
    const named = run(['--explain=0', join(CLOSES, 'clean-client-first.pcap')]);
    expect(named.out).toMatch(/connection 0: .*\n  clean, closed first by the client/);
  });
});
