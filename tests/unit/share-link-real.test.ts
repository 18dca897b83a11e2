import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { createNodeFileSource } from '../../src/cli/node-file-source';
import { decodeShareFragment, encodeShareFragment } from '../../src/share/link-codec';
import { makeShareState } from '../../src/share/make-share';
import { DEFAULT_VIEW } from '../../src/share/share-state';

// The link dictionary was tuned on tests/fixtures (closes, seed); the lesson captures are other
// runs of real stacks (other ports, times, sizes), so they measure what users get.
const dir = 'public/lessons/captures';

describe('share links of real closes', () => {
  it('two closes of the lesson captures fit in 2,000 characters, pseudonymised, and round-trip', async () => {
    const ladders = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort()) {
      const session = await analyzeSources([await createNodeFileSource(join(dir, f))], {});
      for (const c of session.reports.toArray()) ladders.push({ connection: c, packets: connectionPackets(session, c.id) });
    }
    expect(ladders.length).toBeGreaterThan(10);
    const lengths: number[] = [];
    for (let i = 0; i < ladders.length; i++) {
      const pair = [ladders[i], ladders[(i + 1) % ladders.length]];
      const state = makeShareState(pair, DEFAULT_VIEW, { anonymise: true, ports: false, whole: false });
      const fragment = encodeShareFragment(state);
      lengths.push(fragment.length);
      const back = decodeShareFragment(fragment);
      expect(back?.dropped).toEqual([]);
      expect(back?.state.ladders.map((l) => l.packets.length)).toEqual(state.ladders.map((l) => l.packets.length));
    }
    lengths.sort((a, b) => a - b);
    console.log(`share links for ${lengths.length} pairs of real closes: median ${lengths[lengths.length >> 1]}, max ${lengths.at(-1)} characters`);
    expect(lengths.at(-1)).toBeLessThan(2000);
  });
});
