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
import type { ConnStore } from './conn-store';
import { tcpAnomalies } from './tcp-anomalies';
import { zeekConnState, zeekInit, zeekPacket } from './zeek';
import { rfcStates } from './rfc-states';
import { closePacket } from './close';
import { chooseClient, type ClientBy } from './client-rule';
import { TS_ALERT_BEFORE_FIN, TS_INFERRED_ALERT, type TlsWalk } from './tls-walk';

const CHUNK_BITS = 16;
const MASK = (1 << CHUNK_BITS) - 1;

/**
 * The window-scale option of every SYN, without a value per packet: per side the first SYN's option
 * (-1 = absent, -3 = no SYN yet), plus the rows of later SYNs whose option differs (rare).
 */
export class WindowScales {
  first = new Int16Array(0);
  readonly differing = new Map<number, number>();
}

export interface ReplayInput {
  table: PacketTable;
  keys: ConnKeys;
  tls: TlsWalk;
  scales: WindowScales;
  /** Per connection: 1 when it was split off a reused 4-tuple (its first packet is flagged ports-reused). */
  reused: Uint8Array;
  order: Uint32Array;
  starts: Uint32Array;
  store: ConnStore;
  clientSide: Uint8Array;
  clientBy: ClientBy[];
}

/** Loads row `row` of the table into the reused segment (only the fields the analyses read). */
function loadRow(t: PacketTable, row: number, s: TcpSegment): void {
  const ci = row >>> CHUNK_BITS;
  const j = row & MASK;
  s.input = t.input.chunks[ci][j];
  s.timeUs = t.timeUs.chunks[ci][j];
  s.flags = t.flags.chunks[ci][j];
  s.seq = t.seq.chunks[ci][j];
  s.ack = t.ack.chunks[ci][j];
  s.window = t.window.chunks[ci][j];
  s.payloadLength = t.payloadLength.chunks[ci][j];
}

/** Replays every connection (in index order) and fills the store, clientSide and clientBy. */
export function replayAll(r: ReplayInput): void {
  const s = createSegment();
  const n = r.keys.count;
  for (let i = 0; i < n; i++) replayConnection(r, i, s);
  r.store.done();
}

function replayConnection(r: ReplayInput, i: number, s: TcpSegment): void {
  const { table, keys, order } = r;
  const aPort = keys.port(i, 0);
  const bPort = keys.port(i, 1);
  const c = new Conn(keys.ipVersion(i), aPort, bPort);
  const from = r.starts[i];
  const to = r.starts[i + 1];
  const fromA = table.fromClient.chunks; // provisional until the client is chosen: 1 = sent by side a
  const anomalies = table.anomalies.chunks;
  for (let k = from; k < to; k++) {
    const row = order[k];
    loadRow(table, row, s);
    const d = fromA[row >>> CHUNK_BITS][row & MASK] === 1 ? 0 : 1;
    s.srcPort = d === 0 ? aPort : bPort;
    s.dstPort = d === 0 ? bPort : aPort;
    s.windowScale = s.flags & SYN ? windowScaleOf(r.scales, row, 2 * i + d) : -1;
    const me = d === 0 ? c.a : c.b;
    const peer = d === 0 ? c.b : c.a;
    const index = c.packets++;
    if (index === 0) {
      c.firstTimeUs = s.timeUs;
      c.firstFlags = s.flags;
      zeekInit(c, s.flags, s.srcPort, s.dstPort);
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
    if (index === 0 && r.reused[i]) bits |= A_PORTS_REUSED;
    zeekPacket(c, d, s);
    rfcStates(me, peer, s, index);
    bits |= closePacket(c, me, peer, s, index);
    anomalies[row >>> CHUNK_BITS][row & MASK] = bits;
    c.anomalyBits |= bits;
    explanationFacts(c, me, peer, s.flags, s.payloadLength);
  }
  mergeTls(r.tls, i, c);
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

function windowScaleOf(w: WindowScales, row: number, x: number): number {
  if (w.differing.size) {
    const v = w.differing.get(row);
    if (v !== undefined) return v;
  }
  return w.first[x];
}

function mergeTls(t: TlsWalk, i: number, c: Conn): void {
  c.tlsSeen = t.seen[i] === 1;
  c.tlsVersion = t.version[i];
  const fa = t.flags[2 * i];
  const fb = t.flags[2 * i + 1];
  c.a.tlsAlertBeforeFin = (fa & TS_ALERT_BEFORE_FIN) !== 0;
  c.a.inferredAlert = (fa & TS_INFERRED_ALERT) !== 0;
  c.b.tlsAlertBeforeFin = (fb & TS_ALERT_BEFORE_FIN) !== 0;
  c.b.inferredAlert = (fb & TS_INFERRED_ALERT) !== 0;
}
