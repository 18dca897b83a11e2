// analyze's writers: --json stays one valid JSON document even when building a report fails midway (issue: a
// flood of denies used to leave unterminated JSON) and --ndjson ends with its summary line (the table's streaming:
// cli-table-blocks.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeJson, writeNdjson } from '../../src/cli/output';
import type { ConnectionReport } from '../../src/model/report';
import type { Out } from '../../src/cli/stdout';

let out = '';
afterEach(() => vi.restoreAllMocks());
/** Where the writers write instead of stdout: text or bytes, copied now (the writers reuse their buffer once it resolves). */
function capture(): Out {
  out = '';
  return async (s) => {
    out += typeof s === 'string' ? s : Buffer.from(s).toString();
  };
}

const conn = (id: number): ConnectionReport => ({
  id: String(id), files: ['x'], client: { ip: '10.0.0.1', port: 1000 + (id % 60000) }, server: { ip: '10.0.0.2', port: 80 },
  start: '2018-06-20T12:00:00.000000Z', end: '2018-06-20T12:00:01.000000Z', packets: { client: 1, server: 1 },
  payloadBytes: { client: 0, server: 0 }, handshake: 'none',
});
function* failing(n: number): Generator<ConnectionReport> {
  for (let i = 0; i < n; i++) yield conn(i);
  throw new RangeError('Invalid string length');
}
const head = { inputs: [], summary: undefined };

describe('analyze output', () => {
  it('--json is closed with an "error" member when a report fails midway', async () => {
    expect(await writeJson(head, failing(3), undefined, undefined, undefined, capture())).toBe(false);
    const doc = JSON.parse(out);
    expect(doc.connections).toHaveLength(3);
    expect(doc.error).toMatch(/stopped after 3 connections: Invalid string length/);
  });

  it('--ndjson: a record per line, the summary line last, marked incomplete after a failure', async () => {
    const to = capture();
    vi.spyOn(process.stderr, 'write').mockImplementation((() => true) as typeof process.stderr.write);
    expect(await writeNdjson(head, failing(2), [], undefined, to)).toBe(false);
    const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.record)).toEqual(['connection', 'connection', 'summary']);
    expect(lines[2].complete).toBe(false);
  });

  it('--ndjson writes every record whole through its reused buffer: many small ones, non-ASCII ones, one bigger than the buffer', async () => {
    const to = capture();
    const denies = [
      ...Array.from({ length: 5000 }, (_, k) => JSON.stringify({ record: 'deny', k, pad: 'x'.repeat(k % 700) })),
      JSON.stringify({ record: 'deny', big: 'é€'.repeat(400_000) }),
      JSON.stringify({ record: 'deny', iface: 'außen €' }),
    ];
    expect(await writeNdjson(head, [conn(1)], denies, undefined, to)).toBe(true);
    const lines = out.trimEnd().split('\n');
    expect(lines.slice(1, -1)).toEqual(denies);
    expect(JSON.parse(lines[lines.length - 1]).record).toBe('summary');
  });

});
