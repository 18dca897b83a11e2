/**
 * One close view everywhere: on real captures, the packets the explorer draws in "the close" focus are the packets
 * a share link carries (and the shared page draws back), the packets `analyze --explain` lists, and the packets the
 * engine's bounded window keeps around the close.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { ladderData } from '../../src/engine/session';
import { layoutLadders } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS } from '../../src/render/ladder-types';
import { makeShareState } from '../../src/share/make-share';
import { DEFAULT_VIEW } from '../../src/share/share-state';
import { connectionToText } from '../../src/export/text-ladder';
import { closeView, CLOSE_LEAD, CLOSE_SPAN } from '../../src/model/close-window';
import { FIN, ACK, RST } from '../../src/model/segment';

const opts = { width: 700, timeMode: 'even' as const, focus: 'close' as const, labels: DEFAULT_LABELS, zoom: 1 };
const inputs = [
  ...readdirSync('tests/fixtures/closes').filter((f) => f.endsWith('.pcap')).map((f) => join('tests/fixtures/closes', f)),
  ...readdirSync('tests/fixtures/closes/zeek').filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join('tests/fixtures/closes/zeek', f)),
  'tests/fixtures/captures/zeek__tcp-reassembly.pcap',
  'tests/fixtures/captures/sv__bug-4810-pppoe-session-http.pcap',
];

describe('the close view', () => {
  it('is a few packets before the first FIN/RST and a bounded span from it', () => {
    const flags = [ACK, ACK, ACK, ACK, ACK, ACK, FIN | ACK, ...Array(60).fill(ACK)];
    expect(closeView((k) => flags[k], flags.length)).toEqual({ start: 6, from: 6 - CLOSE_LEAD, to: 6 + CLOSE_SPAN });
    expect(closeView((k) => [SYN_ONLY, RST][k], 2)).toEqual({ start: 1, from: 0, to: 2 });
    expect(closeView(() => ACK, 20)).toEqual({ start: -1, from: 12, to: 20 });
    expect(closeView(() => ACK, 0)).toEqual({ start: -1, from: 0, to: 0 });
  });

  it('is the same on screen, in a share link, in the text ladder and in the engine window (real captures)', async () => {
    let compared = 0;
    let cut = 0;
    for (const file of inputs) {
      const session = await analyzeSources([await createNodeFileSource(file)], {});
      for (const c of session.reports) {
        const data = ladderData(session, c);
        const small = ladderData(session, c, CLOSE_LEAD * 5 + CLOSE_SPAN);
        const [g] = layoutLadders([data], opts);
        const drawn = g.arrows.map((a) => a.packet.index);
        const shared = makeShareState([data], DEFAULT_VIEW, { anonymise: false, ports: false, whole: false }).ladders[0].packets.map((p) => p.i);
        const listed = [...connectionToText(c, data.packets).matchAll(/^ {2}#(\d+) /gm)].map((m) => Number(m[1]) - 1);
        const [gs] = layoutLadders([small], opts);
        expect(shared, `${file} ${c.id}`).toEqual(drawn);
        expect(listed, `${file} ${c.id}`).toEqual(drawn);
        expect(gs.arrows.map((a) => a.packet.index), `${file} ${c.id} bounded`).toEqual(drawn);
        expect(g.hiddenBefore + drawn.length + g.hiddenAfter).toBe(data.totalPackets);
        compared++;
        if (g.hiddenAfter > 0 || g.hiddenBefore > 0) cut++;
      }
    }
    expect(compared).toBeGreaterThan(40);
    expect(cut).toBeGreaterThan(3);
  });
});

const SYN_ONLY = 0x02;
