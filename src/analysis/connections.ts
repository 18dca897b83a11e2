/**
 * TCP connection tracking: groups segments (from any number of inputs, in capture order) into
 * connections by their bidirectional 4-tuple and fills the PacketTable, in one pass over the packets.
 * The per-connection analyses (Wireshark-style anomalies, Zeek state/history, RFC states, close
 * bookkeeping) then run in `finish()`, connection by connection over the table (replay.ts); only the TLS
 * record walk, which needs the payload bytes, rides along in the pass (tls-walk.ts). Reports come from
 * connection-members.ts.
 *
 * Per packet nothing is allocated: the 4-tuple is looked up in a flat open-addressing hash over the raw
 * address words (conn-keys.ts), and everything the pass keeps per connection sits in one 128-byte record
 * beside that 4-tuple (pass-record.ts).
 *
 * Splitting a reused 4-tuple follows tshark's tcp.stream: a SYN without ACK starts a new connection
 * when its sender already used the 4-tuple and (a) the SYN's sequence number differs from the one that
 * side started with, or (b) that side had sent packets without a SYN before.
 *
 * Several inputs (inputs are fed one after the other): the first packet of a 4-tuple in an input either
 * CONTINUES an earlier input's connection of that 4-tuple (a capture split into files in time: ring buffer,
 * `-C`/`-G` rotation) or starts a new PIECE of its own (the same traffic captured at another point, e.g. both
 * interfaces of a routed firewall without NAT). It continues piece p (rule in `continues()`) when
 *  (1) it is not older than p's last packet (consecutive files do not overlap in time; two points of the same
 *      traffic do, since both see the whole exchange),
 *  (2) its seq (and its ack, when the peer has sent) lies within 16 MiB of where p's numbers had got to (a second
 *      point behind an ASA has other numbers, formats.md §2), and
 *  (3) it is not a copy of p's first packet from that side (same seq and ack: the same exchange seen again).
 * Of several such pieces the one whose last packet is latest wins. Pieces left separate are paired by the vantage
 * merge (vantage/merge.ts), which matches their packets and makes one connection of them, marking each packet as
 * seen at one point or both; unmatched pieces stay separate connections.
 */
import { ACK, SYN, type TcpSegment } from '../model/segment';
import type { PacketTable } from '../model/packet-table';
import { ConnKeys } from './conn-keys';
import { grown } from './typed-grown';
import { ConnStore } from './conn-store';
import { TrackedConnections } from './tracked';
export { TrackedConnections };
import { tlsSegment, TlsPending } from './tls-walk';
import { replayAll } from './replay';
import { F_REUSED_BIT, P_PLAIN_SYN, P_SENT, P_SYN, R_BASE, R_FIRST_ACK, R_FLAGS, R_INPUT, R_NEXT, R_PACKETS, R_PREV, R_WSCALE, STRIDE } from './pass-record';
import type { ClientBy } from './client-rule';
import { StreamNumbers } from './tcp-stream';
import { windowShiftColumn } from './window-scale';

export interface ConnectionTracker {
  segment(s: TcpSegment): void;
  /** A 4-tuple tshark numbers without it being a packet of the connection (SegmentSink.streamOnly). */
  streamOnly(s: TcpSegment): void;
  /** Of a segment's TCP options, the pass reads only a SYN's window scale (SegmentSink.synOptionsOnly). */
  readonly synOptionsOnly: true;
  finish(): TrackedConnections;
  readonly connectionCount: number;
  readonly packetCount: number;
}


const CHUNK_BITS = 16;
const MASK = (1 << CHUNK_BITS) - 1;

/** How far (bytes, either way) a continuing file's first seq/ack may lie from where the earlier piece had got to. */
const CONTINUE_WINDOW = 1 << 24;
/** Older connections of a 4-tuple looked at when an input's first packet of it arrives. */
const MAX_PIECES = 32;

/**
 * Analyses a caller may leave out when it reads none of their facts (the command line's readable table, which
 * prints neither: cli/analyze.ts); every other fact is the same without them.
 */
export interface TrackerOptions {
  /** False: no walk of the TLS records (tls-walk.ts): every connection's TLS facts stay those of no TLS seen. */
  tls?: boolean;
  /** False: no RFC endpoint states (rfc-states.ts): every side's list of state changes stays empty. */
  rfcStates?: boolean;
}

/**
 * `expected`: connections to make room for at the first one (an estimate from the inputs' size, cli/analyze.ts;
 * ConnKeys.reserve says why; inputs without TCP, such as a firewall log, never make any); more are still taken,
 * growing as without it. `options`: analyses left out (TrackerOptions).
 */
export function createConnectionTracker(table: PacketTable, expected = 0, options: TrackerOptions = {}): ConnectionTracker {
  const walkTls = options.tls !== false;
  const keys = new ConnKeys();
  /** Out-of-order segments the TLS walk keeps aside until their hole is filled (only connections with holes). */
  const tlsPending = new TlsPending();
  /** Rows of SYNs whose window-scale option differs from their side's first SYN (rare), with that option. */
  const otherScales = new Map<number, number>();
  /** Time of each connection's latest packet (for the several-inputs rule in the header). */
  let lastTime = new Float64Array(1024);
  let reuseOf = new Int32Array(1024);
  const streams = new StreamNumbers();
  let finished: TrackedConnections | null = null;

  // The PacketTable chunk that rows are being added to, per column.
  let chunk = -1;
  let recordOffsetC = new Uint32Array(0);
  let timeUsC = new Float64Array(0);
  let connC = new Uint32Array(0);
  /**
   * Each row's connection, in chunks like the table's columns: only the pass needs it (finish() groups the rows by
   * connection with it), so it is the tracker's own and dropped once the rows are grouped.
   */
  let connChunks: Uint32Array<ArrayBuffer>[] = [];
  let fromClientC = new Uint8Array(0);
  let flagsC = new Uint16Array(0);
  let seqC = new Uint32Array(0);
  let ackC = new Uint32Array(0);
  let windowC = new Uint16Array(0);
  let payloadLengthC = new Uint16Array(0);
  function useChunk(ci: number): void {
    chunk = ci;
    recordOffsetC = table.recordOffset.low.chunks[ci];
    timeUsC = table.timeUs.chunks[ci];
    connC = connChunks[ci] ??= new Uint32Array(MASK + 1);
    fromClientC = table.fromClient.chunks[ci];
    flagsC = table.flags.chunks[ci];
    seqC = table.seq.chunks[ci];
    ackC = table.ack.chunks[ci];
    windowC = table.window.chunks[ci];
    payloadLengthC = table.payloadLength.low.chunks[ci];
  }

  /** tshark's tcp.stream split: a plain SYN from a side that already talked, with another ISN or after no SYN. */
  function isReuse(rec: Uint32Array, k: number, d: number, s: TcpSegment): boolean {
    const bits = (rec[k + R_FLAGS] >>> (8 + 8 * d)) & 0xff;
    if ((s.flags & (SYN | ACK)) !== SYN || (bits & P_SENT) === 0) return false;
    if ((bits & P_PLAIN_SYN) === 0) return true; // this side already talked without a SYN
    return (s.seq >>> 0) !== rec[k + R_BASE + d];
  }

  /** Rule (2) and (3) of the header for piece p: does segment s (from p's side d) carry on p's numbers? */
  function continues(rec: Uint32Array, p: number, d: number, s: TcpSegment): boolean {
    const k = p * STRIDE;
    const mine = (rec[k + R_FLAGS] >>> (8 + 8 * d)) & P_SENT;
    const peer = (rec[k + R_FLAGS] >>> (16 - 8 * d)) & P_SENT;
    if (mine) {
      const gap = (s.seq - rec[k + R_NEXT + d]) | 0;
      if (gap > CONTINUE_WINDOW || gap < -CONTINUE_WINDOW) return false;
      const base = s.flags & SYN ? s.seq >>> 0 : (s.seq - 1) >>> 0;
      if (base === rec[k + R_BASE + d] && (s.ack >>> 0) === rec[k + R_FIRST_ACK + d]) return false; // a copy of p's first packet
    }
    if (peer && s.flags & ACK) {
      const gap = (s.ack - rec[k + R_NEXT + 1 - d]) | 0;
      if (gap > CONTINUE_WINDOW || gap < -CONTINUE_WINDOW) return false;
    }
    return true;
  }

  /**
   * The first packet of its 4-tuple in this input: the earlier connection of the 4-tuple it continues (made the
   * head of the 4-tuple's chain and named by its hash slot), or -1 when it starts a piece of its own.
   */
  function continuedPiece(head: number, s: TcpSegment): number {
    const rec = keys.rec;
    let best = -1;
    let bestAfter = -1; // the chain node whose R_PREV names best
    let after = -1;
    for (let p = head, n = 0; p >= 0 && n < MAX_PIECES; n++) {
      if (lastTime[p] <= s.timeUs && (best < 0 || lastTime[p] > lastTime[best]) && continues(rec, p, keys.sideOf(p, s), s)) {
        best = p;
        bestAfter = after;
      }
      after = p;
      p = rec[p * STRIDE + R_PREV] - 1;
    }
    if (best >= 0 && best !== head) {
      // Move best to the head of the chain, so that the chain stays complete and the slot names it.
      rec[bestAfter * STRIDE + R_PREV] = rec[best * STRIDE + R_PREV];
      rec[best * STRIDE + R_PREV] = head + 1;
      keys.repoint(best);
    }
    return best;
  }

  /** Adds a connection for s (its sender is side a); `prev` is the 4-tuple's previous connection or -1. */
  function addConnection(s: TcpSegment, prev: number, reused: boolean): number {
    if (keys.count === 0 && expected > lastTime.length) {
      keys.reserve(expected);
      lastTime = new Float64Array(expected);
      reuseOf = new Int32Array(expected);
      streams.room(expected);
    }
    const c = keys.add(s, prev >= 0);
    const k = c * STRIDE;
    keys.rec[k + R_PREV] = prev + 1;
    keys.rec[k + R_INPUT] = s.input;
    if (c >= lastTime.length) {
      lastTime = grown(lastTime, c + 1);
      reuseOf = grown(reuseOf, c + 1);
    }
    reuseOf[c] = reused ? prev : -1;
    if (reused) keys.rec[k + R_FLAGS] = F_REUSED_BIT;
    streams.assign(c, s, prev < 0);
    return c;
  }

  function streamOnly(s: TcpSegment): void {
    if (finished) return;
    keys.load(s);
    if (keys.find(s) < 0) streams.reserve(s); // a 4-tuple already numbered keeps its number in tshark too
  }

  function segment(s: TcpSegment): void {
    if (finished) return; // the hash table and pass state are gone after finish(): later packets are not taken
    keys.load(s);
    let c = keys.find(s);
    let d = keys.side;
    if (c < 0) {
      c = addConnection(s, -1, false);
      d = 0;
    } else if (keys.rec[c * STRIDE + R_INPUT] !== s.input) {
      // First packet of this 4-tuple in this input (header: continue an earlier piece, or start one).
      const p = continuedPiece(c, s);
      if (p >= 0) {
        c = p;
        d = keys.sideOf(p, s);
        keys.rec[c * STRIDE + R_INPUT] = s.input;
        if (isReuse(keys.rec, c * STRIDE, d, s)) {
          c = addConnection(s, c, true);
          d = 0;
        }
      } else {
        c = addConnection(s, c, false);
        d = 0;
      }
    } else if (isReuse(keys.rec, c * STRIDE, d, s)) {
      c = addConnection(s, c, true);
      d = 0;
    }
    const rec = keys.rec; // after add(), which may have grown it
    const k = c * STRIDE;
    rec[k + R_PACKETS]++;
    lastTime[c] = s.timeUs;
    const f = s.flags;
    const shift = 8 + 8 * d;
    let bits = (rec[k + R_FLAGS] >>> shift) & 0xff;
    const end = (s.seq + s.payloadLength + (f & SYN ? 1 : 0) + (f & 1 /* FIN */)) >>> 0;
    if ((bits & P_SENT) === 0) {
      bits |= P_SENT;
      rec[k + R_BASE + d] = f & SYN ? s.seq >>> 0 : (s.seq - 1) >>> 0;
      rec[k + R_FIRST_ACK + d] = s.ack >>> 0;
      rec[k + R_NEXT + d] = end;
    } else if (((end - rec[k + R_NEXT + d]) | 0) > 0) {
      rec[k + R_NEXT + d] = end;
    }
    if (f & SYN) {
      if ((f & ACK) === 0) bits |= P_PLAIN_SYN;
      if ((bits & P_SYN) === 0) {
        bits |= P_SYN;
        rec[k + R_WSCALE + d] = s.windowScale & 0xffff;
      } else if (s.windowScale !== (rec[k + R_WSCALE + d] << 16) >> 16) {
        otherScales.set(table.length, s.windowScale);
      }
    }
    rec[k + R_FLAGS] = (rec[k + R_FLAGS] & ~(0xff << shift)) | (bits << shift);

    // Fill the row through the columns' current chunks (cached here; a new chunk every 65,536 rows):
    // one monomorphic store per column (Column.set is shared by all column types and would be megamorphic).
    const row = table.add();
    if (row >>> CHUNK_BITS !== chunk) useChunk(row >>> CHUNK_BITS);
    const j = row & MASK;
    table.frame.append(s.frame);
    recordOffsetC[j] = s.recordOffset; // the low 32 bits; the rest, rarely any, below
    timeUsC[j] = s.timeUs;
    connC[j] = c;
    fromClientC[j] = d === 0 ? 1 : 0; // provisional: "from side a"; resolved in finish()
    flagsC[j] = f;
    seqC[j] = s.seq;
    ackC[j] = s.ack;
    windowC[j] = s.window;
    payloadLengthC[j] = s.payloadLength; // the low 16 bits; the rest, rarely any, below
    // Sparse columns: set only when not 0 (no chunk is made for them otherwise).
    if (s.input !== 0) table.input.set(row, s.input);
    if (s.recordOffset >= 0x100000000) table.recordOffset.high.set(row, Math.floor(s.recordOffset / 0x100000000));
    if (s.payloadLength > 0xffff) table.payloadLength.high.set(row, s.payloadLength >>> 16);
    if (s.ipExtraLength !== 0) table.ipExtra.set(row, s.ipExtraLength > 255 ? 255 : s.ipExtraLength);

    if (walkTls) tlsSegment(rec, k, d, s, tlsPending);
  }

  function finish(): TrackedConnections {
    if (finished) return finished;
    const count = keys.count;
    const rec = keys.rec;
    const starts = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) starts[i + 1] = starts[i] + rec[i * STRIDE + R_PACKETS];
    const fill = starts.slice(0, count);
    const order = new Uint32Array(table.length);
    for (let row = 0; row < table.length; row++) order[fill[connChunks[row >>> CHUNK_BITS][row & MASK]]++] = row;
    connChunks = []; // the rows are grouped: order and starts say the same from now on
    connC = new Uint32Array(0);
    const clientSide = new Uint8Array(count);
    const clientBy: ClientBy[] = new Array(count);
    const store = new ConnStore(count);
    replayAll({ table, keys, otherScales, order, starts, store, clientSide, clientBy, rfcStates: options.rfcStates !== false });
    const windowShift = windowShiftColumn(keys.rec, count);
    keys.done(); // the pass state is not needed any more
    lastTime = new Float64Array(0);
    // fromClient was "from side a" so far.
    const fromClient = table.fromClient.chunks;
    for (let i = 0; i < count; i++) {
      if (clientSide[i] !== 1) continue;
      for (let k = starts[i]; k < starts[i + 1]; k++) {
        const row = order[k];
        fromClient[row >>> CHUNK_BITS][row & MASK] ^= 1;
      }
    }
    finished = new TrackedConnections(order, starts, clientSide, clientBy, keys, store, reuseOf.slice(0, count), streams.streams.slice(0, count), windowShift);
    return finished;
  }

  return {
    segment,
    streamOnly,
    synOptionsOnly: true,
    finish,
    get connectionCount() { return keys.count; },
    get packetCount() { return table.length; },
  };
}
