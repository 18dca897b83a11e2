// The seed case (../shared/cases/too-many-resets/inside-capture.txt): the five packets of the inside
// capture, built by hand as TcpSegments (no text decoder involved), run through the tracker.
//   33437 12:00:47.907301 10.20.30.15.443 > 198.51.100.77.55132: F 2320205170:2320205170(0) ack 991843171 win 65535
//   33438 12:00:47.952480 198.51.100.77.55132 > 10.20.30.15.443: . ack 2320205171 win 65535
//   33748 12:00:50.443687 198.51.100.77.55132 > 10.20.30.15.443: F 991843171:991843171(0) ack 2320205171 win 65535
//   33749 12:00:50.443687 198.51.100.77.55132 > 10.20.30.15.443: R 991843172:991843172(0) ack 2320205171 win 0
//   33750 12:00:50.443748 10.20.30.15.443 > 198.51.100.77.55132: R 2320205171:2320205171(0) win 0
import { describe, expect, it } from 'vitest';
import { PacketTable } from '../../src/model/packet-table';
import { ACK, FIN, RST, createSegment } from '../../src/model/segment';
import { createConnectionTracker } from '../../src/analysis/connections';
import { buildConnectionReport } from '../../src/analysis/connection-members';
import { summarizeList } from '../../src/analysis/summary';
import { ConnectionList } from '../../src/analysis/connection-list';

const DAY = Date.UTC(2018, 5, 20) * 1000;
const t = (h: number, m: number, s: number) => DAY + ((h * 60 + m) * 60 + s) * 1e6;
const SERVER = [10, 20, 30, 15];
const CLIENT = [198, 51, 100, 77];

type Row = [frame: number, time: number, fromServer: boolean, flags: number, seq: number, ack: number, win: number];
const rows: Row[] = [
  [33437, t(12, 0, 47.907301), true, FIN | ACK, 2320205170, 991843171, 65535],
  [33438, t(12, 0, 47.95248), false, ACK, 991843171, 2320205171, 65535],
  [33748, t(12, 0, 50.443687), false, FIN | ACK, 991843171, 2320205171, 65535],
  [33749, t(12, 0, 50.443687), false, RST | ACK, 991843172, 2320205171, 0],
  [33750, t(12, 0, 50.443748), true, RST, 2320205171, 0, 0],
];

function analyse() {
  const table = new PacketTable();
  const tracker = createConnectionTracker(table);
  const s = createSegment();
  for (const [frame, time, fromServer, flags, seq, ack, win] of rows) {
    s.frame = frame;
    s.timeUs = time;
    s.ipVersion = 4;
    s.srcAddr.set(fromServer ? SERVER : CLIENT);
    s.dstAddr.set(fromServer ? CLIENT : SERVER);
    s.srcPort = fromServer ? 443 : 55132;
    s.dstPort = fromServer ? 55132 : 443;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.window = win;
    s.payloadLength = 0;
    s.payload = null;
    tracker.segment(s);
  }
  const tracked = tracker.finish();
  return { table, tracked, report: buildConnectionReport(tracked, table, 0, ['inside-capture.txt']) };
}

describe('seed case: too many resets (inside capture)', () => {
  const { table, tracked, report } = analyse();
  const close = report.close!;

  it('is one connection; the server is 10.20.30.15:443 although its FIN is the first packet', () => {
    expect(tracked.count).toBe(1);
    expect(report.client).toEqual({ ip: '198.51.100.77', port: 55132 });
    expect(report.server).toEqual({ ip: '10.20.30.15', port: 443 });
    expect(report.clientBy).toBe('port-heuristic');
    expect(report.packets).toEqual({ client: 3, server: 2 });
    expect(report.handshake).toBe('none');
    expect([0, 1, 2, 3, 4].map((i) => table.fromClient.get(i))).toEqual([0, 1, 1, 1, 0]);
  });

  it('classifies the close: fin-then-rst, server first, FIN+RST together, late RST', () => {
    expect(close.kind).toBe('fin-then-rst');
    expect(close.initiator).toBe('server');
    expect(close.fin).toEqual({ client: true, server: true });
    expect(close.rst).toEqual({ client: true, server: true });
    expect(close.finRstTogether).toBe(true);
    expect(close.lateRst).toBe(true);
    expect(close.simultaneous).toBe(false);
    expect(close.dataAfterFin).toBe(false);
  });

  it('marks the packets: FIN+RST together on the client RST, RST after close on both RSTs', () => {
    const kinds = (p: number) => close.anomalies.filter((a) => a.packet === p).map((a) => a.kind);
    expect(kinds(3)).toEqual(expect.arrayContaining(['fin-rst-together', 'rst-after-close']));
    expect(kinds(4)).toContain('rst-after-close');
    expect(kinds(4)).not.toContain('fin-rst-together');
    expect(close.anomalies.some((a) => a.kind === 'rst-out-of-window')).toBe(false);
  });

  it('follows the endpoint states the capture implies', () => {
    expect(close.states.server.map((s) => s.state)).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(close.states.client.map((s) => `${s.state}@${s.packet}`)).toEqual(['ESTABLISHED@0', 'CLOSE_WAIT@0', 'LAST_ACK@2', 'CLOSED@3']);
  });

  it('gives Zeek state and history as Zeek would (flipped: first packet from port 443)', () => {
    // Zeek flips the roles (443 is a likely server port), so the originator is the client:
    // f (server FIN), A (client ACK), F (client FIN), R (client RST), r (server RST).
    // Both endpoints were CLOSED by their FINs before the RSTs, and Zeek leaves a CLOSED endpoint
    // alone on a RST once its peer is CLOSED too, so the state is SF, not RSTO/RSTR.
    expect(close.history).toBe('^fAFRr');
    expect(close.zeekState).toBe('SF');
  });

  it('explains it: server FIN first, then the client FIN and RST together, then the server RST', () => {
    const e = close.explanation;
    expect(e).toMatch(/^The server closed first: it sent a FIN/);
    const fin = e.indexOf('The client sent its own FIN');
    const rst = e.indexOf('The server then sent a RST');
    expect(fin).toBeGreaterThan(0);
    expect(e.slice(fin, rst)).toMatch(/in the same instant, a RST: FIN and RST together/);
    expect(rst).toBeGreaterThan(fin);
    expect(e).toMatch(/0\.061 ms later, after both FINs/);
    expect(e).toMatch(/SO_LINGER/);
    // Capture only: no vendor is known, so each one's name for the deny is given.
    expect(e).toContain('a deny for a packet with no connection (Cisco ASA/FTD message 106015; FortiGate "no session matched").');
  });

  it('counts the late RSTs in the summary', () => {
    const s = summarizeList(new ConnectionList(tracked, table, ['inside-capture.txt']));
    expect(s.byKind).toEqual({ 'fin-then-rst': 1 });
    expect(s.byInitiator).toEqual({ client: 0, server: 1, none: 0 });
    expect(s.rstsAfterBothFins).toBe(2);
    expect(s.topRstSenders).toEqual([
      { host: '10.20.30.15', role: 'server', rsts: 1 },
      { host: '198.51.100.77', role: 'client', rsts: 1 },
    ]);
  });
});
