/**
 * Turns a tracked connection (Conn + its rows in the PacketTable) into the ConnectionReport of the
 * analyze JSON, with its CloseFacts. Client/server are resolved here (client-rule.ts).
 */
import type { CloseFacts, ConnectionReport, PacketAnomaly, Side } from '../model/report';
import { isoTime } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import { SYN, ACK, RST } from '../model/segment';
import { anomalyNames } from '../model/anomalies';
import type { Conn, Dir } from './conn-state';
import type { TrackedConnections } from './connections';
import { ipText } from './addresses';
import { closeKind, handshakeOf } from './close';
import { zeekConnState } from './zeek';
import { tlsFacts } from './tls';
import { explainClose } from './explain';
import { stateList } from './rfc-states';

/** At most this many per-packet anomalies are listed per connection. */
export const MAX_ANOMALIES = 1000;

export function sideAddress(c: Conn, side: number): { ip: string; port: number } {
  return side === 0
    ? { ip: ipText(c.ipVersion, c.a0, c.a1, c.a2, c.a3), port: c.aPort }
    : { ip: ipText(c.ipVersion, c.b0, c.b1, c.b2, c.b3), port: c.bPort };
}

/** isoTime that never throws: stamps a damaged capture puts out of Date's range print as the epoch offset. */
export function safeIsoTime(timeUs: number): string {
  if (Number.isFinite(timeUs) && Math.abs(timeUs) < 8.64e18) return isoTime(timeUs);
  return `invalid time (${timeUs} µs)`;
}

export function connectionId(index: number): string {
  return String(index);
}

function inputsOf(c: Conn): number[] {
  const out: number[] = [];
  for (let i = 0; i < 31; i++) if (c.inputs & (1 << i)) out.push(i);
  if (c.moreInputs) out.push(...c.moreInputs);
  return out;
}

export function buildConnectionReport(
  t: TrackedConnections,
  table: PacketTable,
  index: number,
  fileNames: readonly string[],
): ConnectionReport {
  const c = t.conns[index];
  const cs = t.clientSide[index];
  const client = cs === 0 ? c.a : c.b;
  const server = cs === 0 ? c.b : c.a;
  const report: ConnectionReport = {
    id: connectionId(index),
    files: inputsOf(c).map((i) => fileNames[i] ?? `input ${i}`),
    client: sideAddress(c, cs),
    server: sideAddress(c, cs ^ 1),
    clientBy: t.clientBy[index],
    start: safeIsoTime(c.firstTimeUs),
    end: safeIsoTime(c.lastTimeUs),
    packets: { client: client.packets, server: server.packets },
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    handshake: handshakeOf(client, server),
    close: closeFacts(t, table, index, client, server, cs),
  };
  return report;
}

function sideOfIndex(client: Dir, server: Dir, which: (d: Dir) => number): Side | null {
  const a = which(client);
  const b = which(server);
  if (a < 0 && b < 0) return null;
  if (a < 0) return 'server';
  if (b < 0) return 'client';
  return a <= b ? 'client' : 'server';
}

function closeFacts(t: TrackedConnections, table: PacketTable, index: number, client: Dir, server: Dir, cs: number): CloseFacts {
  const c = t.conns[index];
  const kind = closeKind(client, server);
  const firstClose = (d: Dir) => (d.finIndex < 0 ? d.rstIndex : d.rstIndex < 0 ? d.finIndex : Math.min(d.finIndex, d.rstIndex));
  const initiator = sideOfIndex(client, server, firstClose);

  const anomalies: PacketAnomaly[] = [];
  const from = t.starts[index];
  const to = t.starts[index + 1];
  let synCount = 0;
  let firstRstK = -1;
  const finRstOneSegment = { client: false, server: false };
  // Payload bytes each side sent after the other side's FIN (half-close traffic).
  const afterPeerFin = { client: 0, server: 0 };
  for (let k = from; k < to; k++) {
    const row = t.order[k];
    const f = table.flags.get(row);
    const fromClient = table.fromClient.get(row) === 1;
    const peerFin = fromClient ? server.finIndex : client.finIndex;
    if (peerFin >= 0 && k - from > peerFin && !(f & RST)) afterPeerFin[fromClient ? 'client' : 'server'] += table.payloadLength.get(row);
    if ((f & (SYN | ACK)) === SYN && fromClient) synCount++;
    if (f & RST && firstRstK < 0) firstRstK = k;
    if (f & RST && f & 1) finRstOneSegment[fromClient ? 'client' : 'server'] = true;
    if (c.anomalyBits && anomalies.length < MAX_ANOMALIES) {
      const bits = table.anomalies.get(row);
      if (bits) for (const kindName of anomalyNames(bits)) anomalies.push({ packet: k - from, kind: kindName });
    }
  }
  let dataRightBeforeRst = false;
  if (firstRstK >= 0) {
    for (let k = Math.max(from, firstRstK - 2); k < firstRstK; k++) if (table.payloadLength.get(t.order[k]) > 0) dataRightBeforeRst = true;
  }
  const serverPort = cs === 0 ? c.bPort : c.aPort;
  const tls = tlsFacts(c, client, server);
  const fin = { client: client.finIndex >= 0, server: server.finIndex >= 0 };
  const rst = { client: client.rstIndex >= 0, server: server.rstIndex >= 0 };
  const simultaneous = fin.client && fin.server && client.finBeforeAckingPeer && server.finBeforeAckingPeer;
  const facts: CloseFacts = {
    fin,
    rst,
    initiator,
    kind,
    simultaneous,
    finRstTogether: c.finRstTogether,
    lateRst: c.lateRst,
    dataAfterFin: client.dataAfterFin || server.dataAfterFin,
    zeekState: zeekConnState(c),
    history: c.zHistory,
    states: { client: stateList(client), server: stateList(server) },
    anomalies,
    tls,
    explanation: '',
  };
  facts.explanation = explainClose({
    kind,
    initiator,
    fin,
    rst,
    simultaneous,
    finRstTogether: facts.finRstTogether,
    lateRst: facts.lateRst,
    dataAfterFin: facts.dataAfterFin,
    finUs: { client: fin.client ? client.finTimeUs : null, server: fin.server ? server.finTimeUs : null },
    rstUs: { client: rst.client ? client.rstTimeUs : null, server: rst.server ? server.rstTimeUs : null },
    finRstOneSegment,
    synCount,
    serverPort,
    packets: { client: client.packets, server: server.packets },
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    dataRightBeforeRst,
    afterPeerFin,
    tls,
  });
  return facts;
}
