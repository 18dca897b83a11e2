// tshark's tcp.stream numbers on captures written to shift them (tests/fixtures/streams, README there): TCP headers
// quoted in ICMP/ICMPv6 errors and with a data offset below 5 take a stream number in tshark but are no packets of
// any connection here; GTP-U and Cisco HDLC under link type PPP are followed to their TCP. Checked against tshark's
// own reading of each capture (<capture>.tshark.tsv).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { connOfRows } from './conn-of-rows';

const DIR = join(__dirname, '..', 'fixtures', 'streams');

async function check(name: string) {
  const s = await analyzeSources([await createNodeFileSource(join(DIR, name), name)]);
  const t = s.table;
  const connOf = new Map<number, number>();
  const conn = connOfRows(s.connections, t.length);
  for (let i = 0; i < t.length; i++) connOf.set(t.frame.get(i), conn[i]);
  const tcpStream = s.connections.tcpStream!;
  const rows = readFileSync(join(DIR, `${name}.tshark.tsv`), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const problems: string[] = [];
  let packets = 0;
  let streamOnly = 0;
  for (const [frame, stream, icmp, icmp6, , , flags] of rows) {
    const ours = connOf.get(Number(frame));
    if (stream === '') {
      if (ours !== undefined) problems.push(`frame ${frame}: tshark has no TCP stream, ours is a packet of ${ours}`);
    } else if (icmp || icmp6 || !flags) {
      // Quoted in an ICMP error, or a data offset below 5: numbered by tshark, no packet of the connection.
      streamOnly++;
      if (ours !== undefined) problems.push(`frame ${frame}: a quoted/bad header counted as a packet of connection ${ours}`);
    } else {
      packets++;
      if (ours === undefined) problems.push(`frame ${frame}: tshark stream ${stream}, not decoded`);
      else if (tcpStream[ours] !== Number(stream)) problems.push(`frame ${frame}: tshark stream ${stream}, our tcpStream ${tcpStream[ours]}`);
    }
  }
  return { problems, packets, streamOnly, connections: s.reports.toArray(), tablePackets: t.length };
}

describe('tcpStream = tshark tcp.stream', () => {
  it('ICMP/ICMPv6 quotes and data offsets below 5 shift the numbers but are not packets of the connection', async () => {
    const r = await check('icmp-quoted-and-bad-offset.pcap');
    expect(r.problems).toEqual([]);
    expect(r.packets).toBe(15);
    expect(r.streamOnly).toBe(6); // frames 3, 7, 14 (Packet Too Big), 16, 19, 20
    expect(r.tablePackets).toBe(15);
    // tshark's streams 0 1 2 4 5 have packets; 3 (an ICMPv6 quote only) has none.
    expect(r.connections.map((c) => [c.client.port, c.tcpStream])).toEqual([[40001, 0], [40002, 1], [40010, 2], [40030, 5], [40020, 4]]);
    const ptb = r.connections.find((c) => c.client.port === 40010)!;
    expect(ptb.packets).toEqual({ client: 2, server: 3 }); // the Packet Too Big (frame 14) is not among them
  });

  it('GTP-U (UDP 2152) is followed to the inner TCP, IPv4 and IPv6, with sequence numbers and extension headers', async () => {
    const r = await check('gtpu.pcap');
    expect(r.problems).toEqual([]);
    expect(r.packets).toBe(9);
    expect(r.connections.map((c) => [c.client.ip, c.server.port, c.close?.kind])).toEqual([['100.64.0.9', 443, 'clean'], ['2001:db8::99', 443, 'refused']]);
  });

  it('Cisco HDLC frames under link type PPP are read as tshark reads them (ppp:chdlc)', async () => {
    const r = await check('chdlc-under-ppp.pcap');
    expect(r.problems).toEqual([]);
    expect(r.packets).toBe(7);
    expect(r.connections.map((c) => c.close?.kind)).toEqual(['clean', 'refused']);
  });
});
