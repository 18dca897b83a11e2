// A PPPoE length shorter than the IPv4 datagram it carries (Zeek's pppoe-over-qinq trace): tshark, and the
// per-packet facts, follow the PPPoE length; TcpSegment.ipExtraLength keeps what the IP header claims beyond it,
// which only the Zeek analysis counts (Zeek trusts the IP header).
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { decodeInput } from '../../src/decode/index';
import { createProblemLog } from '../../src/model/problems';

it('keeps payloadLength as tshark reads it and the IP-claimed extra bytes beside it', async () => {
  const file = join(__dirname, '..', 'fixtures', 'closes', 'zeek', 'zeek__pppoe-over-qinq.pcap');
  const seen: [number, number, number][] = [];
  await decodeInput(await createNodeFileSource(file), 0, {
    segments: { segment: (s) => void (s.ipExtraLength && seen.push([s.frame, s.payloadLength, s.ipExtraLength])) },
  }, { problems: createProblemLog(file) });
  // tshark lists exactly these frames with ip.len 46 and tcp.len 0 ("IPv4 total length exceeds packet length (40 bytes)").
  expect(seen).toEqual([[19, 0, 6], [33, 0, 6], [41, 0, 6], [47, 0, 6], [63, 0, 6], [81, 0, 6]]);
});
