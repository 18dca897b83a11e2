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

function endpointHash(addr: Uint8Array, n: number, port: number): number {
  let h = 0x811c9dc5 ^ port;
  for (let i = 0; i < n; i += 4) h = mix(h, word(addr, i));
  return mix(h, port);
}

export function createConnectionTracker(table: PacketTable): ConnectionTracker {
  const buckets = new Map<number, Conn>();
  const conns: Conn[] = [];
  let finished: TrackedConnections | null = null;

  function matchSide(c: Conn, s: TcpSegment): number {
    const v6 = s.ipVersion === 6;
    if (c.ipVersion !== s.ipVersion) return -1;
    const src = s.srcAddr;
    const dst = s.dstAddr;
    if (s.srcPort === c.aPort && s.dstPort === c.bPort && word(src, 0) === c.a0 && word(dst, 0) === c.b0 &&
      (!v6 || (word(src, 4) === c.a1 && word(src, 8) === c.a2 && word(src, 12) === c.a3 &&
        word(dst, 4) === c.b1 && word(dst, 8) === c.b2 && word(dst, 12) === c.b3))) return 0;
    if (s.srcPort === c.bPort && s.dstPort === c.aPort && word(src, 0) === c.b0 && word(dst, 0) === c.a0 &&
      (!v6 || (word(src, 4) === c.b1 && word(src, 8) === c.b2 && word(src, 12) === c.b3 &&
        word(dst, 4) === c.a1 && word(dst, 8) === c.a2 && word(dst, 12) === c.a3))) return 1;
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
    const n = s.ipVersion === 6 ? 16 : 4;
    const h1 = endpointHash(s.srcAddr, n, s.srcPort);
    const h2 = endpointHash(s.dstAddr, n, s.dstPort);
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

    const row = table.add();
    table.input.set(row, s.input);
    table.frame.set(row, s.frame);
    table.recordOffset.set(row, s.recordOffset);
    table.timeUs.set(row, s.timeUs);
    table.conn.set(row, c.index);
    table.fromClient.set(row, d === 0 ? 1 : 0); // provisional: "from side a"; resolved in finish()
    table.flags.set(row, s.flags);
    table.seq.set(row, s.seq >>> 0);
    table.ack.set(row, s.ack >>> 0);
    table.window.set(row, s.window);
    table.payloadLength.set(row, s.payloadLength);

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
    if (s.flags & 1 /* FIN */ && me.finIndex < 0) tlsFin(c, me, s, index, d === 0 ? c.bPort : c.aPort);
    rfcStates(me, peer, s, index);
    bits |= closePacket(c, me, peer, s, index);
    if (s.flags & RST) void 0;
    table.anomalies.set(row, bits);
    table.seenAt.set(row, 0);
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
