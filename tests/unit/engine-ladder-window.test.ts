import { describe, expect, it } from 'vitest';
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { createBytesSource } from '../../src/lib/byte-source';
import { ladderData } from '../../src/engine/session';
import { connectionPacketWindow, windowStart } from '../../src/engine/packet-window';
import { longConnectionPcapBytes } from '../../bench/hostile/long-connection';

// Issue 15 item 2: a ladder keeps at most `limit` packets around the close and builds objects only for them.
describe('bounded ladder window', () => {
  it('picks the window from the flags alone', () => {
    const flags = [0x02, 0x12, 0x10, ...new Array(100).fill(0x18), 0x11, 0x11, 0x10];
    const f = (k: number) => flags[k];
    expect(windowStart(f, flags.length, 1000)).toBe(0);
    expect(windowStart(f, flags.length, 10)).toBe(103 - 20); // from 20 packets before the first FIN
    const early = [0x02, 0x12, 0x10, ...new Array(30).fill(0x18), 0x04, ...new Array(100).fill(0x18)];
    expect(windowStart((k) => early[k], early.length, 50)).toBe(33 - 20); // 20 packets before the first RST
    const none = new Array(200).fill(0x18);
    expect(windowStart((k) => none[k], none.length, 50)).toBe(150);
  });

  it('gives exactly what the whole timeline sliced would, for a connection of 60,006 packets', async () => {
    const s = await analyzeSources([createBytesSource('long.pcap', longConnectionPcapBytes(60_000))]);
    expect(s.reports.length).toBe(1);
    const all = connectionPackets(s, 0);
    expect(all.length).toBe(60_006);
    const win = connectionPacketWindow(s, 0, 4000);
    expect(win.total).toBe(60_006);
    expect(win.from).toBe(60_006 - 4000);
    expect(win.packets).toEqual(all.slice(win.from, win.from + 4000));
    const d = ladderData(s, s.reports.at(0)!, 4000);
    expect(d.totalPackets).toBe(60_006);
    expect(d.packets.length).toBe(4000);
    expect(d.packets.at(-1)!.flags).toBe(0x10);
    expect(d.packets.at(-3)!.flags).toBe(0x11);
    expect(d.packets[0].index).toBe(56_006);
    expect(connectionPacketWindow(s, 1, 10).packets).toEqual([]);
    expect(connectionPacketWindow(s, 'x', 10).total).toBe(0);
    expect(connectionPacketWindow(s, 0, 0).packets).toEqual([]);
  });
});
