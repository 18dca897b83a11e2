/**
 * `analyze --json`/`--ndjson` write packet connections as bytes straight from the store (analysis/connection-json.ts,
 * lib/json-bytes.ts): each must be exactly the text JSON.stringify gives for the connection's report. Inputs: every
 * capture under tests/fixtures (real stacks and other projects' test captures: every close kind, TLS 1.2/1.3 with and
 * without close_notify, holes, STARTTLS, IPv6, tunnels, Zeek-split connections, anomalies), two capture points
 * loaded together (connections the writer leaves to their reports), and the bench generator's capture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { ConnectionJson } from '../../src/analysis/connection-json';
import { JsonBytes, utf8 } from '../../src/lib/json-bytes';
import { generatePcap } from '../../bench/gen/generate';
import { farFuturePcapng } from './hostile-inputs';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const CAPTURE = /\.(pcap|pcapng|cap|snoop)(\.gz)?$/;

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...captures(p));
    else if (CAPTURE.test(e.name)) out.push(p);
  }
  return out;
}

async function session(files: string[]): Promise<AnalysisSession> {
  return analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(f)))));
}

/** Every packet connection the writer takes, against its report's JSON.stringify; returns how many it took and left. */
function compare(s: AnalysisSession, head = '{'): { written: number; left: number } {
  const list = s.reports;
  const json = new ConnectionJson(list.tracked, list.table, list.files);
  const w = new JsonBytes(new Uint8Array(16)); // small: every record makes it grow
  const decoder = new TextDecoder();
  let written = 0;
  for (let k = 0; k < list.packetCount; k++) {
    const i = list.connIndex(k);
    if (!json.has(i)) continue;
    w.n = 0;
    json.write(w, i, utf8(head));
    const report = JSON.stringify(list.at(k));
    expect(decoder.decode(w.buf.subarray(0, w.n))).toBe(head === '{' ? report : head + report.slice(1));
    written++;
  }
  return { written, left: list.packetCount - written };
}

describe('packet connections as JSON bytes from the store', () => {
  it('every fixture capture: the same text as the report', async () => {
    let written = 0;
    const files = captures(FIXTURES);
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) written += compare(await session([f])).written;
    expect(written).toBeGreaterThan(100);
  }, 60_000);

  it('with the --ndjson head', async () => {
    const s = await session(captures(join(FIXTURES, 'closes')));
    expect(compare(s, '{"record":"connection",').written).toBeGreaterThan(10);
  });

  it('two capture points: merged connections are left to their reports, the rest written', async () => {
    const dir = join(FIXTURES, 'two-points');
    const s = await session(captures(dir));
    const { left } = compare(s);
    expect(s.connections.vantage.size).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
  });

  it('a start past the date range (not ASCII: escaped the slow way)', async () => {
    const s = await analyzeSources([createBytesSource('far-future.pcapng', farFuturePcapng())]);
    expect(compare(s).written).toBe(1);
  });

  it("the bench generator's capture (every close kind, loss, zero windows, IPv6, VLANs, TLS)", async () => {
    const file = join(import.meta.dirname, '../out/connection-json.pcap');
    generatePcap(file, { mb: 2, conns: 300, seed: 11 });
    expect(compare(await session([file])).written).toBeGreaterThan(250);
  });
});

describe('JsonBytes', () => {
  const text = (f: (w: JsonBytes) => void) => {
    const w = new JsonBytes(new Uint8Array(2));
    f(w);
    return new TextDecoder().decode(w.buf.subarray(0, w.n));
  };
  it('writes numbers as JSON.stringify does', () => {
    const values = [0, 1, 9, 10, 99, 100, 12345, 4294967295, 4294967296, -1, -0, 0.5, 1e21, 1.5e-7, NaN, Infinity, -Infinity, 2 ** 53];
    for (const v of values) expect(text((w) => w.num(v))).toBe(JSON.stringify(v));
  });
  it('writes strings as JSON.stringify does', () => {
    const values = ['', 'plain', 'a "quoted" word', 'back\\slash', 'tab\tnew\nline\u0001', 'µs', 'emoji 😀', 'lone \ud800 half', 'del \u007f', '\u2028'];
    // Short ones go character by character, long ones (over 32) are copied then checked: both ways.
    for (const v of [...values, ...values.map((x) => `${'long text '.repeat(5)}${x}${' and more'.repeat(4)}`)]) {
      expect(text((w) => w.str(v))).toBe(JSON.stringify(v));
    }
    expect(text((w) => w.str(null))).toBe('null');
  });
});
