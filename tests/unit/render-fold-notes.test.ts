/**
 * Issue 16 item 4: a shared link holds the close only; drawn "all in the link", its ladder says the earlier packets
 * are not in the link instead of "not drawn" (which suggested a button could draw them). The explorer's own close
 * view still says "not drawn". On a real capture (clean-client-first.pcap: 10 packets, the close from packet 7).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/engine/analyze-sources';
import { ladderData } from '../../src/engine/session';
import { createBytesSource } from '../../src/lib/byte-source';
import { layoutLadders } from '../../src/render/ladder-geometry';
import { foldText } from '../../src/render/ladder-labels';
import { DEFAULT_LABELS } from '../../src/render/ladder-types';
import { makeShareState } from '../../src/share/make-share';
import { DEFAULT_VIEW } from '../../src/share/share-state';
import { decodeShareFragment, encodeShareFragment } from '../../src/share/link-codec';
import { sharedToLadderData } from '../../src/ui/share/to-ladder-data';

describe('fold notes', () => {
  it('"not in the link" on a shared close drawn whole; "not drawn" in the explorer\'s close view', async () => {
    const s = await analyzeSources([createBytesSource('c.pcap', new Uint8Array(readFileSync('tests/fixtures/closes/clean-client-first.pcap')))]);
    const d = ladderData(s, s.reports.toArray()[0]);
    const o = { width: 600, timeMode: 'even' as const, labels: DEFAULT_LABELS, zoom: 1 };
    const [close] = layoutLadders([d], { ...o, focus: 'close' });
    expect(close.hiddenBefore).toBeGreaterThan(0);
    expect(foldText(close.hiddenBefore, 'earlier', close.foldNotes?.before)).toBe(`⋮ ${close.hiddenBefore} earlier packets not drawn`);
    // Through the link itself, as the shared page reads it.
    const state = makeShareState([d], DEFAULT_VIEW, { anonymise: true, ports: false, whole: false });
    const shared = sharedToLadderData(decodeShareFragment(encodeShareFragment(state))!.state.ladders[0]);
    const [all] = layoutLadders([shared], { ...o, focus: 'whole' });
    expect(all.hiddenBefore).toBe(close.hiddenBefore);
    expect(foldText(all.hiddenBefore, 'earlier', all.foldNotes?.before)).toBe(`⋮ ${all.hiddenBefore} earlier packets not in the link`);
    // Its window is the scaled one, as the sender's was (the shift travels in the link).
    expect(shared.packets.some((p) => p.windowShift === 10)).toBe(true);
    expect(shared.packets.map((p) => p.windowShift)).toEqual(d.packets.slice(d.packets.length - shared.packets.length).map((p) => p.windowShift));
  });
});
