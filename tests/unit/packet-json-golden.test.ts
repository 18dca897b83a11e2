/**
 * Packet connections as `analyze --ndjson` writes them (bytes from the members of analysis/connection-members.ts)
 * and as the page reads them (objects from the same members), held to a golden output
 * (tests/fixtures/golden/packet-connections.ndjson, see PROVENANCE.md): every close kind, a connection seen at two
 * capture points (written from its object), anomalies, a Zeek-split connection, TLS with a hole, STARTTLS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';

const ROOT = join(import.meta.dirname, '../..');
const CLOSES = ['abort-mid-transfer', 'clean-client-first', 'clean-server-first', 'data-after-peer-closed', 'fin-then-rst-linger0', 'half-close', 'ipv6-clean', 'port-reuse', 'refused', 'rst-unread-data', 'simultaneous-close', 'tls12-close-notify', 'tls12-no-close-notify', 'tls13-close-notify', 'tls13-no-close-notify', 'unanswered-syn'];
const INPUTS = [
  ...CLOSES.map((c) => `tests/fixtures/closes/${c}.pcap`),
  'tests/fixtures/two-points/late-rst-inside.pcap',
  'tests/fixtures/two-points/late-rst-outside.pcap',
  'tests/fixtures/captures/zeek__tcp-reassembly.pcap',
  'tests/fixtures/captures/tcpdump__print-flags.pcap',
  'tests/fixtures/captures/zeek__tcp-option-sack.pcap',
  'tests/fixtures/tls/tls12-hole.pcap',
  'tests/fixtures/tls/starttls-smtp.pcap',
];
const GOLDEN = readFileSync(join(ROOT, 'tests/fixtures/golden/packet-connections.ndjson'), 'utf8');

describe('packet connections: the golden output', () => {
  it('analyze --ndjson writes it byte for byte', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', '--ndjson', ...INPUTS], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(GOLDEN);
  });

  it('the page reads the same reports', async () => {
    const s = await analyzeSources(INPUTS.map((f) => createBytesSource(f, new Uint8Array(readFileSync(join(ROOT, f))))));
    const conns = GOLDEN.trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.record === 'connection')
      .map(({ record: _, ...c }) => c);
    expect(conns.length).toBe(s.reports.length);
    expect(conns.some((c) => c.vantage) && conns.some((c) => c.close.zeekLog) && conns.some((c) => c.close.anomalies.length)).toBe(true);
    expect(JSON.parse(JSON.stringify(s.reports.toArray()))).toEqual(conns);
  });
});
