/**
 * Firewall log events on a ladder of two capture points (issue #19), on the seed case as an engineer brings it: the
 * outside capture, the ASA syslog, the inside capture (pasted text comes last, so in every order of the three). The
 * 106015 deny of the server's RST sits after that RST, however the points are ordered and the time axis is drawn;
 * the log's whole-second stamps are said; the log's clock is estimated from the events that match packets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { layoutLadders } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS, type LadderData } from '../../src/render/ladder-types';
import { estimateFirewallClock, type MarkClock } from '../../src/render/firewall-clock';
import { RST } from '../../src/model/segment';

const SEED = new URL('../fixtures/seed/', import.meta.url);

async function seed(files: string[]): Promise<LadderData> {
  const s = await analyzeSources(files.map((f) => createBytesSource(f, new Uint8Array(readFileSync(new URL(f, SEED))))));
  return ladderData(s, s.reports.toArray().find((c) => c.vantage)!);
}

const orders = [
  ['outside-capture.txt', 'asa-syslog.log', 'inside-capture.txt'],
  ['inside-capture.txt', 'outside-capture.txt', 'asa-syslog.log'],
  ['asa-syslog.log', 'inside-capture.txt', 'outside-capture.txt'],
];

describe('firewall events on two capture points', () => {
  for (const files of orders) {
    it(`the deny sits after the RST it denies (${files.join(', ')})`, async () => {
      const d = await seed(files);
      for (const timeMode of ['compressed', 'proportional', 'even'] as const) {
        for (const offset of [undefined, -0.5, 0.5]) {
          const points = offset === undefined ? undefined : { clockOffsetMs: { [d.connection.id]: offset } };
          const [g] = layoutLadders([d], { width: 760, timeMode, focus: 'whole', labels: DEFAULT_LABELS, zoom: 1, points });
          const deny = g.events.find((e) => e.kind === 'deny')!;
          const rst = g.arrows.find((a) => !a.packet.fromClient && a.packet.flags & RST)!;
          const where = `${timeMode} ${offset}`;
          // The server's RST, seen inside only, stops at the lane; the deny of it is drawn below that point.
          expect(rst.dropped, where).toContain('seen at inside-capture.txt only');
          expect(deny.after, where).toBe(rst.packet.index);
          expect(deny.y, where).toBeGreaterThan(rst.y2);
          // The client's RST (it crossed) is another packet, drawn before on the estimated clocks (a user's offset
          // of half a millisecond puts the server's RST, 61 µs after it, before it).
          const clientRst = g.arrows.find((a) => a.packet.fromClient && a.packet.flags & RST)!;
          if (offset === undefined) expect(clientRst.y, where).toBeLessThan(deny.y);
          // The teardown on the FINs follows the client's FIN at the lane.
          const teardown = g.events.find((e) => e.kind === 'teardown')!;
          const fin = g.arrows.find((a) => a.packet.fromClient && a.tone === 'fin')!;
          expect(teardown.after, where).toBe(fin.packet.index);
          expect(teardown.y, where).toBeGreaterThan(fin.y2);
          expect(g.firewallClock).toMatchObject({ wholeSecond: true, matched: 2, unmatched: 1 });
          expect(g.firewallNote).toMatch(/^Firewall log stamps are whole seconds: its events are drawn right after the packet each matches, the other at its stamp\. Its clock \(estimated\): /);
          expect(g.firewallNote).toContain('against outside-capture');
          expect(g.firewallNote).toContain('against inside-capture');
        }
      }
    });
  }

  it('the deny names the box it is: placed by the packet, the stamp said', async () => {
    const [g] = layoutLadders([await seed(orders[0])], { width: 760, timeMode: 'compressed', focus: 'whole', labels: DEFAULT_LABELS, zoom: 1 });
    const deny = g.events.find((e) => e.kind === 'deny')!;
    expect(deny.detail).toContain('logged 12:00:50 (syslog: one-second resolution), drawn after the packet it matches');
    const built = g.events.find((e) => e.kind === 'built')!;
    // The SYN is not in the captures: the Built stays at its stamp.
    expect(built.after).toBe(-1);
    expect(built.detail).toContain('drawn at its stamp');
  });
});

describe('estimateFirewallClock', () => {
  // Two packets: reached the firewall at 10.2 s and 20.7 s, the first left it at 10.3 s.
  const clock: MarkClock = { near: (i) => [10.2e6, 20.7e6][i], far: (i) => [10.3e6, null][i] };
  it('bounds the offset by causality: after the packet reached the firewall, a Built before it left', () => {
    const e = estimateFirewallClock([
      { stampUs: 10e6, resUs: 1e6, at: 0, beforeLeaving: true },
      { stampUs: 20e6, resUs: 1e6, at: 1, beforeLeaving: false },
    ], clock, 0);
    // Built at [10, 11) after 10.2 and before 10.3: offset in [-0.3, 0.8); deny at [20, 21) after 20.7: < 0.3.
    expect(e.rangeUs).toEqual([-0.3e6, 0.3e6]);
    expect(e.offsetUs).toBe(0);
  });
  it('moves the analysis\'s estimate into the bounds, and keeps it when nothing matched or the bounds disagree', () => {
    expect(estimateFirewallClock([{ stampUs: 20e6, resUs: 1e6, at: 1, beforeLeaving: false }], clock, 2e6).offsetUs).toBe(0.3e6 - 1);
    expect(estimateFirewallClock([{ stampUs: 20e6, resUs: 1e6, at: -1, beforeLeaving: false }], clock, 2e6)).toEqual({ offsetUs: 2e6, rangeUs: null });
    expect(estimateFirewallClock([
      { stampUs: 10e6, resUs: 1, at: 0, beforeLeaving: true },
      { stampUs: 30e6, resUs: 1, at: 0, beforeLeaving: true },
    ], clock, 5)).toEqual({ offsetUs: 5, rangeUs: null });
  });
});
