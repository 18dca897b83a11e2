// Two capture points of real traffic (tests/fixtures/two-points, made by scripts/make-two-point-captures.sh: Linux
// stacks in network namespaces, a Linux firewall with conntrack and SNAT between them, captured on its inside and
// outside interfaces). Each ladder packet must carry the time, addresses and sequence numbers each point saw;
// the expected values are read from the capture files here (record stamps, IPv4/TCP fields), independently of
// the decoder, and a few were checked by eye against `tcpdump -tt -nr`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisSession } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { RST } from '../../src/model/segment';

const DIR = new URL('../fixtures/two-points/', import.meta.url);

interface Rec { timeUs: number; src: string; dst: string; seq: number; ack: number; flags: number; len: number }

/** Records of a little-endian µs pcap of Ethernet + IPv4 + TCP frames. */
function records(name: string): Rec[] {
  const b = new Uint8Array(readFileSync(new URL(name, DIR)));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  expect(v.getUint32(0, true)).toBe(0xa1b2c3d4);
  const out: Rec[] = [];
  for (let at = 24; at + 16 <= b.length;) {
    const incl = v.getUint32(at + 8, true);
    const f = at + 16;
    const ihl = (b[f + 14] & 15) * 4;
    const t = f + 14 + ihl;
    const ip = (o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
    out.push({
      timeUs: v.getUint32(at, true) * 1e6 + v.getUint32(at + 4, true),
      src: `${ip(f + 26)}:${v.getUint16(t)}`, dst: `${ip(f + 30)}:${v.getUint16(t + 2)}`,
      seq: v.getUint32(t + 4), ack: v.getUint32(t + 8), flags: b[t + 13],
      len: v.getUint16(f + 16) - ihl - (b[t + 12] >> 4) * 4,
    });
    at = f + incl;
  }
  return out;
}

async function load(scenario: string): Promise<{ s: AnalysisSession; inside: Rec[]; outside: Rec[] }> {
  const files = [`${scenario}-inside.pcap`, `${scenario}-outside.pcap`];
  const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, DIR))))));
  return { s, inside: records(files[0]), outside: records(files[1]) };
}

const ep = (e: { ip: string; port: number }) => `${e.ip}:${e.port}`;

describe('two capture points of real traffic through a Linux SNAT firewall', () => {
  it('clean close: every packet at both points, with each point\'s time, addresses and numbers', async () => {
    const { s, inside, outside } = await load('clean');
    expect(s.reports.toArray()).toHaveLength(1);
    const c = s.reports.at(0)!;
    const v = c.vantage!;
    expect(v.points).toEqual(['clean-inside.pcap', 'clean-outside.pcap']);
    expect(v.dropped).toEqual([]);
    // The inside point saw the client's packets first; both captures were taken on one host: one clock.
    expect(v.clientSide).toBe(0);
    expect(v.clockOffsetMs).toBe(0);
    expect(v.clockOffsetRangeMs![0]).toBeLessThanOrEqual(0);
    expect(v.clockOffsetRangeMs![1]).toBeGreaterThanOrEqual(0);
    // SNAT: the client is 10.19.0.2 inside and the firewall's 198.51.100.1 outside, port kept.
    expect(v.endpoints!.map((e) => `${ep(e.client)} ${ep(e.server)}`)).toEqual([
      `${inside[0].src} ${inside[0].dst}`, `${outside[0].src} ${outside[0].dst}`,
    ]);
    expect(inside[0].src.startsWith('10.19.0.2:') && outside[0].src.startsWith('198.51.100.1:')).toBe(true);
    expect(v.seqShift).toEqual({ client: 0, server: 0 });
    const d = ladderData(s, c);
    expect(d.packets).toHaveLength(inside.length);
    expect(outside).toHaveLength(inside.length);
    d.packets.forEach((p, k) => {
      expect(p.seenAt).toBe(3);
      expect(p.points![0]).toEqual({ timeUs: inside[k].timeUs, seq: inside[k].seq, ack: inside[k].flags & 0x10 ? inside[k].ack : 0 });
      expect(p.points![1]).toEqual({ timeUs: outside[k].timeUs, seq: outside[k].seq, ack: outside[k].flags & 0x10 ? outside[k].ack : 0 });
      // Each packet reached the point nearer its sender first.
      const [tIn, tOut] = [p.points![0]!.timeUs, p.points![1]!.timeUs];
      expect(p.fromClient ? tOut >= tIn : tIn >= tOut).toBe(true);
    });
    // The SYN waited 13 ms inside the firewall (ARP for the server through the 5 ms delay line): tcpdump -tt shows
    // 1796543102.353769 inside and 1796543102.367119 outside.
    expect(d.packets[0].points![1]!.timeUs - d.packets[0].points![0]!.timeUs).toBe(13_350);
  });

  it('late RST: the server\'s RSTs are seen outside only, with the outside time and numbers', async () => {
    const { s, inside, outside } = await load('late-rst');
    const c = s.reports.at(0)!;
    const v = c.vantage!;
    expect(v.clientSide).toBe(0);
    const rsts = outside.filter((r) => r.flags & 0x04);
    expect(rsts).toHaveLength(4);
    expect(inside.filter((r) => r.flags & 0x04)).toHaveLength(0);
    const d = ladderData(s, c);
    expect(d.packets).toHaveLength(inside.length + rsts.length);
    const dropped = d.packets.filter((p) => p.seenAt === 2);
    expect(dropped.map((p) => p.flags & RST)).toEqual([RST, RST, RST, RST]);
    expect(dropped.every((p) => !p.fromClient && p.points![0] === null)).toBe(true);
    expect(dropped.map((p) => p.points![1]!.timeUs)).toEqual(rsts.map((r) => r.timeUs));
    expect(dropped.map((p) => p.points![1]!.seq)).toEqual(rsts.map((r) => r.seq));
    expect(v.dropped.map((x) => x.packet)).toEqual(dropped.map((p) => p.index));
    expect(v.dropped.every((x) => x.seenAt === 'late-rst-outside.pcap' && x.missingAt === 'late-rst-inside.pcap')).toBe(true);
    // Each RST answers a FIN of the client that crossed both points.
    for (const p of dropped) {
      const fin = d.packets[p.index - 1];
      expect(fin.fromClient && fin.flags & 1 && fin.seenAt).toBe(3);
    }
  });

  it('sequence randomisation: the client\'s numbers differ by a constant outside, the server\'s do not', async () => {
    const { s, inside, outside } = await load('randomised');
    const c = s.reports.at(0)!;
    expect(c.vantage!.seqShift).toEqual({ client: 0x9e3779b9, server: 0 });
    const d = ladderData(s, c);
    expect(d.packets.every((p) => p.seenAt === 3)).toBe(true);
    d.packets.forEach((p, k) => {
      expect(p.points![0]!.seq).toBe(inside[k].seq);
      expect(p.points![1]!.seq).toBe(outside[k].seq);
      if (inside[k].flags & 0x10) expect(p.points![1]!.ack).toBe(outside[k].ack);
    });
    expect(((d.packets[0].points![1]!.seq - d.packets[0].points![0]!.seq) >>> 0)).toBe(0x9e3779b9);
    // Relative numbers are the same at both points: SYN 0, first data 1.
    expect(d.packets[3]).toMatchObject({ relSeq: 1, payloadLength: 100 });
  });
});

describe('the seed case: the client on the outside', () => {
  it('finds the outside capture nearer the client, and one clock', async () => {
    const dir = new URL('../fixtures/seed/', import.meta.url);
    const files = ['inside-capture.txt', 'outside-capture.txt', 'asa-syslog.log'];
    const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, dir))))));
    const c = s.reports.toArray().find((r) => r.vantage)!;
    expect(c.vantage!.clientSide).toBe(1);
    expect(c.vantage!.clockOffsetMs).toBe(0);
    expect(c.vantage!.endpoints!.map((e) => ep(e.server))).toEqual(['10.20.30.15:443', '203.0.113.15:443']);
    const d = ladderData(s, c);
    // The server's RST: inside only (00:50.443748), its raw number there.
    const rst = d.packets[d.packets.length - 1];
    expect(rst).toMatchObject({ seenAt: 1, fromClient: false });
    expect(rst.points![0]!.seq).toBe(2320205171);
    expect(rst.points![1]).toBeNull();
  });
});

describe('the explanation speaks from what the two points saw', () => {
  const seedDir = new URL('../fixtures/seed/', import.meta.url);
  const seedFile = (f: string) => readFileSync(new URL(f, seedDir), 'utf8');
  const explain = async (outside: string) => {
    const s = await analyzeSources([
      createBytesSource('inside-capture.txt', new TextEncoder().encode(seedFile('inside-capture.txt'))),
      createBytesSource('outside-capture.txt', new TextEncoder().encode(outside)),
      createBytesSource('asa-syslog.log', new TextEncoder().encode(seedFile('asa-syslog.log'))),
    ]);
    return s.reports.toArray().find((r) => r.vantage)!.close!.explanation;
  };

  it('the seed: the client\'s RST crossed, the server\'s late RST did not', async () => {
    const text = await explain(seedFile('outside-capture.txt'));
    expect(text).toContain('Here both captures show what this firewall did: the client\'s RST crossed it (seen at inside-capture.txt and at outside-capture.txt); the server\'s RST did not cross it (seen at inside-capture.txt only).');
    expect(text).toContain('The server\'s RST was seen at inside-capture.txt only, not at outside-capture.txt: it did not cross the firewall.');
    expect(text).not.toContain('has usually removed the connection');
  });

  it('a late RST seen at both points was not dropped, whatever firewalls usually do', async () => {
    // The seed's outside capture as if the firewall had let the server's RST through: the inside RST's number
    // moved by the server's randomisation delta (inside F 2320205170 is outside F 3349673389).
    const crossed = `${seedFile('outside-capture.txt').trimEnd()}\n32470: 12:00:50.443763 203.0.113.15.443 > 198.51.100.77.55132: R 3349673390:3349673390(0) win 0\n`;
    const text = await explain(crossed);
    expect(text).toContain('the server\'s RST crossed it (seen at inside-capture.txt and at outside-capture.txt)');
    expect(text).not.toMatch(/did not cross|RST did not|has usually removed/);
  });

  it('late-rst capture pair: the close is classified from both points, whichever capture comes first', async () => {
    for (const reversed of [false, true]) {
      const files = ['late-rst-inside.pcap', 'late-rst-outside.pcap'];
      if (reversed) files.reverse();
      const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, DIR))))));
      const c = s.reports.at(0)!;
      // The inside capture alone shows a clean close (the firewall dropped every RST); the outside one shows the
      // server's RSTs after both FINs: FIN then RST, late RST, the server first, whichever point is the first.
      expect(c.close, files[0]).toMatchObject({ kind: 'fin-then-rst', initiator: 'server', lateRst: true, fin: { client: true, server: true }, rst: { client: false, server: true } });
      expect(s.summary?.byKind).toEqual({ 'fin-then-rst': 1 });
      const text = c.close!.explanation;
      expect(text).toMatch(/^The server closed first: it sent a FIN/);
      expect(text).toContain('The server then sent a RST');
      expect(text).toContain('Here both captures show what this firewall did: the server\'s RST did not cross it (seen at late-rst-outside.pcap only).');
      expect(text).not.toContain('a normal, harmless close');
    }
    // The clean pair stays clean.
    expect((await load('clean')).s.reports.at(0)!.close).toMatchObject({ kind: 'clean', initiator: 'client', lateRst: false });
  });

  it('late-rst capture pair: the RSTs the firewall dropped are said, with where they were seen', async () => {
    const { s } = await load('late-rst');
    expect(s.reports.at(0)!.close!.explanation).toContain(
      'The server\'s 4 RST packets were seen at late-rst-outside.pcap only, not at late-rst-inside.pcap: they did not cross the firewall.');
  });
});
