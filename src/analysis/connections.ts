/**
 * TCP connection tracking: groups segments (from any number of inputs, in capture order) into
 * connections by their bidirectional 4-tuple, fills the PacketTable, and drives the per-packet
 * analyses (Wireshark-style anomalies, Zeek state/history, RFC states, close bookkeeping, TLS) in the
 * same pass. Finalised reports come from `finish()` + report.ts.
 *
 * Lookup allocates nothing per packet: a symmetric numeric hash of both (address, port) pairs picks a
 * bucket in a Map<number, Conn>; a collision chain is checked against the stored address words.
 *
 * Splitting a reused 4-tuple follows tshark's tcp.stream: a SYN without ACK starts a new connection
 * when its sender already used the 4-tuple and (a) the SYN's sequence number differs from the one that
 * side started with, or (b) the previous connection had ended (FINs both ways or a RST) and this SYN is
 * not a retransmission of that side's earlier SYN.
 */
import { ACK, RST, SYN, type TcpSegment } from '../model/segment';
import type { PacketTable } from '../model/packet-table';
import { A_PORTS_REUSED } from '../model/anomalies';
import { Conn, type Dir, word } from './conn-state';
import { tcpAnomalies } from './tcp-anomalies';
import { zeekInit, zeekPacket } from './zeek';
import { rfcStates } from './rfc-states';
import { closePacket } from './close';
import { tlsFin, tlsSegment } from './tls';
import { chooseClient, type ClientBy } from './client-rule';

export interface TrackedConnections {
  conns: Conn[];
  /** Packet-table rows grouped by connection, capture order within each: rows of conn i are order[starts[i] .. starts[i+1]). */
  order: Uint32Array;
  starts: Uint32Array;
  /** Client side per connection: 0 = a (first packet's sender), 1 = b. */
  clientSide: Uint8Array;
  clientBy: ClientBy[];
}

export interface ConnectionTracker {
  segment(s: TcpSegment): void;
  finish(): TrackedConnections;
  readonly connectionCount: number;
  readonly packetCount: number;
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

export function createConnectionTracker(table: PacketTable): ConnectionTracker {
  const buckets = new Map<number, Conn>();
  const conns: Conn[] = [];
  let finished: TrackedConnections | null = null;

  // Address words of the current segment (computed once per packet).
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;

  function matchSide(c: Conn, s: TcpSegment): number {
    if (c.ipVersion !== s.ipVersion) return -1;
    if (s.srcPort === c.aPort && s.dstPort === c.bPort && s0 === c.a0 && d0 === c.b0 &&
      s1 === c.a1 && s2 === c.a2 && s3 === c.a3 && d1 === c.b1 && d2 === c.b2 && d3 === c.b3) return 0;
    if (s.srcPort === c.bPort && s.dstPort === c.aPort && s0 === c.b0 && d0 === c.a0 &&
      s1 === c.b1 && s2 === c.b2 && s3 === c.b3 && d1 === c.a1 && d2 === c.a2 && d3 === c.a3) return 1;
    return -1;
  }

  function create(hash: number, s: TcpSegment, prev: Conn | null): Conn {
    const c = new Conn(hash, conns.length, s.ipVersion, s.srcAddr, s.dstAddr, s.srcPort, s.dstPort);
    conns.push(c);
    // The newest connection of a 4-tuple goes first in its bucket, replacing an older one.
    const head = buckets.get(hash) ?? null;
    if (prev) {
      let p: Conn | null = head;
      let before: Conn | null = null;
      while (p && p !== prev) { before = p; p = p.next; }
      if (p) {
        if (before) before.next = p.next; else buckets.set(hash, p.next as Conn);
      }
    }
    c.next = buckets.get(hash) ?? null;
    buckets.set(hash, c);
    c.firstTimeUs = s.timeUs;
    c.firstFlags = s.flags;
    zeekInit(c, s.flags, s.srcPort, s.dstPort);
    return c;
  }

  function isReuse(c: Conn, me: Dir, s: TcpSegment): boolean {
    if ((s.flags & (SYN | ACK)) !== SYN || me.packets === 0) return false;
    if (!me.synSeen) return true; // this side already talked without a SYN: a SYN now opens a new connection
    if ((s.seq >>> 0) !== me.base) return true;
    return false;
  }

  function segment(s: TcpSegment): void {
    const src = s.srcAddr;
    const dst = s.dstAddr;
    s0 = word(src, 0);
    d0 = word(dst, 0);
    if (s.ipVersion === 6) {
      s1 = word(src, 4); s2 = word(src, 8); s3 = word(src, 12);
      d1 = word(dst, 4); d2 = word(dst, 8); d3 = word(dst, 12);
    } else {
      s1 = s2 = s3 = d1 = d2 = d3 = 0;
    }
    const h1 = mix(mix(mix(mix(0x811c9dc5 ^ s.srcPort, s0), s1), s2 ^ s3), s.srcPort);
    const h2 = mix(mix(mix(mix(0x811c9dc5 ^ s.dstPort, d0), d1), d2 ^ d3), s.dstPort);
    const hash = ((h1 + h2) ^ Math.imul(h1, h2)) | 0;
    let c = buckets.get(hash) ?? null;
    let d = -1;
    while (c) {
      d = matchSide(c, s);
      if (d >= 0) break;
      c = c.next;
    }
    let reused = false;
    if (!c) {
      c = create(hash, s, null);
      d = 0;
    } else if (isReuse(c, d === 0 ? c.a : c.b, s)) {
      c = create(hash, s, c);
      d = 0;
      reused = true;
    }
    const me = d === 0 ? c.a : c.b;
    const peer = d === 0 ? c.b : c.a;
    const index = c.packets++;

    // Fill the row through each column's chunk directly: one monomorphic store per column
    // (Column.set is shared by all column types and would be megamorphic here).
    const row = table.add();
    const ci = row >>> 16;
    const j = row & 0xffff;
    table.input.chunks[ci][j] = s.input;
    table.frame.chunks[ci][j] = s.frame;
    table.recordOffset.chunks[ci][j] = s.recordOffset;
    table.timeUs.chunks[ci][j] = s.timeUs;
    table.conn.chunks[ci][j] = c.index;
    table.fromClient.chunks[ci][j] = d === 0 ? 1 : 0; // provisional: "from side a"; resolved in finish()
    table.flags.chunks[ci][j] = s.flags;
    table.seq.chunks[ci][j] = s.seq;
    table.ack.chunks[ci][j] = s.ack;
    table.window.chunks[ci][j] = s.window;
    table.payloadLength.chunks[ci][j] = s.payloadLength;

    if (index === 0) c.firstRow = row;
    c.lastTimeUs = s.timeUs;
    if (s.input < 31) c.inputs |= 1 << s.input;
    else if (!c.moreInputs) c.moreInputs = [s.input];
    else if (!c.moreInputs.includes(s.input)) c.moreInputs.push(s.input);

    if (!me.baseSet) {
      me.baseSet = true;
      me.base = s.flags & SYN ? s.seq >>> 0 : (s.seq - 1) >>> 0;
    }
    if ((s.flags & (SYN | ACK)) === SYN && !c.a.synSeen && !c.b.synSeen) c.firstSynSide = d;
    me.packets++;
    me.payloadBytes += s.payloadLength;

    let bits = tcpAnomalies(me, peer, s, 0);
    if (reused) bits |= A_PORTS_REUSED;
    zeekPacket(c, d, s);
    tlsSegment(c, me, s, index);
    if (s.flags & 1 /* FIN */ && me.finIndex < 0) tlsFin(c, me, s, index);
    rfcStates(me, peer, s, index);
    bits |= closePacket(c, me, peer, s, index);
    table.anomalies.chunks[ci][j] = bits;
    c.anomalyBits |= bits;
  }

  function finish(): TrackedConnections {
    if (finished) return finished;
    const count = conns.length;
    const starts = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) starts[i + 1] = starts[i] + conns[i].packets;
    const fill = starts.slice(0, count);
    const order = new Uint32Array(table.length);
    for (let row = 0; row < table.length; row++) order[fill[table.conn.get(row)]++] = row;
    const clientSide = new Uint8Array(count);
    const clientBy: ClientBy[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const { side, by } = chooseClient(conns[i]);
      clientSide[i] = side;
      clientBy[i] = by;
      if (side === 1) {
        for (let k = starts[i]; k < starts[i + 1]; k++) {
          const row = order[k];
          table.fromClient.set(row, table.fromClient.get(row) ^ 1);
        }
      }
    }
    finished = { conns, order, starts, clientSide, clientBy };
    return finished;
  }

  return {
    segment,
    finish,
    get connectionCount() { return conns.length; },
    get packetCount() { return table.length; },
  };
}
