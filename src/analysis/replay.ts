/**
 * The per-connection analyses (Wireshark-style anomalies, Zeek state/history, RFC states, close
 * bookkeeping), run connection by connection over the PacketTable rows once the packet pass is over.
 *
 * Why not during the pass: each of these keeps ~70 numbers per side that would have to live for every
 * connection at once (kilobytes per connection, most of the heap on a 100,000-connection capture). Replayed
 * one connection at a time, that state exists for one connection only, and what the reports need is copied
 * into the compact ConnStore. The analyses see exactly the packets, in exactly the order, they saw in the
 * pass: every per-connection state depends only on that connection's own packets, and every segment field
 * they read is a PacketTable column, except the SYN's window-scale option, which the pass keeps (WindowScales).
 * TLS needs the payload bytes, so it runs in the pass (tls-walk.ts); its results are merged in here.
 */
import { ACK, FIN, RST, SYN, createSegment, type TcpSegment } from '../model/segment';
import type { PacketTable } from '../model/packet-table';
import { A_PORTS_REUSED } from '../model/anomalies';
import { Conn, type Dir } from './conn-state';
import type { ConnKeys } from './conn-keys';
import { F_REUSED_BIT, R_FLAGS, R_WSCALE, STRIDE } from './pass-record';
import type { ConnStore } from './conn-store';
import { tcpAnomalies } from './tcp-anomalies';
import { zeekConnState } from './zeek';
import { NetworkClock, zeekStep } from './zeek-lifetime';
import { rfcStates } from './rfc-states';
import { closePacket } from './close';
import { chooseClient, type ClientBy } from './client-rule';
import { tlsResult } from './tls-walk';

const CHUNK_BITS = 16;
const MASK = (1 << CHUNK_BITS) - 1;

export interface ReplayInput {
  table: PacketTable;
  /** The connections' 4-tuples and pass records (before keys.done()). */
  keys: ConnKeys;
  /** Rows of SYNs whose window-scale option differs from their side's first SYN (in the pass record). */
  otherScales: Map<number, number>;
  order: Uint32Array;
  starts: Uint32Array;
  store: ConnStore;
  clientSide: Uint8Array;
  clientBy: ClientBy[];
  /** False: the RFC endpoint states are not followed (TrackerOptions.rfcStates): every side's list stays empty. */
  rfcStates?: boolean;
}

/**
 * Reads PacketTable rows into a reused segment (only the fields the analyses read), through the columns'
 * chunk arrays of the current chunk, looked up again only when a row lies in another chunk.
 */
class RowReader {
  private chunk = -1;
  private input = new Uint16Array(0);
  private timeUs = new Float64Array(0);
  private flags = new Uint16Array(0);
  private seq = new Uint32Array(0);
  private ack = new Uint32Array(0);
  private window = new Uint16Array(0);
  private payloadLength = new Uint16Array(0);
  private payloadHigh = new Uint16Array(0);
  private ipExtra = new Uint8Array(0);
  /** Provisional "from side a" (1) until the client is chosen. */
  private fromA = new Uint8Array(0);
  anomalies = new Uint16Array(0);

  constructor(private readonly t: PacketTable) {}

  /** Loads row `row` into `s`; returns the sending side (0 = a, 1 = b). */
  load(row: number, s: TcpSegment): number {
    const ci = row >>> CHUNK_BITS;
    if (ci !== this.chunk) this.use(ci);
    const j = row & MASK;
    s.input = this.input[j];
    s.timeUs = this.timeUs[j];
    s.flags = this.flags[j];
    s.seq = this.seq[j];
    s.ack = this.ack[j];
    s.window = this.window[j];
    s.payloadLength = this.payloadLength[j] + this.payloadHigh[j] * 0x10000;
    s.ipExtraLength = this.ipExtra[j];
    return this.fromA[j] === 1 ? 0 : 1;
  }

  private use(ci: number): void {
    const t = this.t;
    this.chunk = ci;
    this.input = t.input.readChunk(ci);
    this.timeUs = t.timeUs.chunks[ci];
    this.flags = t.flags.chunks[ci];
    this.seq = t.seq.chunks[ci];
    this.ack = t.ack.chunks[ci];
    this.window = t.window.chunks[ci];
    this.payloadLength = t.payloadLength.low.chunks[ci];
    this.payloadHigh = t.payloadLength.high.readChunk(ci);
    this.ipExtra = t.ipExtra.readChunk(ci);
    this.fromA = t.fromClient.chunks[ci];
    this.anomalies = t.anomalies.chunks[ci];
  }
}

/** Replays every connection (in index order) and fills the store, clientSide and clientBy. */
export function replayAll(r: ReplayInput): void {
  const s = createSegment();
  const rows = new RowReader(r.table);
  const c = new Conn(4, 0, 0); // reset for each connection
  const clock = new NetworkClock(r.table);
  const n = r.keys.count;
  for (let i = 0; i < n; i++) replayConnection(r, i, s, rows, c, clock);
  r.store.done();
}

function replayConnection(r: ReplayInput, i: number, s: TcpSegment, rows: RowReader, c: Conn, clock: NetworkClock): void {
  const { keys, order } = r;
  const aPort = keys.port(i, 0);
  const bPort = keys.port(i, 1);
  c.reset(keys.ipVersion(i), aPort, bPort);
  const from = r.starts[i];
  const to = r.starts[i + 1];
  for (let k = from; k < to; k++) {
    const row = order[k];
    const d = rows.load(row, s);
    s.srcPort = d === 0 ? aPort : bPort;
    s.dstPort = d === 0 ? bPort : aPort;
    s.windowScale = s.flags & SYN ? windowScaleOf(r, row, i, d) : -1;
    const me = d === 0 ? c.a : c.b;
    const peer = d === 0 ? c.b : c.a;
    const index = c.packets++;
    if (index === 0) {
      c.firstTimeUs = s.timeUs;
      c.firstFlags = s.flags;
    }
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
    if (index === 0 && keys.rec[i * STRIDE + R_FLAGS] & F_REUSED_BIT) bits |= A_PORTS_REUSED;
    zeekStep(c, d, s, index, clock);
    if (r.rfcStates !== false) rfcStates(me, peer, s, index);
    bits |= closePacket(c, me, peer, s, index);
    rows.anomalies[row & MASK] = bits; // the row's chunk, loaded by rows.load()
    c.anomalyBits |= bits;
    explanationFacts(c, me, peer, s.flags, s.payloadLength);
  }
  mergeTls(keys.rec, i * STRIDE, c);
  const { side, by } = chooseClient(c);
  r.clientSide[i] = side;
  r.clientBy[i] = by;
  r.store.save(i, c, zeekConnState(c));
}

/** Facts the explanation uses (connection-report.ts), gathered here so the report needs no pass over the rows. */
function explanationFacts(c: Conn, me: Dir, peer: Dir, f: number, len: number): void {
  if ((f & (SYN | ACK)) === SYN) me.plainSyns++;
  if (f & RST) {
    if (f & FIN) me.finRstOneSegment = true;
    if (!c.rstSeen) {
      c.rstSeen = true;
      c.dataRightBeforeRst = c.prevLen1 > 0 || c.prevLen2 > 0;
    }
  } else if (peer.finIndex >= 0) {
    // The peer's FIN came before this packet (this packet is not the peer's).
    me.afterPeerFin += len;
  }
  c.prevLen2 = c.prevLen1;
  c.prevLen1 = len;
}

/** The window-scale option of the SYN in `row` (side d of connection i): its side's first SYN's, unless recorded otherwise. */
function windowScaleOf(r: ReplayInput, row: number, i: number, d: number): number {
  if (r.otherScales.size) {
    const v = r.otherScales.get(row);
    if (v !== undefined) return v;
  }
  return (r.keys.rec[i * STRIDE + R_WSCALE + d] << 16) >> 16;
}

function mergeTls(rec: Uint32Array, k: number, c: Conn): void {
  const t = tlsResult(rec, k);
  c.tlsSeen = t.seen;
  c.tlsVersion = t.version;
  c.tlsHole = t.hole;
  c.tlsPlain = t.plaintextBefore;
  c.a.tlsAlertBeforeFin = t.alertBeforeFin[0];
  c.a.inferredAlert = t.inferredAlert[0];
  c.b.tlsAlertBeforeFin = t.alertBeforeFin[1];
  c.b.inferredAlert = t.inferredAlert[1];
}
