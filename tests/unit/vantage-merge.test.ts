// Two capture points of the same connections (firewall inside and outside) merged into one connection each:
// NAT (static and port translation), per-direction sequence offsets (ISN randomisation), a clock offset between
// the captures, and packets seen at only one point, through the real pipeline.
import { describe, expect, it } from 'vitest';
import { analyzeSources, connectionPackets } from '../../src/engine/analyze-sources';
import { createTextSource } from '../../src/lib/byte-source';
import { SEEN_PRIMARY, SEEN_SECONDARY } from '../../src/model/packet-table';

type P = [t: number, from: 'c' | 's', flags: string, seq: number, len: number, ack: number | null];

/** ASA `show capture` lines for packets p with the given endpoints and per-direction seq offsets. */
function capture(packets: P[], c: string, s: string, dc: number, ds: number, clockMs: number, skip: number[] = []): string[] {
  return packets.flatMap(([t, from, flags, seq, len, ack], i) => {
    if (skip.includes(i)) return [];
    const time = 36000 + t / 1000 + clockMs / 1000; // 10:00:00 + t ms
    const hh = Math.floor(time / 3600);
    const mm = Math.floor((time % 3600) / 60);
    const ss = (time % 60).toFixed(6).padStart(9, '0');
    const [src, dst] = from === 'c' ? [c, s] : [s, c];
    const sq = (seq + (from === 'c' ? dc : ds)) >>> 0;
    const ak = ack === null ? '' : ` ack ${(ack + (from === 'c' ? ds : dc)) >>> 0}`;
    return [`${i + 1}: ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${ss} ${src} > ${dst}: ${flags} ${sq}:${(sq + len) >>> 0}(${len})${ak} win 65535`];
  });
}

const C = 1000;
const S = 5000;
// A connection: handshake, request, response, client FIN, server FIN, a late client retransmission, server RST.
const conn: P[] = [
  [0, 'c', 'S', C, 0, null],
  [1, 's', 'S', S, 0, C + 1],
  [2, 'c', '.', C + 1, 0, S + 1],
  [3, 'c', 'P', C + 1, 100, S + 1],
  [10, 's', 'P', S + 1, 500, C + 101],
  [11, 'c', 'F', C + 101, 0, S + 501],
  [12, 's', 'F', S + 501, 0, C + 102],
  [13, 'c', '.', C + 102, 0, S + 502],
  [20, 'c', 'P', C + 102, 10, S + 502], // index 8: seen outside only (the firewall dropped it)
  [21, 's', 'R', S + 502, 0, null], // index 9: seen inside only (denied on its way out)
];

describe('two capture points', () => {
  it('merges NAT-ed, seq-shifted, clock-shifted captures and marks where each packet was seen', async () => {
    const inside = [
      ...capture(conn, '198.51.100.20.40000', '10.1.1.5.443', 0, 0, 0, [8]),
      ...capture(conn.map(([t, ...r]) => [t + 100, ...r] as P), '198.51.100.21.40001', '10.1.1.6.443', 0, 0, 0), // only inside
    ].join('\n');
    const outside = capture(conn, '198.51.100.20.40000', '203.0.113.5.443', 0xfffff000, 123456789, 5, [9]).join('\n');
    const s = await analyzeSources([createTextSource('inside.txt', inside), createTextSource('outside.txt', outside)], { date: '2024-03-01' });
    const conns = s.reports.toArray();
    expect(conns.map((c) => `${c.client.ip}:${c.client.port} ${c.server.ip}:${c.server.port}`)).toEqual([
      '198.51.100.20:40000 10.1.1.5:443', '198.51.100.21:40001 10.1.1.6:443',
    ]);
    const m = conns[0];
    expect(m.files).toEqual(['inside.txt', 'outside.txt']);
    expect(m.vantage!.points).toEqual(['inside.txt', 'outside.txt']);
    expect(m.vantage!.clockOffsetMs).toBeCloseTo(5, 6);
    expect(m.vantage!.dropped).toEqual([
      { packet: 8, seenAt: 'outside.txt', missingAt: 'inside.txt' },
      { packet: 9, seenAt: 'inside.txt', missingAt: 'outside.txt' },
    ]);
    expect(m.packets).toEqual({ client: 6, server: 4 });
    const pk = connectionPackets(s, m.id);
    const rows = pk.map((p) => s.connections.row(Number(m.id), p.index));
    const both = SEEN_PRIMARY | SEEN_SECONDARY;
    expect(rows.map((r) => s.table.seenAt.get(r))).toEqual([both, both, both, both, both, both, both, both, SEEN_SECONDARY, SEEN_PRIMARY]);
    // The outside-only packet is in the inside numbering, orientation and clock.
    expect(pk[8]).toMatchObject({ file: 'outside.txt', fromClient: true, seq: C + 102, ack: S + 502, payloadLength: 10 });
    expect(pk[8].timeUs - pk[0].timeUs).toBeCloseTo(20_000, 3);
    expect(conns[1].vantage).toBeUndefined();
  });

  it('port translation: the firewall log pairs the inside and outside views', async () => {
    const built = '<166>Mar 01 2024 10:00:00 fw : %ASA-6-302013: Built outbound TCP connection 77 for outside:192.0.2.80/80 (192.0.2.80/80) to inside:10.1.1.7/5555 (203.0.113.7/61000)';
    const teardown = '<166>Mar 01 2024 10:00:00 fw : %ASA-6-302014: Teardown TCP connection 77 for outside:192.0.2.80/80 to inside:10.1.1.7/5555 duration 0:00:00 bytes 610 TCP FINs from inside';
    const inside = capture(conn, '10.1.1.7.5555', '192.0.2.80.80', 0, 0, 0, [8]).join('\n');
    const outside = capture(conn, '203.0.113.7.61000', '192.0.2.80.80', 777, 0, 1, [9]).join('\n');
    const s = await analyzeSources([
      createTextSource('fw.log', `${built}\n${teardown}\n`), createTextSource('inside.txt', inside), createTextSource('outside.txt', outside),
    ]);
    expect(s.reports.toArray()).toHaveLength(1);
    const m = s.reports.at(0)!;
    expect(m.client).toEqual({ ip: '10.1.1.7', port: 5555 });
    expect(m.vantage?.dropped.map((d) => d.packet)).toEqual([8, 9]);
    expect(m.firewall).toMatchObject({ connId: '77', mapped: { client: { ip: '203.0.113.7', port: 61000 } } });
    expect(m.start.startsWith('2024-03-01T10:00:00')).toBe(true); // date from the log
  });

  it('does not merge different connections that merely share ports', async () => {
    const a = capture(conn, '198.51.100.20.40000', '10.1.1.5.443', 0, 0, 0).join('\n');
    const other: P[] = conn.map(([t, f, fl, seq, len, ack]) => [t + 3, f, fl, seq + 7777, len + (fl === 'P' ? 1 : 0), ack]);
    const b = capture(other, '198.51.100.99.40000', '203.0.113.5.443', 0, 0, 0).join('\n');
    const s = await analyzeSources([createTextSource('a.txt', a), createTextSource('b.txt', b)], { date: '2024-03-01' });
    expect(s.reports.toArray()).toHaveLength(2);
    expect(s.reports.toArray().every((c) => c.vantage === undefined)).toBe(true);
  });
});
