import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

// tshark -r tests/fixtures/closes/clean-client-first.pcap -T fields -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw -e tcp.len
// (first three: SYN, SYN-ACK, ACK of the handshake; the capture was made by scripts/make-close-captures.sh)
describe('analyze --json --packets', () => {
  it('gives each connection its packet timeline', () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/analyze.ts', '--json', '--packets', 'tests/fixtures/closes/clean-client-first.pcap'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const c = doc.connections[0];
    expect(c.timeline).toHaveLength(c.packets.client + c.packets.server);
    const [syn, synAck, ack] = c.timeline;
    // [timeUs, fromClient, flags, seq, ack, relSeq, relAck, length, window, frame, file, anomalies]
    expect(syn.slice(1, 10)).toEqual([1, 0x002, syn[3], 0, 0, 0, 0, syn[8], 1]);
    expect(synAck.slice(1, 3)).toEqual([0, 0x012]);
    expect(synAck[4]).toBe((syn[3] + 1) >>> 0);
    expect(ack.slice(1, 3)).toEqual([1, 0x010]);
    expect(ack.slice(5, 7)).toEqual([1, 1]);
    expect(c.timeline.map((p: number[]) => p[9])).toEqual(c.timeline.map((_: unknown, i: number) => i + 1));
  });

  it('--options adds the TCP options of each packet, as tshark reads them', () => {
    // tshark -r tests/fixtures/closes/clean-client-first.pcap -T fields -e frame.number -e tcp.options.mss_val
    //   -e tcp.options.wscale.shift -e tcp.options.sack_perm -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr -e ip.ttl
    const tshark = [
      [1, 65495, 10, true, 918791811, 0, 64],
      [2, 65495, 10, true, 480564480, 918791811, 64],
      [3, null, null, false, 918791811, 480564480, 64],
    ];
    const r = spawnSync('npx', ['tsx', 'src/cli/analyze.ts', '--json', '--packets', '--options', 'tests/fixtures/closes/clean-client-first.pcap'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const timeline = JSON.parse(r.stdout).connections[0].timeline as unknown[][];
    const got = timeline.slice(0, 3).map((p) => {
      const o = p[12] as { mss: number | null; windowScale: number | null; sackPermitted: boolean; tsVal: number; tsEcr: number; ttl: number };
      return [p[9], o.mss, o.windowScale, o.sackPermitted, o.tsVal, o.tsEcr, o.ttl];
    });
    expect(got).toEqual(tshark);
  });
});

