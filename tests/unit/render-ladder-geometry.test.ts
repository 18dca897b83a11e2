import { describe, expect, it } from 'vitest';
import { layoutLadders, visibleRange } from '../../src/render/ladder-geometry';
import { buildTimeAxis, ROW, FOLD_US } from '../../src/render/time-axis';
import type { LadderData, LadderPacket } from '../../src/render/ladder-types';
import { DEFAULT_LABELS } from '../../src/render/ladder-types';
import type { ConnectionReport } from '../../src/model/report';

const FIN = 1, RST = 4, ACK = 16, PSH = 8;
const T0 = Date.UTC(2018, 5, 20, 12, 0, 47) * 1000 + 907301;

function pkt(index: number, dtUs: number, fromClient: boolean, flags: number, relSeq: number, relAck: number, anomalies: string[] = [], len = 0): LadderPacket {
  return { index, timeUs: T0 + dtUs, fromClient, flags, relSeq, relAck, payloadLength: len, window: 65535, anomalies };
}

/** The seed case as the inside capture saw it: server FIN, client ACK, client FIN + RST, server RST. */
function seedLadder(withFirewall: boolean): LadderData {
  const packets = [
    pkt(0, 0, false, FIN | ACK, 1, 1),
    pkt(1, 45_179, true, ACK, 1, 2),
    pkt(2, 2_536_386, true, FIN | ACK, 1, 2),
    pkt(3, 2_536_386, true, RST | ACK, 2, 2, ['fin-rst-together']),
    pkt(4, 2_536_447, false, RST, 2, 0, ['rst-after-close']),
  ];
  const connection: ConnectionReport = {
    id: '0', files: ['inside.txt'], client: { ip: '198.51.100.77', port: 55132 }, server: { ip: '10.20.30.15', port: 443 },
    start: '2018-06-20T12:00:47.907301Z', end: '2018-06-20T12:00:50.443748Z',
    packets: { client: 3, server: 2 }, payloadBytes: { client: 0, server: 0 }, handshake: 'none',
    close: {
      fin: { client: true, server: true }, rst: { client: true, server: true }, initiator: 'server', kind: 'fin-then-rst',
      simultaneous: false, finRstTogether: true, lateRst: true, dataAfterFin: false, zeekState: 'SF', history: '^fAFRr',
      states: {
        client: [{ state: 'ESTABLISHED', packet: 0 }, { state: 'CLOSE_WAIT', packet: 0 }, { state: 'LAST_ACK', packet: 2 }, { state: 'CLOSED', packet: 3 }],
        server: [{ state: 'ESTABLISHED', packet: 0 }, { state: 'FIN_WAIT_1', packet: 0 }, { state: 'FIN_WAIT_2', packet: 1 }, { state: 'TIME_WAIT', packet: 2 }],
      },
      anomalies: [], tls: null, explanation: 'The server closed first.',
    },
    ...(withFirewall
      ? {
          firewall: {
            device: 'ASA', connId: '47772320', built: '2018-06-20T11:58:45Z',
            teardown: { time: '2018-06-20T12:00:50.000000Z', reason: 'TCP FINs', reasonKind: 'fins', from: 'INSIDE' },
            denies: [{
              time: '2018-06-20T12:00:50Z', flags: 'RST', interface: 'INSIDE', src: { ip: '10.20.30.15', port: 443 },
              dst: { ip: '198.51.100.77', port: 55132 }, afterTeardownMs: 0, messageId: '106015', cause: 'no-connection',
            }],
            mapped: null,
          },
        }
      : {}),
  };
  return { connection, packets, totalPackets: packets.length, origin: '' };
}

const opts = { width: 600, timeMode: 'compressed' as const, focus: 'close' as const, labels: DEFAULT_LABELS, zoom: 1 };

describe('ladder geometry', () => {
  it('draws client and server lanes, one arrow per packet going down in time', () => {
    const [g] = layoutLadders([seedLadder(false)], opts);
    expect(g.lanes.map((l) => l.role)).toEqual(['client', 'server']);
    expect(g.arrows).toHaveLength(5);
    for (let i = 1; i < g.arrows.length; i++) expect(g.arrows[i].y).toBeGreaterThan(g.arrows[i - 1].y);
    // FIN and RST in the same microsecond still get their own rows.
    expect(g.arrows[3].y - g.arrows[2].y).toBeGreaterThanOrEqual(ROW);
    // Server-to-client arrows start at the server lane and slope down.
    const client = g.lanes[0].x, server = g.lanes[1].x;
    expect([g.arrows[0].x1, g.arrows[0].x2]).toEqual([server, client]);
    expect(g.arrows[0].y2).toBeGreaterThan(g.arrows[0].y1);
    expect(g.hasFirewallLane).toBe(false);
  });

  it('labels arrows with flags and relative numbers, and names them for screen readers', () => {
    const [g] = layoutLadders([seedLadder(false)], opts);
    expect(g.arrows[2].label).toBe('FIN ACK  seq 1  ack 2  +2.491 s');
    // Text captures of the close only: no handshake, so the window is the raw field, said so.
    expect(g.arrows[2].ariaLabel).toBe('client to server, FIN ACK, seq 1, ack 2, window field 65535, scale unknown, 2.491 s after the previous packet');
    expect(g.arrows[3].ariaLabel).toContain('same microsecond as the previous packet, fin rst together');
    const [bare] = layoutLadders([seedLadder(false)], { ...opts, labels: { flags: true, seq: false, length: false, window: true, delta: false } });
    expect(bare.arrows[4].label).toBe('RST  win 65535 raw');
  });

  it('folds the 2.49 s idle gap in compressed mode, keeps it in proportional, ignores it in even', () => {
    const [c] = layoutLadders([seedLadder(false)], opts);
    expect(c.breaks).toHaveLength(1);
    expect(c.breaks[0].idleUs).toBe(2_536_386 - 45_179);
    expect(c.breaks[0].y).toBeGreaterThan(c.arrows[1].y);
    expect(c.breaks[0].y).toBeLessThan(c.arrows[2].y);
    const [e] = layoutLadders([seedLadder(false)], { ...opts, timeMode: 'even' });
    expect(e.breaks).toHaveLength(0);
    const steps = e.arrows.slice(1).map((a, i) => a.y - e.arrows[i].y);
    // Even spacing; the note under the FIN+RST arrow adds its own room.
    expect(steps[0]).toBe(ROW);
    expect(steps[1]).toBe(ROW);
    const [p] = layoutLadders([seedLadder(false)], { ...opts, timeMode: 'proportional' });
    // Proportional: the 45 ms ACK sits near the top, the 2.5 s gap takes nearly all the height.
    const span = p.arrows[4].y - p.arrows[0].y;
    expect((p.arrows[1].y - p.arrows[0].y) / span).toBeLessThan(0.1);
    expect(p.ticks.length).toBeGreaterThan(2);
    // Crowded arrows keep their names but drop labels that would overlap.
    const labelled = p.arrows.filter((a) => a.label);
    expect(labelled.length).toBeLessThan(p.arrows.length);
    for (let i = 1; i < labelled.length; i++) expect(labelled[i].y - labelled[i - 1].y).toBeGreaterThanOrEqual(15);
    expect(p.arrows.every((a) => a.ariaLabel.length > 0)).toBe(true);
  });

  it('puts endpoint states beside their lanes where they begin', () => {
    const [g] = layoutLadders([seedLadder(false)], opts);
    const client = g.states.filter((s) => s.side === 'client').map((s) => s.text);
    expect(client).toEqual(['ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
    const lastAck = g.states.find((s) => s.text === 'LAST-ACK')!;
    expect(lastAck.anchor).toBe('end');
    expect(Math.abs(lastAck.y - 4 - g.arrows[2].y1)).toBeLessThan(1);
  });

  it('adds a firewall lane with teardown and deny, and stops the denied RST there', () => {
    const [g] = layoutLadders([seedLadder(true)], opts);
    expect(g.lanes.map((l) => l.role)).toEqual(['client', 'firewall', 'server']);
    const fw = g.lanes[1];
    const rst = g.arrows[4];
    expect(rst.dropped).toMatch(/denied/);
    expect(rst.x2).toBe(fw.x);
    expect(g.arrows.filter((a) => a.dropped)).toHaveLength(1);
    const teardown = g.events.find((e) => e.kind === 'teardown')!;
    const deny = g.events.find((e) => e.kind === 'deny')!;
    expect(teardown.text).toBe('Teardown · TCP FINs from INSIDE');
    expect(deny.text).toBe('106015 Deny RST (no connection)');
    // The syslog stamp (12:00:50) has one-second resolution: placed after the packets that caused them.
    expect(teardown.y).toBeGreaterThan(g.arrows[2].y);
    expect(deny.y).toBeGreaterThan(rst.y);
    expect(deny.detail).toContain('one-second resolution');
    // The "built" message two minutes earlier is outside the close.
    expect(g.events.some((e) => e.kind === 'built')).toBe(false);
    const [whole] = layoutLadders([seedLadder(true)], { ...opts, focus: 'whole' });
    expect(whole.events[0].kind).toBe('built');
  });

  it('draws a connection known only from the firewall log: events on the firewall lane', () => {
    const d = seedLadder(true);
    d.packets = [];
    d.totalPackets = 0;
    d.connection.source = 'syslog';
    const [g] = layoutLadders([d, seedLadder(false)], opts);
    expect(g.arrows).toHaveLength(0);
    expect(g.lanes.map((l) => l.role)).toEqual(['client', 'firewall', 'server']);
    expect(g.events.map((e) => e.kind)).toEqual(['built', 'teardown', 'deny']);
    for (let i = 1; i < g.events.length; i++) expect(g.events[i].y).toBeGreaterThan(g.events[i - 1].y);
  });

  it('aligns side-by-side ladders on their first FIN', () => {
    const a = seedLadder(false);
    const b = seedLadder(false);
    // b: three data packets before its FIN, 10 ms apart, and a later first FIN.
    b.packets = [pkt(0, -30_000, true, PSH | ACK, 1, 1, [], 100), pkt(1, -20_000, false, ACK, 1, 101), pkt(2, -10_000, true, PSH | ACK, 101, 1, [], 50), ...b.packets.map((p) => ({ ...p, index: p.index + 3, timeUs: p.timeUs + 5e6 }))];
    b.totalPackets = b.packets.length;
    for (const mode of ['compressed', 'even', 'proportional'] as const) {
      const [ga, gb] = layoutLadders([a, b], { ...opts, timeMode: mode });
      const finA = ga.arrows.find((x) => x.packet.flags & FIN)!;
      const finB = gb.arrows.find((x) => x.packet.flags & FIN)!;
      expect(finA.y).toBeCloseTo(finB.y, 6);
      expect(ga.alignY).toBeCloseTo(finA.y, 6);
      expect(ga.height).toBe(gb.height);
      // One shared axis: only the leftmost ladder prints times.
      expect(ga.arrows.some((x) => x.timeLabel)).toBe(true);
      expect(gb.arrows.every((x) => x.timeLabel === '')).toBe(true);
      expect(gb.lanes[0].x).toBeLessThan(ga.lanes[0].x);
    }
  });

  it('shows only the close in close focus and counts what it hides', () => {
    const d = seedLadder(false);
    const extra = Array.from({ length: 30 }, (_, i) => pkt(i, -1e6 + i * 1000, i % 2 === 0, ACK | PSH, 1 + i * 10, 1, [], 10));
    d.packets = [...extra, ...d.packets.map((p) => ({ ...p, index: p.index + 30 }))];
    d.totalPackets = d.packets.length;
    expect(visibleRange(d.packets, 'close')).toEqual([26, 35]);
    const [g] = layoutLadders([d], opts);
    expect(g.hiddenBefore).toBe(26);
    expect(g.arrows[0].packet.index).toBe(26);
    const [w] = layoutLadders([d], { ...opts, focus: 'whole' });
    expect(w.hiddenBefore).toBe(0);
    expect(w.arrows).toHaveLength(35);
  });
});

describe('narrow ladders', () => {
  it("drops the firewall lane's interface names where they would run into the addresses", () => {
    const d = seedLadder(true);
    d.connection.firewall = { ...d.connection.firewall!, interfaces: { client: 'OUTSIDE', server: 'INSIDE' } };
    const [wide] = layoutLadders([d], opts);
    expect(wide.lanes[1].sublabel).toBe('OUTSIDE | INSIDE');
    expect(wide.lanes[1].title).toBeUndefined();
    const [narrow] = layoutLadders([d], { ...opts, width: 360 });
    expect(narrow.lanes[1].sublabel).toBe('');
    expect(narrow.lanes[1].title).toBe('OUTSIDE | INSIDE');
    // The endpoints' addresses always stay.
    expect(narrow.lanes[0].sublabel).toBe('198.51.100.77:55132');
  });
});

describe('time axis', () => {
  it("does not push a ladder down a whole row for instants that belong only to another ladder", () => {
    // Ladder 0: FIN at 0, ACK at 45 ms. Ladder 1: five packets between 0 and 25 ms.
    const ax = buildTimeAxis([[0, 45_000], [0, 100, 200, 300, 400, 25_000]], 'compressed');
    const [a, b] = ax.ys;
    // One time order across ladders: the 45 ms ACK below everything earlier...
    expect(a[1]).toBeGreaterThan(b[5]);
    // ...but only a small step below it, not a further row.
    expect(a[1] - b[5]).toBeLessThan(ROW / 2);
    // Within a ladder, a full row at least between consecutive items.
    for (let i = 1; i < b.length; i++) expect(b[i] - b[i - 1]).toBeGreaterThanOrEqual(ROW);
    // Same in even mode; a single ladder is laid out exactly as before (one row per instant).
    const ev = buildTimeAxis([[0, 45_000], [0, 100, 200, 300, 400, 25_000]], 'even');
    expect(ev.ys[0][1] - ev.ys[1][5]).toBeLessThan(ROW / 2);
    const one = buildTimeAxis([[0, 10, 20]], 'even');
    expect(one.ys[0]).toEqual([one.ys[0][0], one.ys[0][0] + ROW, one.ys[0][0] + 2 * ROW]);
  });

  it('stacks same-instant items per ladder but not across ladders', () => {
    const ax = buildTimeAxis([[0, 0, 10], [0, 5]], 'even');
    expect(ax.ys[0][1] - ax.ys[0][0]).toBe(ROW);
    expect(ax.ys[1][0]).toBe(ax.ys[0][0]);
    expect(ax.ys[1][1]).toBeGreaterThan(ax.ys[0][1]);
    expect(ax.ys[0][2]).toBeGreaterThan(ax.ys[1][1]);
  });
  it('folds gaps of FOLD_US or more into a break that records the idle time', () => {
    const ax = buildTimeAxis([[0, 100, 100 + FOLD_US, 100 + 3 * FOLD_US]], 'compressed');
    expect(ax.breaks.map((b) => b.idleUs)).toEqual([FOLD_US, 2 * FOLD_US]);
  });
  it('zooms', () => {
    const a = buildTimeAxis([[0, 1000, 2000]], 'even', 1);
    const b = buildTimeAxis([[0, 1000, 2000]], 'even', 2);
    expect(b.ys[0][2] - b.ys[0][0]).toBe(2 * (a.ys[0][2] - a.ys[0][0]));
  });
});
