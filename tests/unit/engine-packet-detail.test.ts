import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createEngineSession } from '../../src/engine/session';

// Expected values read with tshark 4.0 from the same capture:
// tshark -r clean-client-first.pcap -T fields -e ip.ttl -e tcp.options.mss_val -e tcp.options.wscale.shift
//        -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr -e tcp.options.sack_perm
const FILE = 'tests/fixtures/closes/clean-client-first.pcap';

describe('packet details re-read from the file', () => {
  for (const gz of [false, true]) {
    it(`gives a packet's IP and TCP option facts${gz ? ' (gzip input)' : ''}`, async () => {
      const bytes = readFileSync(FILE);
      const s = createEngineSession();
      await s.load([{ kind: 'bytes', name: 'clean.pcap', bytes: gz ? gzipSync(bytes) : bytes }], {});
      const syn = await s.packetDetail(0, 0);
      expect(syn).toMatchObject({ frame: 1, ttl: 64, ipLength: 60, mss: 65495, windowScale: 10, sackPermitted: true, tsVal: 918791811, tsEcr: 0 });
      const synAck = await s.packetDetail(0, 1);
      expect(synAck).toMatchObject({ frame: 2, mss: 65495, tsVal: 480564480, tsEcr: 918791811 });
      const ack = await s.packetDetail(0, 2);
      expect(ack).toMatchObject({ frame: 3, mss: null, windowScale: null, sackPermitted: false, tsVal: 918791811, tsEcr: 480564480 });
      expect(await s.packetDetail(0, 999)).toBeNull();
      expect(await s.packetDetail(7, 0)).toBeNull();
    });
  }

  it('has no details for packets from capture text (no bytes to re-read)', async () => {
    const s = createEngineSession();
    const text = readFileSync('tests/fixtures/seed/inside-capture.txt', 'utf8');
    await s.load([{ kind: 'text', name: 'inside.txt', text }], { date: '2018-06-20' });
    expect(await s.packetDetail(0, 0)).toBeNull();
  });
});
