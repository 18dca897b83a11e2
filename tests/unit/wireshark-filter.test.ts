// The "copy Wireshark filter" texts, and the flow table's stream column, on a capture checked against tshark.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { streamFilter, tupleFilter } from '../../src/render/wireshark-filter';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { flowColumnsOf } from '../../src/engine/flow-columns';
import { DEFAULT_QUERY, queryFlows } from '../../src/model/flow-table';

const CAPTURE = join(__dirname, '..', 'fixtures', 'streams', 'icmp-quoted-and-bad-offset.pcap');

describe('Wireshark filters for a connection', () => {
  it('stream and 4-tuple forms, IPv4 and IPv6', () => {
    expect(streamFilter(5)).toBe('tcp.stream eq 5');
    expect(tupleFilter({ ip: '10.0.0.1', port: 40001 }, { ip: '10.0.0.2', port: 80 })).toBe(
      '(ip.addr eq 10.0.0.1 and ip.addr eq 10.0.0.2) and (tcp.port eq 40001 and tcp.port eq 80)',
    );
    expect(tupleFilter({ ip: '2001:db8::1', port: 40010 }, { ip: '2001:db8::2', port: 443 })).toMatch(/^\(ipv6\.addr eq 2001:db8::1 and ipv6\.addr eq 2001:db8::2\)/);
  });

  it('the flow columns carry tcpStream and sort by it', async () => {
    const s = await analyzeSources([await createNodeFileSource(CAPTURE)]);
    const flows = flowColumnsOf(s.reports, null);
    expect([...flows.tcpStream]).toEqual([0, 1, 2, 5, 4]);
    expect([...queryFlows(flows, { ...DEFAULT_QUERY, sort: 'stream' })]).toEqual([0, 1, 2, 4, 3]);
  });

  // tshark itself, when installed: each filter selects exactly the connection's frames (ICMP quotes aside).
  const tshark = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p));
  (tshark ? it : it.skip)(`tshark selects the connection with either filter (${tshark ?? 'tshark not installed: skipped'})`, async () => {
    const s = await analyzeSources([await createNodeFileSource(CAPTURE)]);
    for (const c of s.reports) {
      const frames = (f: string) =>
        execFileSync(tshark!, ['-r', CAPTURE, '-Y', `(${f}) and not icmp and not icmpv6 and tcp.hdr_len >= 20`, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
          .trim().split('\n').filter(Boolean).map(Number);
      const n = c.packets.client + c.packets.server;
      expect(frames(streamFilter(c.tcpStream!)).length).toBe(n);
      expect(frames(tupleFilter(c.client, c.server)).length).toBe(n);
    }
  });
});
