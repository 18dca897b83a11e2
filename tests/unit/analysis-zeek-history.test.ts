/**
 * zeek.ts keeps history strings in a trie of the letters appended so far (bounded; past the bound it concatenates).
 * Whatever the trie holds, the history must be the plain concatenation of the letters: here random connections are
 * run twice through zeekPacket, once through the trie and once with the trie switched off for that connection
 * (zHistNode = -1), enough of them to fill the trie, so histories also leave it halfway.
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN, createSegment } from '../../src/model/segment';
import { Conn } from '../../src/analysis/conn-state';
import { zeekConnState, zeekInit, zeekPacket } from '../../src/analysis/zeek';
import { rng } from './seeded-random';


const FLAGS = [SYN, SYN | ACK, ACK, ACK, ACK, ACK, FIN | ACK, RST, RST | ACK, FIN | RST, SYN | FIN];

/** Runs one random connection (from `seed`) through a Conn; `trie` false switches the history trie off. */
function run(seed: number, trie: boolean): { history: string; state: string } {
  const r = rng(seed);
  const c = new Conn(4, 40000 + (seed % 100), [80, 443, 50000][seed % 3]);
  if (!trie) c.zHistNode = -1;
  const s = createSegment();
  const next = [Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 32)];
  const packets = 4 + Math.floor(r() * 40);
  for (let k = 0; k < packets; k++) {
    const d = r() < 0.5 ? 0 : 1;
    s.flags = FLAGS[Math.floor(r() * FLAGS.length)];
    s.srcPort = d === 0 ? c.aPort : c.bPort;
    s.dstPort = d === 0 ? c.bPort : c.aPort;
    s.payloadLength = r() < 0.5 ? 0 : 1 + Math.floor(r() * 1400);
    // Mostly in order; sometimes resent (retransmissions) or ahead (gaps).
    const jump = r();
    s.seq = (jump < 0.15 ? next[d] - 100 : jump < 0.25 ? next[d] + 5000 : next[d]) >>> 0;
    s.ack = (next[d ^ 1] + (r() < 0.1 ? 3000 : 0)) >>> 0;
    s.window = r() < 0.1 ? 0 : 512;
    if (k === 0) zeekInit(c, s.flags, s.srcPort, s.dstPort);
    zeekPacket(c, d, s);
    if (s.seq === next[d]) next[d] = (next[d] + s.payloadLength + (s.flags & (SYN | FIN) ? 1 : 0)) >>> 0;
  }
  return { history: c.zHistory, state: zeekConnState(c) };
}

describe('zeek history trie', () => {
  it('gives the same history as plain concatenation, also once the trie is full', () => {
    const histories = new Set<string>();
    let longest = '';
    for (let seed = 1; seed <= 6000; seed++) {
      const viaTrie = run(seed, true);
      expect(viaTrie).toEqual(run(seed, false));
      histories.add(viaTrie.history);
      if (viaTrie.history.length > longest.length) longest = viaTrie.history;
    }
    // Enough distinct histories to fill the trie (4096 nodes), in many letters.
    expect(histories.size).toBeGreaterThan(4096);
    expect(longest.length).toBeGreaterThan(10);
    expect(new Set([...histories].join(''))).toEqual(new Set([...'^SHADFRTWGIQshadfrtwgiq']));
  });
});
