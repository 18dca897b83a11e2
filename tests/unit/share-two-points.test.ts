/**
 * Share links of a connection seen at two capture points (issue #19): the link carries each packet's time and raw
 * numbers at both points and each point's view of the endpoints, so the shared page draws the same split arrows,
 * drops and NAT as the explorer; damaged point views are left out, never trusted.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { layoutLadders } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS, type LadderData } from '../../src/render/ladder-types';
import { makeShareState } from '../../src/share/make-share';
import { DEFAULT_VIEW } from '../../src/share/share-state';
import { decodeShareFragment, encodeShareFragment } from '../../src/share/link-codec';
import { validatePacket } from '../../src/share/validate';
import { sharedToLadderData } from '../../src/ui/share/to-ladder-data';

async function twoPoints(name: string): Promise<LadderData> {
  const dir = new URL('../fixtures/two-points/', import.meta.url);
  const files = [`${name}-inside.pcap`, `${name}-outside.pcap`];
  const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, dir))))));
  return ladderData(s, s.reports.at(0)!);
}

const layout = (d: LadderData) => layoutLadders([d], { width: 760, timeMode: 'proportional', focus: 'whole', labels: DEFAULT_LABELS, zoom: 1 })[0];

function roundTrip(d: LadderData, anonymise: boolean): LadderData {
  const link = encodeShareFragment(makeShareState([{ connection: d.connection, packets: d.packets }], DEFAULT_VIEW, { anonymise, ports: false, whole: true }));
  const decoded = decodeShareFragment(link)!;
  expect(decoded.dropped).toEqual([]);
  return sharedToLadderData(decoded.state.ladders[0]);
}

describe('share links of two capture points', () => {
  for (const name of ['clean', 'late-rst', 'randomised']) {
    it(`${name}: the shared ladder breaks the same arrows at the firewall lane, at the same places`, async () => {
      const d = await twoPoints(name);
      const before = layout(d);
      const shared = roundTrip(d, false);
      // Each point's time (to 0.1 µs) and raw numbers.
      shared.packets.forEach((p, k) => {
        p.points!.forEach((s, i) => {
          const o = d.packets[k].points![i];
          if (!o) return expect(s).toBeNull();
          expect(s!.seq).toBe(o.seq);
          expect(s!.ack).toBe(o.ack);
          expect(Math.abs(s!.timeUs - o.timeUs)).toBeLessThan(0.1);
        });
      });
      const after = layout(shared);
      const shape = (g: typeof before) => g.arrows.map((a) => [a.x1, a.x2, a.half ? [a.half.x1, a.half.x2, Math.round(a.half.y1 - a.y2)] : null, a.dropped !== null]);
      expect(shape(after)).toEqual(shape(before));
      expect(after.lanes.map((l) => [l.label, l.sublabel])).toEqual(before.lanes.map((l) => [l.label, l.sublabel]));
    });
  }

  it('pseudonymised: each point\'s addresses are replaced, the translation between them stays visible', async () => {
    const d = await twoPoints('clean');
    const g = layout(roundTrip(d, true));
    const text = g.lanes.map((l) => `${l.label} ${l.sublabel} ${l.title ?? ''}`).join(' ');
    expect(text).not.toMatch(/10\.19\.0\.2|198\.51\.100\.1:/);
    expect(text).toMatch(/client as [\d.]+:\d+ at capture 2/);
    expect(g.arrows.every((a) => a.half)).toBe(true);
  });

  it('reads point views only when whole; a link without them draws one arrow per packet', () => {
    const base = [10, 1, 2, 1, 1, 0, 500, 3, 7];
    expect(validatePacket([...base, 'rst-after-close', [[10, 5, 6], 0]])).toMatchObject({ x: ['rst-after-close'], pv: [[10, 5, 6], null] });
    for (const bad of [[[10, 5]], [[10, -5, 6], 0], [[10, 5, 6], [1, 2, 2 ** 33]], [0, 0], [['a', 1, 2], 0], [[Infinity, 1, 2], 0], 'x']) {
      const p = validatePacket([...base, bad]);
      expect(p).not.toBeNull();
      expect(p!.pv).toBeUndefined();
    }
  });
});
