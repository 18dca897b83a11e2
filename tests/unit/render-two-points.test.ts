/**
 * Ladders of two capture points (issue #19) on the real captures of tests/fixtures/two-points and the seed case:
 * each arrow breaks at the firewall lane, the sender's half at the time the point on its side saw the packet, the
 * receiver's half at the other point's time; a packet seen on the sender's side only stops at the lane; lanes
 * carry each point's addresses; numbers per point raw or relative; the user's clock offset moves the second
 * point's halves; labels never overprint.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { layoutLadders, MIN_WIDTH, type LadderLayoutOptions } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS, type LadderData } from '../../src/render/ladder-types';
import { overlaps } from '../../src/render/label-layout';
import type { LadderGeometry } from '../../src/render/geometry-types';
import { ladderToMermaid } from '../../src/export/mermaid';
import { makeShareState } from '../../src/share/make-share';
import { DEFAULT_VIEW } from '../../src/share/share-state';

async function ladder(dir: string, files: string[]): Promise<LadderData> {
  const base = new URL(dir, import.meta.url);
  const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, base))))));
  return ladderData(s, s.reports.toArray().find((c) => c.vantage)!);
}
const twoPoints = (name: string) => ladder('../fixtures/two-points/', [`${name}-inside.pcap`, `${name}-outside.pcap`]);
const seed = () => ladder('../fixtures/seed/', ['inside-capture.txt', 'outside-capture.txt', 'asa-syslog.log']);

const opts = (o: Partial<LadderLayoutOptions> = {}): LadderLayoutOptions =>
  ({ width: 760, timeMode: 'compressed', focus: 'whole', labels: DEFAULT_LABELS, zoom: 1, ...o });

function overprints(g: LadderGeometry): string[] {
  const b = g.textBoxes ?? [];
  const out: string[] = [];
  for (const { box, what } of b) if (box.x0 < 0 || box.x1 > g.width) out.push(`${what} leaves the ladder`);
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) if (overlaps(b[i].box, b[j].box)) out.push(`${b[i].what} / ${b[j].what}`);
  return out;
}

describe('two capture points on the ladder', () => {
  it('clean close through SNAT: every arrow breaks at the firewall lane, the SYN 13 ms further down outside', async () => {
    const d = await twoPoints('clean');
    const [g] = layoutLadders([d], opts({ timeMode: 'proportional' }));
    const [client, fw, server] = g.lanes;
    expect(fw.role).toBe('firewall');
    expect(client.sublabel).toMatch(/^10\.19\.0\.2:\d+$/);
    expect(server.sublabel).toBe('198.51.100.80:8081');
    // The points (client's side first) and the translation, in the lane's text or its title where room is short.
    const said = [fw.label, fw.sublabel, fw.title].join(' / ');
    expect(said).toContain('clean-inside | clean-outside');
    expect(said).toMatch(/client as 198\.51\.100\.1:\d+ at clean-outside/);
    const [wide] = layoutLadders([d], opts({ width: 1100 }));
    expect([wide.lanes[1].label, wide.lanes[1].sublabel]).toEqual(['firewall: clean-inside | clean-outside', expect.stringMatching(/^client as 198\.51\.100\.1:\d+ at clean-outside$/)]);
    expect(g.arrows).toHaveLength(10);
    for (const a of g.arrows) {
      expect(a.half).toBeTruthy();
      expect(a.dropped).toBeNull();
      // The sender's half ends at the lane, the receiver's leaves it.
      expect(a.x2).toBe(fw.x);
      expect(a.half!.x1).toBe(fw.x);
      expect(a.half!.x2).toBe(a.packet.fromClient ? server.x : client.x);
      // Each point saw the packet first on its sender's side: the receiver's half starts no higher.
      expect(a.half!.y1).toBeGreaterThanOrEqual(a.y2);
    }
    // The SYN spent 13.35 ms in the firewall (ARP through the delay line): a long drop along the lane, far longer
    // than the next packets' (µs).
    const syn = g.arrows[0];
    expect(syn.half!.y1 - syn.y2).toBeGreaterThan(20);
    expect(g.arrows[2].half!.y1 - g.arrows[2].y2).toBeLessThan(2);
    expect(syn.pointNote).toContain('13.3 ms between the points');
    expect(syn.pointNote).toMatch(/at clean-inside .*10\.19\.0\.2:\d+ to 198\.51\.100\.80:8081, seq \d+; at clean-outside .*198\.51\.100\.1:\d+ to/);
  });

  it('late RST: the server\'s RSTs, seen outside only, stop at the firewall lane with their mark', async () => {
    const d = await twoPoints('late-rst');
    const [g] = layoutLadders([d], opts());
    const fw = g.lanes[1];
    const rsts = g.arrows.filter((a) => a.tone === 'rst');
    expect(rsts).toHaveLength(4);
    for (const a of rsts) {
      expect(a.packet.fromClient).toBe(false);
      expect(a.dropped).toBe('seen at late-rst-outside.pcap only, missing at late-rst-inside.pcap: dropped at the firewall');
      expect(a.half).toBeNull();
      expect([a.x1, a.x2]).toEqual([g.lanes[2].x, fw.x]);
    }
    // The FINs they answer crossed.
    expect(g.arrows.filter((a) => a.tone === 'fin' && a.packet.fromClient).every((a) => a.half && !a.dropped)).toBe(true);
  });

  it('sequence randomisation: each half numbered as its point saw it, raw or relative per point', async () => {
    const d = await twoPoints('randomised');
    const inside = d.packets[0].points![0]!.seq;
    const outside = d.packets[0].points![1]!.seq;
    expect((outside - inside) >>> 0).toBe(0x9e3779b9);
    const rel = layoutLadders([d], opts())[0].arrows[0];
    expect(rel.labelRest).toMatch(/^seq 0/);
    expect(rel.half!.labelRest).toBe('seq 0');
    const raw = layoutLadders([d], opts({ points: { numbers: { client: 'relative', server: 'raw' } } }))[0].arrows[0];
    expect(raw.labelRest).toMatch(/^seq 0/);
    expect(raw.half!.labelRest).toBe(`seq ${outside}`);
    const both = layoutLadders([d], opts({ points: { numbers: { client: 'raw', server: 'raw' } } }))[0].arrows[0];
    expect(both.labelRest).toMatch(new RegExp(`^seq ${inside}`));
  });

  it('the seed: the client is outside, so the outside capture is on the client\'s side; the server\'s RST stops at the lane', async () => {
    const d = await seed();
    const [g] = layoutLadders([d], opts());
    const [client, fw, server] = g.lanes;
    expect(client.sublabel).toBe('198.51.100.77:55132');
    expect(server.sublabel).toBe('10.20.30.15:443');
    // The log names the interfaces (client's side first); the translation is in the lane's title.
    expect(fw.sublabel).toBe('OUTSIDE | INSIDE');
    expect(fw.title).toBe('server as 203.0.113.15:443 at outside-capture');
    const last = g.arrows[g.arrows.length - 1];
    expect(last.tone).toBe('rst');
    expect(last.packet.fromClient).toBe(false);
    expect(last.dropped).toContain('seen at inside-capture.txt only');
    expect([last.x1, last.x2]).toEqual([server.x, fw.x]);
    // The client's FIN crossed from the outside point (client's side) to the inside one.
    const fin = g.arrows.find((a) => a.packet.fromClient && a.tone === 'fin')!;
    expect(fin.x1).toBe(client.x);
    expect(fin.half!.x2).toBe(server.x);
  });

  it('a clock offset set by the user moves the second point\'s halves', async () => {
    const d = await twoPoints('clean');
    const est = layoutLadders([d], opts({ timeMode: 'proportional' }))[0].arrows;
    const moved = layoutLadders([d], opts({ timeMode: 'proportional', points: { clockOffsetMs: { [d.connection.id]: -20 } } }))[0].arrows;
    // Said to be 20 ms behind, the outside clock's times move 20 ms later: the client's packets take longer to
    // cross, the server's arrive inside before they left outside (the drop along the lane goes up).
    for (let k = 0; k < est.length; k++) {
      const a = moved[k];
      if (a.packet.fromClient) expect(a.half!.y1 - a.y2).toBeGreaterThan(est[k].half!.y1 - est[k].y2);
      else expect(a.half!.y1).toBeLessThan(a.y2);
    }
    expect(moved[1].pointNote).toContain('negative: adjust the clock offset');
  });

  it('labels never overprint, at every width and time mode', async () => {
    const all = [await twoPoints('clean'), await twoPoints('late-rst'), await twoPoints('randomised'), await seed()];
    for (const width of [MIN_WIDTH, 360, 760, 1100]) {
      for (const timeMode of ['proportional', 'compressed', 'even'] as const) {
        for (const g of layoutLadders(all.slice(0, width < 500 ? 4 : 1), opts({ width, timeMode }))) expect(overprints(g), `${width} ${timeMode}`).toEqual([]);
        for (const d of all) expect(overprints(layoutLadders([d], opts({ width, timeMode }))[0]), `${d.connection.files[0]} ${width} ${timeMode}`).toEqual([]);
      }
    }
  });
});

describe('Mermaid export of two capture points', () => {
  const mermaid = (d: LadderData) =>
    ladderToMermaid(makeShareState([{ connection: d.connection, packets: d.packets }], DEFAULT_VIEW, { anonymise: false, ports: false, whole: true }).ladders[0]);

  it('has a firewall participant when every packet crossed', async () => {
    const text = mermaid(await twoPoints('clean'));
    expect(text).toContain('participant F as Firewall');
    expect(text.split('\n').filter((l) => /^\s+C->>S: /.test(l))).toHaveLength(6);
    expect(text).not.toMatch(/-x F/);
    // The SYN has no ACK: no ack number.
    expect(text).toMatch(/C->>S: SYN seq 0 \(/);
  });

  it('draws the RSTs the firewall dropped as stopping there, not delivered', async () => {
    const text = mermaid(await twoPoints('late-rst'));
    const rsts = text.split('\n').filter((l) => /RST/.test(l));
    expect(rsts).toHaveLength(4);
    for (const l of rsts) expect(l).toMatch(/^\s+S-x F: RST seq 302 \(\+[\d.]+ ms\) .*\(not seen beyond the firewall\)$/);
  });
});
