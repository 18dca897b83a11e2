// The flow table's filter expressions on a real capture, against tshark: each single test selects exactly the
// connections (tcp.stream) in which tshark finds a matching packet; and, or, not combine those per connection.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { DEFAULT_QUERY, queryFlows, type FlowColumns } from '../../src/model/flow-table';

const DIR = join(__dirname, '..', 'fixtures', 'filter');
const CAPTURE = join(DIR, 'sv__output-eve-ftp-data-input.pcap');
const EXPECTED = new Map(
  readFileSync(join(DIR, 'tshark-streams.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const [f, streams] = l.split('\t');
    return [f, streams ? streams.split(' ').map(Number) : []] as const;
  }),
);
// Wireshark 4 wants commas between set members; ours takes both.
const ours = (f: string) => f.replace('{20, 21}', '{20 21}');

async function load(): Promise<FlowColumns> {
  return flowColumnsOf((await analyzeSources([await createNodeFileSource(CAPTURE)])).reports, null);
}
const streamsOf = (c: FlowColumns, text: string) => [...queryFlows(c, { ...DEFAULT_QUERY, text })].map((r) => c.tcpStream[r]).sort((a, b) => a - b);

describe('filter expressions against tshark', () => {
  it('each test selects the connections with a matching packet', async () => {
    const c = await load();
    expect(c.count).toBe(80);
    expect(EXPECTED.size).toBeGreaterThan(20);
    for (const [f, want] of EXPECTED) expect(streamsOf(c, ours(f)), f).toEqual(want);
  });

  it('and, or and not combine the tests per connection', async () => {
    const c = await load();
    const all = [...Array(80).keys()];
    const set = (f: string) => new Set(EXPECTED.get(f)!);
    const pairs: [string, string][] = [['tcp.flags.reset == 1', 'tcp.port > 40000'], ['ip.src == 192.168.0.13', 'tcp.dstport == 20'], ['tcp.analysis.flags', 'tcp.flags.reset == 1']];
    for (const [a, b] of pairs) {
      expect(streamsOf(c, `${a} and ${b}`)).toEqual(all.filter((s) => set(a).has(s) && set(b).has(s)));
      expect(streamsOf(c, `${a} || ${b}`)).toEqual(all.filter((s) => set(a).has(s) || set(b).has(s)));
      expect(streamsOf(c, `!(${a}) && ${b}`)).toEqual(all.filter((s) => !set(a).has(s) && set(b).has(s)));
    }
    // Not a packet without RST (every connection has one), but a connection without any RST.
    expect(streamsOf(c, 'not tcp.flags.reset == 1')).toEqual(all.filter((s) => !set('tcp.flags.reset == 1').has(s)));
    expect(streamsOf(c, 'tcp.flags.reset != 1')).toEqual(streamsOf(c, 'not tcp.flags.reset == 1'));
  });

  const tshark = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p));
  // A few of the recorded lines, one of each kind of field (tshark takes a second or more to start).
  (tshark ? it : it.skip)(`the recorded streams are what tshark says (${tshark ?? 'tshark not installed: skipped'})`, () => {
    for (const f of ['tcp.port in {20, 21}', 'ip.src == 192.168.0.1', 'tcp.flags.reset == 1', 'tcp.analysis.flags']) {
      const want = EXPECTED.get(f);
      const out = execFileSync(tshark!, ['-r', CAPTURE, '-Y', `tcp && (${f})`, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect([...new Set(out.split('\n').filter(Boolean).map(Number))].sort((a, b) => a - b), f).toEqual(want);
    }
  });
});
