/**
 * Labels never overprint: on real captures (every close fixture, and the connections of the largest fixture
 * capture drawn whole), in every time mode and at every width the page allows (four ladders side by side on a
 * 1280 px screen, large type, one wide ladder), no two placed text boxes overlap and none leaves the ladder.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { ladderData } from '../../src/engine/session';
import { layoutLadders, MIN_WIDTH } from '../../src/render/ladder-geometry';
import { DEFAULT_LABELS, type LadderData } from '../../src/render/ladder-types';
import { overlaps } from '../../src/render/label-layout';
import type { LadderGeometry } from '../../src/render/geometry-types';

async function ladders(file: string): Promise<LadderData[]> {
  const session = await analyzeSources([await createNodeFileSource(file)], {});
  return session.reports.toArray().map((c) => ladderData(session, c));
}

function problems(g: LadderGeometry): string[] {
  const boxes = g.textBoxes ?? [];
  const out: string[] = [];
  for (const { box, what } of boxes) if (box.x0 < 0 || box.x1 > g.width) out.push(`${what} leaves the ladder (${box.x0.toFixed(0)}..${box.x1.toFixed(0)} of ${g.width})`);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (overlaps(boxes[i].box, boxes[j].box)) out.push(`${boxes[i].what} overprints ${boxes[j].what} at y ${boxes[i].box.y0.toFixed(0)}`);
    }
  }
  return out;
}

const widths = [MIN_WIDTH, 360, 500, 760];
const modes = ['proportional', 'compressed', 'even'] as const;

describe('ladder labels', () => {
  it('never overprint or leave the ladder on the close fixtures, side by side, at every width and time mode', async () => {
    const dir = 'tests/fixtures/closes';
    const all: LadderData[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort()) all.push(...(await ladders(join(dir, f))));
    expect(all.length).toBeGreaterThan(15);
    let texts = 0;
    for (const width of widths) {
      for (const timeMode of modes) {
        for (let i = 0; i < all.length; i += 4) {
          const set = all.slice(i, i + 4);
          for (const g of layoutLadders(set, { width, timeMode, focus: 'close', labels: { ...DEFAULT_LABELS, window: true }, zoom: 1 })) {
            expect(problems(g), `${width} ${timeMode} ${g.lanes[0].sublabel}`).toEqual([]);
            texts += g.textBoxes?.length ?? 0;
          }
        }
      }
    }
    expect(texts).toBeGreaterThan(1000);
  });

  it('never overprint on a many-packet connection drawn whole, zoomed out, and still label its close', async () => {
    const many = await ladders('tests/fixtures/closes/zeek/zeek__ssh-ssh.client-side-half-duplex.pcap');
    const big = many.sort((a, b) => b.packets.length - a.packets.length)[0];
    expect(big.packets.length).toBeGreaterThan(150);
    for (const zoom of [0.5, 1, 2]) {
      for (const timeMode of modes) {
        const [g] = layoutLadders([big], { width: 500, timeMode, focus: 'whole', labels: DEFAULT_LABELS, zoom });
        expect(problems(g), `${timeMode} ${zoom}`).toEqual([]);
        // One row per packet, not zoomed out: the close's own label always has room.
        if (timeMode === 'even' && zoom >= 1 && g.closeAt !== null) expect(g.arrows.find((a) => a.at === g.closeAt)!.label, `${timeMode} ${zoom}`).not.toBe('');
      }
    }
  });

  it('keeps long IPv6 addresses inside narrow ladders', async () => {
    const [d] = await ladders('tests/fixtures/closes/ipv6-clean.pcap');
    const long = { ...d, connection: { ...d.connection, client: { ip: '2001:db8:85a3:1234:5678:8a2e:370:7334', port: 54321 }, server: { ip: '2001:db8:85a3:1234:5678:8a2e:370:1', port: 443 } } };
    for (const width of [MIN_WIDTH, 360]) {
      const [g] = layoutLadders([long], { width, timeMode: 'even', focus: 'close', labels: DEFAULT_LABELS, zoom: 1 });
      expect(problems(g)).toEqual([]);
      for (const l of g.lanes) if (!l.sublabel) expect(l.title).toContain(':');
    }
  });
});
