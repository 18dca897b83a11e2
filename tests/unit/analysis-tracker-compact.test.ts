// The compact connection tracker (open-addressing 4-tuple hash, typed-array state, per-connection replay,
// lazy close facts) against independent, naive reference implementations written here.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PacketTable } from '../../src/model/packet-table';
import { ACK, FIN, PSH, SYN, createSegment, type TcpSegment } from '../../src/model/segment';
import { createConnectionTracker } from '../../src/analysis/connections';
import { buildConnectionReport } from '../../src/analysis/connection-members';
import { Conn, Dir } from '../../src/analysis/conn-state';
import { connOfRows } from './conn-of-rows';

interface Pkt {
  v6: boolean;
  host: [number, number]; // two hosts out of a small pool, so 4-tuples repeat
  ports: [number, number];
  reverse: boolean;
  flags: number;
  seq: number;
}

function fill(s: TcpSegment, p: Pkt, i: number): void {
  const [a, b] = p.reverse ? [p.host[1], p.host[0]] : p.host;
  const [pa, pb] = p.reverse ? [p.ports[1], p.ports[0]] : p.ports;
  s.ipVersion = p.v6 ? 6 : 4;
  s.srcAddr.fill(0);
  s.dstAddr.fill(0);
  // IPv6 hosts differ in the last word only, so a wrong word comparison would merge them.
  if (p.v6) {
    s.srcAddr.set([0x20, 0x01, 0x0d, 0xb8]);
    s.dstAddr.set([0x20, 0x01, 0x0d, 0xb8]);
    s.srcAddr[15] = a;
    s.dstAddr[15] = b;
  } else {
    s.srcAddr.set([10, 0, 0, a]);
    s.dstAddr.set([10, 0, 0, b]);
  }
  s.srcPort = pa;
  s.dstPort = pb;
  s.flags = p.flags;
  s.seq = p.seq;
  s.ack = 0;
  s.window = 1000;
  s.payloadLength = 0;
  s.payload = null;
  s.frame = i + 1;
  s.timeUs = 1e15 + i;
}

/**
 * Reference grouping, written from the rule in connections.ts's header: by bidirectional 4-tuple; a SYN without
 * ACK from a side that already sent starts a new connection when that side sent no plain SYN before or its SYN
 * had another sequence number.
 */
function referenceGroups(pkts: Pkt[]): number[] {
  const live = new Map<string, { id: number; sides: Map<string, { plainSyn: boolean; base: number }> }>();
  const out: number[] = [];
  let next = 0;
  for (const p of pkts) {
    const [a, b] = p.reverse ? [p.host[1], p.host[0]] : p.host;
    const [pa, pb] = p.reverse ? [p.ports[1], p.ports[0]] : p.ports;
    const src = `${p.v6 ? 6 : 4}/${a}/${pa}`;
    const dst = `${p.v6 ? 6 : 4}/${b}/${pb}`;
    const key = [src, dst].sort().join(' ');
    let c = live.get(key);
    const plainSyn = (p.flags & (SYN | ACK)) === SYN;
    const me = c?.sides.get(src);
    if (!c || (plainSyn && me && (!me.plainSyn || me.base !== p.seq >>> 0))) {
      c = { id: next++, sides: new Map() };
      live.set(key, c);
    }
    const side = c.sides.get(src) ?? { plainSyn: false, base: p.flags & SYN ? p.seq >>> 0 : (p.seq - 1) >>> 0 };
    if (plainSyn) side.plainSyn = true;
    c.sides.set(src, side);
    out.push(c.id);
  }
  return out;
}

const pktArb: fc.Arbitrary<Pkt> = fc.record({
  v6: fc.boolean(),
  host: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  ports: fc.tuple(fc.constantFrom(443, 80, 50000, 50001), fc.constantFrom(443, 50000, 50002)),
  reverse: fc.boolean(),
  flags: fc.constantFrom(SYN, SYN | ACK, ACK, PSH | ACK, FIN | ACK),
  seq: fc.constantFrom(0, 1000, 0x80000000, 0xfffffff0),
});

describe('compact connection tracker', () => {
  it('groups packets into connections exactly like the naive reference (4-tuples, directions, reuse), whatever room it made first', () => {
    fc.assert(
      // The room made at the first connection (createConnectionTracker's estimate): none, or more than is used.
      fc.property(fc.array(pktArb, { minLength: 1, maxLength: 300 }), fc.constantFrom(0, 5000), (pkts, room) => {
        const table = new PacketTable();
        const tracker = createConnectionTracker(table, room);
        const s = createSegment();
        pkts.forEach((p, i) => {
          fill(s, p, i);
          tracker.segment(s);
        });
        const t = tracker.finish();
        const got = Array.from(connOfRows(t, table.length));
        expect(got).toEqual(referenceGroups(pkts));
        expect(t.count).toBe(new Set(got).size);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps 50,000 connections apart through hash-table growth, and growth past the room it made first', () => {
    const table = new PacketTable();
    const tracker = createConnectionTracker(table, 2000);
    const s = createSegment();
    const n = 50_000;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < n; i++) {
        s.ipVersion = 4;
        s.srcAddr.set([10, (i >> 16) & 255, (i >> 8) & 255, i & 255]);
        s.dstAddr.set([192, 0, 2, 1]);
        [s.srcPort, s.dstPort] = [40000 + (i % 1000), 443];
        if (round === 1) {
          [s.srcAddr, s.dstAddr] = [s.dstAddr, s.srcAddr];
          [s.srcPort, s.dstPort] = [s.dstPort, s.srcPort];
        }
        s.flags = round === 0 ? SYN : SYN | ACK;
        tracker.segment(s);
        if (round === 1) [s.srcAddr, s.dstAddr] = [s.dstAddr, s.srcAddr];
      }
    }
    const t = tracker.finish();
    expect(t.count).toBe(n);
    const conn = connOfRows(t, table.length);
    for (let i = 0; i < n; i += 997) {
      expect(conn[i]).toBe(i);
      expect(conn[n + i]).toBe(i);
    }
  });
});

describe('TLS version: the first ServerHello decides', () => {
  it('ignores a later handshake record whose first byte happens to be 2 (an encrypted TLS 1.2 Finished)', () => {
    const table = new PacketTable();
    const tracker = createConnectionTracker(table);
    const s = createSegment();
    const send = (fromServer: boolean, seq: number, payload: number[]) => {
      s.ipVersion = 4;
      s.srcAddr.set(fromServer ? [192, 0, 2, 1] : [10, 0, 0, 1]);
      s.dstAddr.set(fromServer ? [10, 0, 0, 1] : [192, 0, 2, 1]);
      [s.srcPort, s.dstPort] = fromServer ? [443, 50000] : [50000, 443];
      s.flags = payload.length ? PSH | ACK : SYN;
      s.seq = seq;
      s.payloadLength = payload.length;
      s.payload = new Uint8Array(payload);
      tracker.segment(s);
    };
    send(false, 99, []);
    // ServerHello, TLS 1.0 (0x0301): record header, handshake header, version, 32 random bytes, empty session id,
    // cipher suite, compression, no extensions.
    const hello = [2, 0, 0, 38, 3, 1, ...new Array(32).fill(7), 0, 0, 0x2f, 0];
    send(true, 1000, [22, 3, 1, 0, hello.length, ...hello]);
    // An encrypted Finished: handshake record whose ciphertext starts with 2, "version" bytes 0x9e 0x7e.
    const finished = [2, 0, 0, 40, 0x9e, 0x7e, ...new Array(34).fill(1)];
    send(true, 1000 + 5 + hello.length, [22, 3, 1, 0, finished.length, ...finished]);
    const t = tracker.finish();
    const report = buildConnectionReport(t, table, 0, ['x']);
    expect(report.close!.tls!.version).toBe('TLS 1.0');
  });
});

describe('lazy close facts', () => {
  function report() {
    const table = new PacketTable();
    const tracker = createConnectionTracker(table);
    const s = createSegment();
    const flows: [boolean, number, number, number][] = [
      [false, SYN, 100, 0],
      [true, SYN | ACK, 500, 101],
      [false, ACK, 101, 501],
      [false, FIN | ACK, 101, 501],
      [true, FIN | ACK, 501, 102],
      [false, ACK, 102, 502],
    ];
    flows.forEach(([fromServer, flags, seq, ack], i) => {
      s.ipVersion = 4;
      s.srcAddr.set(fromServer ? [192, 0, 2, 1] : [10, 0, 0, 1]);
      s.dstAddr.set(fromServer ? [10, 0, 0, 1] : [192, 0, 2, 1]);
      [s.srcPort, s.dstPort] = fromServer ? [443, 50000] : [50000, 443];
      Object.assign(s, { flags, seq, ack, window: 100, payloadLength: 0, payload: null, timeUs: 1e15 + i * 1000 });
      tracker.segment(s);
    });
    return buildConnectionReport(tracker.finish(), table, 0, ['x']);
  }

  it('serialises states and explanation in their place, like plain fields (JSON, structured clone, keys)', () => {
    const close = report().close!;
    const keys = ['fin', 'rst', 'initiator', 'kind', 'simultaneous', 'finRstTogether', 'lateRst', 'dataAfterFin', 'zeekState', 'history', 'states', 'anomalies', 'tls', 'explanation'];
    expect(Object.keys(close)).toEqual(keys);
    expect(Object.keys(JSON.parse(JSON.stringify(close)))).toEqual(keys);
    const clone = structuredClone(close);
    expect(Object.keys(clone)).toEqual(keys);
    expect(clone.states.client.map((x) => x.state)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(clone.explanation).toMatch(/client closed first/);
    expect({ ...close }).toEqual(clone);
  });

  it('keeps what is assigned or mutated', () => {
    const close = report().close!;
    close.states.client[0].packet = 42;
    expect(close.states.client[0].packet).toBe(42);
    close.explanation = 'replaced';
    expect(close.explanation).toBe('replaced');
    expect(JSON.parse(JSON.stringify(close)).explanation).toBe('replaced');
  });
});

describe('replay state reuse', () => {
  // Every field of a used Dir / Conn changed, then reset(): equal to a new one (catches a field added without reset).
  function scramble(o: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number') o[k] = 12345;
      else if (typeof v === 'boolean') o[k] = !v;
      else if (typeof v === 'string') o[k] = 'x';
      else if (Array.isArray(v)) v.push(1, 2);
      else if (v === null) o[k] = [7];
    }
  }
  it('Dir.reset and Conn.reset restore every field', () => {
    const d = new Dir();
    scramble(d as unknown as Record<string, unknown>);
    d.reset();
    expect(d).toEqual(new Dir());
    const c = new Conn(6, 1, 2);
    scramble(c as unknown as Record<string, unknown>);
    scramble(c.a as unknown as Record<string, unknown>);
    c.reset(4, 443, 50000);
    expect(c).toEqual(new Conn(4, 443, 50000));
  });
});

describe('TLS alert inferred from sizes (text captures, no payload bytes)', () => {
  function run(steps: [fromServer: boolean, flags: number, len: number][]) {
    const table = new PacketTable();
    const tracker = createConnectionTracker(table);
    const s = createSegment();
    const seq = [1000, 5000];
    steps.forEach(([fromServer, flags, len], i) => {
      s.ipVersion = 4;
      s.srcAddr.set(fromServer ? [192, 0, 2, 1] : [10, 0, 0, 1]);
      s.dstAddr.set(fromServer ? [10, 0, 0, 1] : [192, 0, 2, 1]);
      [s.srcPort, s.dstPort] = fromServer ? [443, 50000] : [50000, 443];
      const me = fromServer ? 1 : 0;
      Object.assign(s, { flags, seq: seq[me], ack: seq[1 - me], window: 100, payloadLength: len, payload: null, timeUs: 1e15 + i });
      seq[me] += len + (flags & FIN ? 1 : 0);
      tracker.segment(s);
    });
    return buildConnectionReport(tracker.finish(), table, 0, ['x']).close!.tls;
  }

  it('takes an alert-sized segment right before the same side\'s FIN, not one from the other side', () => {
    expect(run([[false, ACK, 0], [false, PSH | ACK, 31], [false, FIN | ACK, 0]])?.alertBeforeFin).toEqual({ client: true, server: false });
    expect(run([[false, ACK, 0], [true, PSH | ACK, 31], [false, FIN | ACK, 0]])).toBeNull();
    expect(run([[false, ACK, 0], [false, PSH | ACK, 31], [true, ACK, 0], [false, FIN | ACK, 0]])).toBeNull();
    expect(run([[false, ACK, 0], [true, FIN | PSH | ACK, 24]])?.alertBeforeFin).toEqual({ client: false, server: true });
  });
});
