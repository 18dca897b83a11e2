/**
 * TCP connection tracking: groups segments (from any number of inputs, in capture order) into
 * connections by their bidirectional 4-tuple and fills the PacketTable, in one pass over the packets.
 * The per-connection analyses (Wireshark-style anomalies, Zeek state/history, RFC states, close
 * bookkeeping) then run in `finish()`, connection by connection over the table (replay.ts); only the TLS
 * record walk, which needs the payload bytes, rides along in the pass (tls-walk.ts). Reports come from
 * connection-report.ts.
 *
 * Per packet nothing is allocated: the 4-tuple is looked up in a flat open-addressing hash over the raw
 * address words (conn-keys.ts), and everything the pass keeps per connection sits in one 128-byte record
 * beside that 4-tuple (pass-record.ts).
 *
 * Splitting a reused 4-tuple follows tshark's tcp.stream: a SYN without ACK starts a new connection
 * when its sender already used the 4-tuple and (a) the SYN's sequence number differs from the one that
 * side started with, or (b) that side had sent packets without a SYN before.
 */
import { ACK, SYN, type TcpSegment } from '../model/segment';
import type { PacketTable } from '../model/packet-table';
import { ConnKeys } from './conn-keys';
import { ConnStore } from './conn-store';
import type { StoredSide } from './conn-store';
import { tlsSegment } from './tls-walk';
import { replayAll } from './replay';
import { F_REUSED_BIT, R_BASE, R_FLAGS, R_PACKETS, R_WSCALE, STRIDE } from './pass-record';
import type { ClientBy } from './client-rule';

/** One connection as the rest of the engine sees it: a view over the store (no state of its own). */
export class ConnView {
  constructor(private readonly store: ConnStore, readonly index: number) {}
  get firstTimeUs(): number { return this.store.firstTimeUs[this.index]; }
  set firstTimeUs(v: number) { this.store.firstTimeUs[this.index] = v; }
  get lastTimeUs(): number { return this.store.lastTimeUs[this.index]; }
  set lastTimeUs(v: number) { this.store.lastTimeUs[this.index] = v; }
  /** Which side (0 = a, 1 = b) Zeek calls the originator. */
  get zOrig(): number { return this.store.zOrig[this.index]; }
  /** Side a (the sender of the first packet) / side b, as a fresh object with the reported fields. */
  get a(): StoredSide { return this.store.loadSide(this.index, 0, true); }
  get b(): StoredSide { return this.store.loadSide(this.index, 1, true); }
}

export interface TrackedConnections {
  conns: ConnView[];
  /** Packet-table rows grouped by connection, capture order within each: rows of conn i are order[starts[i] .. starts[i+1]). */
  order: Uint32Array;
  starts: Uint32Array;
  /** Client side per connection: 0 = a (first packet's sender), 1 = b. */
  clientSide: Uint8Array;
  clientBy: ClientBy[];
  /** Addresses and ports per connection (side a / b). */
  keys: ConnKeys;
  /** Analysis results per connection. */
  store: ConnStore;
}

export interface ConnectionTracker {
  segment(s: TcpSegment): void;
  finish(): TrackedConnections;
  readonly connectionCount: number;
  readonly packetCount: number;
}

// Per-side bits kept during the pass (for the 4-tuple reuse rule and the window-scale record), at
// R_FLAGS bits 8..15 (side a) and 16..23 (side b).
const P_SENT = 1;
const P_PLAIN_SYN = 2;
const P_SYN = 4;

const CHUNK_BITS = 16;
const MASK = (1 << CHUNK_BITS) - 1;

export function createConnectionTracker(table: PacketTable): ConnectionTracker {
  const keys = new ConnKeys();
  /** Rows of SYNs whose window-scale option differs from their side's first SYN (rare), with that option. */
  const otherScales = new Map<number, number>();
  let finished: TrackedConnections | null = null;

  // The PacketTable chunk that rows are being added to, per column.
  let chunk = -1;
  let inputC = new Uint16Array(0);
  let frameC = new Uint32Array(0);
  let recordOffsetC = new Float64Array(0);
  let timeUsC = new Float64Array(0);
  let connC = new Uint32Array(0);
  let fromClientC = new Uint8Array(0);
  let flagsC = new Uint16Array(0);
  let seqC = new Uint32Array(0);
  let ackC = new Uint32Array(0);
  let windowC = new Uint16Array(0);
  let payloadLengthC = new Uint32Array(0);
  function useChunk(ci: number): void {
    chunk = ci;
    inputC = table.input.chunks[ci];
    frameC = table.frame.chunks[ci];
    recordOffsetC = table.recordOffset.chunks[ci];
    timeUsC = table.timeUs.chunks[ci];
    connC = table.conn.chunks[ci];
    fromClientC = table.fromClient.chunks[ci];
    flagsC = table.flags.chunks[ci];
    seqC = table.seq.chunks[ci];
    ackC = table.ack.chunks[ci];
    windowC = table.window.chunks[ci];
    payloadLengthC = table.payloadLength.chunks[ci];
  }

  /** tshark's tcp.stream split: a plain SYN from a side that already talked, with another ISN or after no SYN. */
  function isReuse(rec: Uint32Array, k: number, d: number, s: TcpSegment): boolean {
    const bits = (rec[k + R_FLAGS] >>> (8 + 8 * d)) & 0xff;
    if ((s.flags & (SYN | ACK)) !== SYN || (bits & P_SENT) === 0) return false;
    if ((bits & P_PLAIN_SYN) === 0) return true; // this side already talked without a SYN
    return (s.seq >>> 0) !== rec[k + R_BASE + d];
  }

  function segment(s: TcpSegment): void {
    if (finished) return; // the hash table and pass state are gone after finish(): later packets are not taken
    keys.load(s);
    let c = keys.find(s);
    let d = keys.side;
    if (c < 0) {
      c = keys.add(s, false);
      d = 0;
    } else if (isReuse(keys.rec, c * STRIDE, d, s)) {
      c = keys.add(s, true);
      d = 0;
      keys.rec[c * STRIDE + R_FLAGS] = F_REUSED_BIT;
    }
    const rec = keys.rec; // after add(), which may have grown it
    const k = c * STRIDE;
    rec[k + R_PACKETS]++;
    const f = s.flags;
    const shift = 8 + 8 * d;
    let bits = (rec[k + R_FLAGS] >>> shift) & 0xff;
    if ((bits & P_SENT) === 0) {
      bits |= P_SENT;
      rec[k + R_BASE + d] = f & SYN ? s.seq >>> 0 : (s.seq - 1) >>> 0;
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
    inputC[j] = s.input;
    frameC[j] = s.frame;
    recordOffsetC[j] = s.recordOffset;
    timeUsC[j] = s.timeUs;
    connC[j] = c;
    fromClientC[j] = d === 0 ? 1 : 0; // provisional: "from side a"; resolved in finish()
    flagsC[j] = f;
    seqC[j] = s.seq;
    ackC[j] = s.ack;
    windowC[j] = s.window;
    payloadLengthC[j] = s.payloadLength;

    tlsSegment(rec, k, d, s);
  }

  function finish(): TrackedConnections {
    if (finished) return finished;
    const count = keys.count;
    const rec = keys.rec;
    const starts = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) starts[i + 1] = starts[i] + rec[i * STRIDE + R_PACKETS];
    const fill = starts.slice(0, count);
    const order = new Uint32Array(table.length);
    const connChunks = table.conn.chunks;
    for (let row = 0; row < table.length; row++) order[fill[connChunks[row >>> CHUNK_BITS][row & MASK]]++] = row;
    const clientSide = new Uint8Array(count);
    const clientBy: ClientBy[] = new Array(count);
    const store = new ConnStore(count);
    replayAll({ table, keys, otherScales, order, starts, store, clientSide, clientBy });
    keys.done(); // the pass state is not needed any more
    // fromClient was "from side a" so far.
    const fromClient = table.fromClient.chunks;
    for (let i = 0; i < count; i++) {
      if (clientSide[i] !== 1) continue;
      for (let k = starts[i]; k < starts[i + 1]; k++) {
        const row = order[k];
        fromClient[row >>> CHUNK_BITS][row & MASK] ^= 1;
      }
    }
    const conns: ConnView[] = new Array(count);
    for (let i = 0; i < count; i++) conns[i] = new ConnView(store, i);
    finished = { conns, order, starts, clientSide, clientBy, keys, store };
    return finished;
  }

  return {
    segment,
    finish,
    get connectionCount() { return keys.count; },
    get packetCount() { return table.length; },
  };
}
