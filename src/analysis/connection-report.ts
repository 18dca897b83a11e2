/**
 * Turns a tracked connection (its ConnStore entry + its rows in the PacketTable) into the ConnectionReport of the
 * analyze JSON, with its CloseFacts. Client/server are resolved here (client-rule.ts).
 */
import type { CloseFacts, ConnectionReport, PacketAnomaly, Side } from '../model/report';
import { isoTime } from '../model/report';
import type { PacketTable } from '../model/packet-table';
import { SYN, ACK, RST } from '../model/segment';
import { anomalyNames } from '../model/anomalies';
import type { Dir } from './conn-state';
import type { ConnKeys } from './conn-keys';
import type { TrackedConnections } from './connections';
import { ipText } from './addresses';
import { closeKind, handshakeOf } from './close';
import { tlsFacts } from './tls';
import { explainClose } from './explain';
import { stateList } from './rfc-states';

/** At most this many per-packet anomalies are listed per connection. */
export const MAX_ANOMALIES = 1000;

export function sideAddress(keys: ConnKeys, i: number, side: number): { ip: string; port: number } {
  const w = keys.words;
  const k = 8 * i + 4 * side;
  return { ip: ipText(keys.ipVersion[i], w[k], w[k + 1], w[k + 2], w[k + 3]), port: keys.ports[2 * i + side] };
}

/** isoTime that never throws: stamps a damaged capture puts out of Date's range print as the epoch offset. */
export function safeIsoTime(timeUs: number): string {
  if (Number.isFinite(timeUs) && Math.abs(timeUs) < 8.64e18) return fastIsoTime(timeUs);
  return `invalid time (${timeUs} µs)`;
}

// isoTime's "YYYY-MM-DDTHH:MM:SS." for the last second asked: stamps come in runs within the same second.
let cachedSecond = -1;
let cachedPrefix = '';
const YEAR_10000_MS = 253402300800000;

/** Same text as isoTime (model/report.ts), without a Date per call for stamps in years 1970..9999. */
function fastIsoTime(timeUs: number): string {
  const ms = Math.floor(timeUs / 1000);
  if (ms < 0 || ms >= YEAR_10000_MS) return isoTime(timeUs);
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  const micros = Math.max(0, Math.floor(timeUs - ms * 1000));
  return `${cachedPrefix}${String(ms - second * 1000).padStart(3, '0')}${String(micros).padStart(3, '0')}Z`;
}

export function connectionId(index: number): string {
  return String(index);
}

export function buildConnectionReport(
  t: TrackedConnections,
  table: PacketTable,
  index: number,
  fileNames: readonly string[],
): ConnectionReport {
  const st = t.store;
  const cs = t.clientSide[index];
  const client = st.loadDir(index, cs);
  const server = st.loadDir(index, cs ^ 1);
  const report: ConnectionReport = {
    id: connectionId(index),
    files: st.inputList(index).map((i) => fileNames[i] ?? `input ${i}`),
    client: sideAddress(t.keys, index, cs),
    server: sideAddress(t.keys, index, cs ^ 1),
    clientBy: t.clientBy[index],
    start: safeIsoTime(st.firstTimeUs[index]),
    end: safeIsoTime(st.lastTimeUs[index]),
    packets: { client: client.packets, server: server.packets },
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    handshake: handshakeOf(client, server),
    close: closeFacts(t, table, index, client, server, cs),
  };
  return report;
}

/** Packet index of a side's first FIN or RST, -1 when none. */
function firstClose(d: Dir): number {
  return d.finIndex < 0 ? d.rstIndex : d.rstIndex < 0 ? d.finIndex : Math.min(d.finIndex, d.rstIndex);
}

/** Who closed first: the side whose first FIN/RST came first. */
function closeInitiator(client: Dir, server: Dir): Side | null {
  const a = firstClose(client);
  const b = firstClose(server);
  if (a < 0 && b < 0) return null;
  if (a < 0) return 'server';
  if (b < 0) return 'client';
  return a <= b ? 'client' : 'server';
}

/** The packet anomalies of connection `index` (at most MAX_ANOMALIES), from the PacketTable bits. */
function anomalyList(t: TrackedConnections, table: PacketTable, index: number): PacketAnomaly[] {
  const anomalies: PacketAnomaly[] = [];
  if (t.store.anomalyBits[index] === 0) return anomalies;
  const from = t.starts[index];
  const to = t.starts[index + 1];
  const chunks = table.anomalies.chunks;
  for (let k = from; k < to && anomalies.length < MAX_ANOMALIES; k++) {
    const row = t.order[k];
    const bits = chunks[row >>> 16][row & 0xffff];
    if (bits) for (const kindName of anomalyNames(bits)) anomalies.push({ packet: k - from, kind: kindName });
  }
  return anomalies;
}

function closeFacts(t: TrackedConnections, table: PacketTable, index: number, client: Dir, server: Dir, cs: number): CloseFacts {
  const st = t.store;
  const kind = closeKind(client, server);
  const initiator = closeInitiator(client, server);
  const anomalies = anomalyList(t, table, index);
  const synCount = client.plainSyns;
  const finRstOneSegment = { client: client.finRstOneSegment, server: server.finRstOneSegment };
  // Payload bytes each side sent after the other side's FIN (half-close traffic).
  const afterPeerFin = { client: client.afterPeerFin, server: server.afterPeerFin };
  const dataRightBeforeRst = st.dataRightBeforeRst(index);
  const serverPort = t.keys.ports[2 * index + (cs ^ 1)];
  const tls = tlsFacts(st.tlsSeen(index), st.tlsVersion[index], client, server);
  const fin = { client: client.finIndex >= 0, server: server.finIndex >= 0 };
  const rst = { client: client.rstIndex >= 0, server: server.rstIndex >= 0 };
  const simultaneous = fin.client && fin.server && client.finBeforeAckingPeer && server.finBeforeAckingPeer;
  const facts: CloseFacts = {
    fin,
    rst,
    initiator,
    kind,
    simultaneous,
    finRstTogether: st.finRstTogether(index),
    lateRst: st.lateRst(index),
    dataAfterFin: client.dataAfterFin || server.dataAfterFin,
    zeekState: st.zeekStateName(index),
    history: st.history[index],
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
