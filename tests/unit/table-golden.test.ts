/**
 * `analyze`'s readable tables (cli/connection-columns.ts, cli/deny-columns.ts, laid out by cli/table-blocks.ts) held
 * to golden outputs written by the session-9 start's build (d0cab9d; tests/fixtures/golden/PROVENANCE.md): every
 * capture under tests/fixtures one at a time, two capture points together (merged connections), a capture stamped
 * past the date range (a start that is not ASCII: that row is written as strings), and firewall logs with log-only
 * connections and every shape of deny cell (IPv6 written uncompressed, ICMP with and without a code, a protocol
 * without ports, no device, rule names, a joined deny, names that are not ASCII).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource, type ByteSource } from '../../src/lib/byte-source';
import { writeTable } from '../../src/cli/output';
import { farFuturePcapng } from './hostile-inputs';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures');
const CAPTURE = /\.(pcap|pcapng|cap|snoop)(\.gz)?$/;
const golden = (name: string) => readFileSync(join(FIXTURES, 'golden', name), 'utf8');

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...captures(p));
    else if (CAPTURE.test(e.name)) out.push(p);
  }
  return out;
}

const source = (f: string) => createBytesSource(relative(ROOT, f), new Uint8Array(readFileSync(f)));

/**
 * What `analyze` (no --json) prints for `sources`; `lean`: analysed as the command line's table is, without the
 * analyses it prints nothing of (TrackerOptions: no TLS walk, no RFC states), which must not change a byte.
 */
async function table(sources: ByteSource[], lean = false): Promise<string> {
  const s = await analyzeSources(sources, lean ? { leaveOut: { tls: false, rfcStates: false } } : {});
  let out = '';
  await writeTable(s, async (b) => {
    out += typeof b === 'string' ? b : Buffer.from(b).toString();
  });
  return out;
}

describe('the readable tables: golden outputs', () => {
  it('packet connections: every fixture capture, two capture points, a start past the date range', async () => {
    let text = '';
    for (const f of captures(FIXTURES)) text += `== ${relative(ROOT, f)}\n${await table([source(f)])}`;
    text += `== two-points\n${await table(captures(join(FIXTURES, 'two-points')).map(source))}`;
    text += `== far-future.pcapng\n${await table([createBytesSource('far-future.pcapng', farFuturePcapng())])}`;
    expect(text.split('\n').length).toBeGreaterThan(1000);
    expect(text === golden('packet-table.txt')).toBe(true); // (not toBe: a diff of 100 KB)
  }, 60_000);

  it('packet connections analysed without the TLS walk and the RFC states (as the command line does): the same table', async () => {
    let text = '';
    for (const f of captures(FIXTURES)) text += `== ${relative(ROOT, f)}\n${await table([source(f)], true)}`;
    text += `== two-points\n${await table(captures(join(FIXTURES, 'two-points')).map(source), true)}`;
    text += `== far-future.pcapng\n${await table([createBytesSource('far-future.pcapng', farFuturePcapng())], true)}`;
    expect(text === golden('packet-table.txt')).toBe(true);
  }, 60_000);

  it('log-only connections and denies', async () => {
    const logs = ['tests/fixtures/seed/asa-syslog.log', 'tests/fixtures/asa/log-only-cases.log', 'tests/fixtures/asa/deny-table-cases.log'];
    expect(await table(logs.map((f) => source(join(ROOT, f))))).toBe(golden('log-table.txt'));
  });
});
